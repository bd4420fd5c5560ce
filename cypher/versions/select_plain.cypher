// select_plain: one version of an asset by the rules that need no subquery: an explicit
// number, else the latest with a status and/or created at or before an instant. (LadybugDB
// evaluates the EXISTS rules of versions/select even when they are empty, joining whole
// tables, so the common case has this module of its own.)
// $path: "<project>/<asset name>"
// $number: the explicit version number, or 0 for the latest matching the rules
// $status: a status the version must have, or ''
// $at: the latest instant (UTC) the version may have been created at; far future for no rule
// $skip: statuses a rule never picks (rejected, deprecated), or [''] (none) when a version is named
MATCH (v:Version)-[:VERSION_OF]->(a:Asset {path: $path})
// WITH *: LadybugDB otherwise plans the rules below into a scan of every version joined
// to the asset (15-25 ms at 100k nodes, against under 1 ms from the keyed asset)
WITH *
WHERE ($number = 0 OR v.number = $number)
  AND ($status = '' OR v.status = $status)
  AND v.created_at <= $at
  AND NOT v.status IN $skip
RETURN v.uid AS uid, v.number AS number
ORDER BY v.number DESC
LIMIT 1
