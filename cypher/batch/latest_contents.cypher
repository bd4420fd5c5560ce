// latest_contents: the latest version of each asset with its content hash and exact inputs,
// to tell whether a new version of a batch chunk repeats it (skip_unchanged).
// $paths: list of "<project>/<asset name>" of assets that have versions
UNWIND $paths AS p
MATCH (a:Asset {path: p})<-[:VERSION_OF]-(v:Version)
WITH p, v, a
WHERE v.number = a.version_count
OPTIONAL MATCH (v)-[d:DEPENDS_ON]->(dv:Version)
WITH p, v, collect({uid: dv.uid, name: d.role}) AS deps
OPTIONAL MATCH (v)-[c:CONTAINS]->(mv:Version)
RETURN p AS path, v.uid AS uid, v.number AS number, v.content_hash AS content_hash, deps,
       collect({uid: mv.uid, name: c.slot}) AS members
