// select_many: for many assets at once, the version each one's rules pick (as versions/select:
// the latest matching every rule given), in one set-based pass. Assets with no matching
// version (or that do not exist) give no row. `p` is kept through the aggregation on purpose:
// LadybugDB 0.22 fails ("Cannot evaluate expression with type VARIABLE") when a node matched
// by `{path: p}` is matched again after a WITH that drops `p`.
// $paths: list of "<project>/<asset name>"
// $number: an explicit version number, or 0 for the latest matching the rules
// $status: a status the version must have, or ''
// $tag: a tag the version must carry, or ''
// $at: the latest instant (UTC) the version may have been created at; far future for no rule
// $skip: statuses a rule never picks (rejected, deprecated), or [''] (none) when a version is named
// $depends_on: uid of a version the chosen one must depend on or contain directly, or ''
UNWIND $paths AS p
MATCH (a:Asset {path: p})<-[:VERSION_OF]-(v:Version)
WHERE ($number = 0 OR v.number = $number)
  AND ($status = '' OR v.status = $status)
  AND ($tag = '' OR EXISTS { MATCH (v)-[:TAGGED]->(:Tag {name: $tag}) })
  AND v.created_at <= $at
  AND NOT v.status IN $skip
  AND ($depends_on = '' OR EXISTS { MATCH (v)-[:DEPENDS_ON|CONTAINS]->(:Version {uid: $depends_on}) })
WITH p, a, max(v.number) AS number
MATCH (a)<-[:VERSION_OF]-(chosen:Version)
WHERE chosen.number = number
RETURN p AS path, chosen.uid AS uid, number
