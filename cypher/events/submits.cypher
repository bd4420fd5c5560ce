// submits: the dailies submissions (new revisions) after a cursor, oldest first, ties broken
// by uid. Revision.created_at has no index: revisions are few beside versions and changes.
// $t: the cursor's instant (UTC)
// $uid: the cursor's uid: only events at $t with a greater uid come ('' for all of them)
// $until: the latest instant to answer (now, less the settling time of a follower)
// $project: a project code, or '' for every project
// $limit: at most this many rows
MATCH (r:Revision)-[:SUBMITS]->(v:Version)
WHERE r.created_at >= $t AND r.created_at <= $until AND (r.created_at > $t OR r.uid > $uid)
  AND ($project = '' OR v.project = $project)
RETURN r.uid AS uid, r.created_at AS at, r.kind AS kind, r.created_by AS user,
       r.note AS note, v.project AS project, v.asset AS asset, v.number AS number
ORDER BY at, uid
LIMIT $limit
