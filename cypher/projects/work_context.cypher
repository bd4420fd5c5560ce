// work_context: what a work area needs of a project: its work template and settings (tasks,
// apps), and the inventory entries named like the asset or holding it (its silo); one row per
// uid given; no row: no such project.
// $project: the project code
// $uids: "<project>/<name>" of the asset and of each folder above it (never empty)
MATCH (p:Project {code: $project})
WITH p
UNWIND $uids AS u
OPTIONAL MATCH (e:Entry {uid: u})
RETURN p.work_template AS template, p.settings AS settings, u AS uid, e.kind AS kind,
       e.section AS section
