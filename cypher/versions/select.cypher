// select: one version of an asset by rule: an explicit number, else the latest matching every
// rule given (status, tag, created at or before an instant, a direct input). Empty values mean
// "no rule" (LadybugDB types a null parameter as BOOL, so the rules use '', 0 and a far-future
// instant rather than null). versions/select_many answers the same for many assets at once.
// $path: "<project>/<asset name>"
// $number: the explicit version number, or 0 for the latest matching the rules
// $status: a status the version must have, or ''
// $tag: a tag the version must carry, or ''
// $at: the latest instant (UTC) the version may have been created at; far future for no rule
// $skip: statuses a rule never picks (rejected, deprecated), or [''] (none) when a version is named
// $depends_on: uid of a version this one must depend on or contain directly, or ''
MATCH (v:Version)-[:VERSION_OF]->(a:Asset {path: $path})
WHERE ($number = 0 OR v.number = $number)
  AND ($status = '' OR v.status = $status)
  AND ($tag = '' OR EXISTS { MATCH (v)-[:TAGGED]->(:Tag {name: $tag}) })
  AND v.created_at <= $at
  AND NOT v.status IN $skip
  AND ($depends_on = '' OR EXISTS { MATCH (v)-[:DEPENDS_ON|CONTAINS]->(:Version {uid: $depends_on}) })
RETURN v.uid AS uid, v.number AS number
ORDER BY v.number DESC
LIMIT 1
