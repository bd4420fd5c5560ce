// select: one version of an asset by rule: an explicit number, else the latest, optionally
// the latest with a status or a tag. Empty values mean "no rule" (LadybugDB types a null
// parameter as BOOL, so the rules use '' and 0 rather than null).
// $path: "<project>/<asset name>"
// $number: the explicit version number, or 0 for the latest matching the rules
// $status: a status the version must have, or ''
// $tag: a tag the version must carry, or ''
MATCH (v:Version)-[:VERSION_OF]->(a:Asset {path: $path})
WHERE ($number = 0 OR v.number = $number)
  AND ($status = '' OR v.status = $status)
  AND ($tag = '' OR EXISTS { MATCH (v)-[:TAGGED]->(:Tag {name: $tag}) })
RETURN v.uid AS uid, v.number AS number
ORDER BY v.number DESC
LIMIT 1
