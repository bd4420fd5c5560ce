// select_within: the newest version per asset among given versions that matches the rules (as
// versions/select_many), e.g. among the users of a version (versions/users_closure). The
// versions come by uid (key lookups), not as an `IN $list` filter: LadybugDB checks `IN` by
// scanning the list for every row.
// $uids: list of version uids to choose from
// $number: an explicit version number, or 0 for the latest matching the rules
// $status: a status the version must have, or ''
// $tag: a tag the version must carry, or ''
// $at: the latest instant (UTC) the version may have been created at; far future for no rule
// $skip: statuses a rule never picks (rejected, deprecated), or [''] (none) when a version is named
// $depends_on: uid of a version the chosen one must depend on or contain directly, or ''
UNWIND $uids AS u
MATCH (v:Version {uid: u})-[:VERSION_OF]->(a:Asset)
WHERE ($number = 0 OR v.number = $number)
  AND ($status = '' OR v.status = $status)
  AND ($tag = '' OR EXISTS { MATCH (v)-[:TAGGED]->(:Tag {name: $tag}) })
  AND v.created_at <= $at
  AND NOT v.status IN $skip
  AND ($depends_on = '' OR EXISTS { MATCH (v)-[:DEPENDS_ON|CONTAINS]->(:Version {uid: $depends_on}) })
WITH a, max(v.number) AS number
MATCH (a)<-[:VERSION_OF]-(chosen:Version)
WHERE chosen.number = number
RETURN a.path AS path, chosen.uid AS uid, number
