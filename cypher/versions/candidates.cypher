// candidates: for many assets, every version matching the simple rules (as versions/select),
// newest first per asset, each with its direct inputs (DEPENDS_ON and CONTAINS targets) by
// asset path. legos.selection filters these for the rules that need a set (compatibility with
// a pin set, transitive dependency) and keeps the newest left.
// $paths: list of "<project>/<asset name>"
// $number: an explicit version number, or 0 for any
// $status: a status the version must have, or ''
// $tag: a tag the version must carry, or ''
// $at: the latest instant (UTC) the version may have been created at; far future for no rule
// $skip: statuses a rule never picks (rejected, deprecated), or [''] (none) when a version is named
// $depends_on: uid of a version the candidate must depend on or contain directly, or ''
UNWIND $paths AS p
MATCH (a:Asset {path: p})<-[:VERSION_OF]-(v:Version)
WHERE ($number = 0 OR v.number = $number)
  AND ($status = '' OR v.status = $status)
  AND ($tag = '' OR EXISTS { MATCH (v)-[:TAGGED]->(:Tag {name: $tag}) })
  AND v.created_at <= $at
  AND NOT v.status IN $skip
  AND ($depends_on = '' OR EXISTS { MATCH (v)-[:DEPENDS_ON|CONTAINS]->(:Version {uid: $depends_on}) })
OPTIONAL MATCH (v)-[:DEPENDS_ON|CONTAINS]->(d:Version)-[:VERSION_OF]->(da:Asset)
WITH p, v, collect({path: da.path, uid: d.uid}) AS inputs
RETURN p AS path, v.uid AS uid, v.number AS number, inputs
ORDER BY path, number DESC
