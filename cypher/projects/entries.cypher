// entries: a project's inventory (its assets and shots), by name.
// $project: the project code
MATCH (e:Entry)
WHERE e.project = $project
RETURN e.uid AS uid, e.name AS name, e.section AS section, e.label AS label, e.kind AS kind,
       e.frame_in AS frame_in, e.frame_out AS frame_out, e.fps AS fps, e.extra AS extra
ORDER BY e.uid
