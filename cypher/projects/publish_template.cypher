// publish_template: a project's own publish path template ("" or null: the store's), read
// by every publish, and the inventory entries named like the asset or holding it (its silo);
// one row per uid given, with null kind and section where there is no such entry.
// $project: the project code
// $uids: "<project>/<name>" of the asset and of each folder above it (never empty)
OPTIONAL MATCH (p:Project {code: $project})
WITH p
UNWIND $uids AS u
OPTIONAL MATCH (e:Entry {uid: u})
RETURN p.publish_template AS template, u AS uid, e.kind AS kind, e.section AS section
