// changes: the recorded changes (status, tag, alias, review, metadata "meta:KEY") after a
// cursor, oldest first: a range read on the Change.at index, ties broken by uid. Each names
// what it changed: a version, a revision (and the version it submits) or an asset.
// $t: the cursor's instant (UTC)
// $uid: the cursor's uid: only events at $t with a greater uid come ('' for all of them)
// $until: the latest instant to answer (now, less the settling time of a follower)
// $project: a project code, or '' for every project
// $limit: at most this many rows
MATCH (c:Change)
WHERE c.at >= $t AND c.at <= $until AND (c.at > $t OR c.uid > $uid)
OPTIONAL MATCH (c)-[:CHANGE_OF]->(v:Version)
OPTIONAL MATCH (c)-[:CHANGE_OF]->(r:Revision)-[:SUBMITS]->(rv:Version)
OPTIONAL MATCH (c)-[:CHANGE_OF]->(a:Asset)
WITH c, v, r, rv, a, coalesce(v.project, rv.project, a.project) AS project
WHERE $project = '' OR project = $project
RETURN c.uid AS uid, c.at AS at, c.field AS field, c.from_value AS from_value,
       c.to_value AS to_value, c.user AS user, c.note AS note, project,
       coalesce(v.asset, rv.asset) AS asset, coalesce(v.number, rv.number) AS number,
       r.uid AS revision, a.name AS asset_name
ORDER BY at, uid
LIMIT $limit
