// latest_content: the latest version of an asset with its content hash and exact inputs, to
// tell whether a new publish repeats it.
// $path: "<project>/<asset name>"
MATCH (a:Asset {path: $path})<-[:VERSION_OF]-(v:Version)
WITH v ORDER BY v.number DESC LIMIT 1
OPTIONAL MATCH (v)-[d:DEPENDS_ON]->(dv:Version)
WITH v, collect({uid: dv.uid, name: d.role}) AS deps
OPTIONAL MATCH (v)-[c:CONTAINS]->(mv:Version)
RETURN v.uid AS uid, v.number AS number, v.content_hash AS content_hash, deps,
       collect({uid: mv.uid, name: c.slot}) AS members
