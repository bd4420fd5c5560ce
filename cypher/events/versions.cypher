// versions: the publishes (new versions) after a cursor, oldest first: a range read on the
// Version.created_at index, ties at one instant broken by uid (legos.events).
// $t: the cursor's instant (UTC)
// $uid: the cursor's uid: only events at $t with a greater uid come ('' for all of them)
// $until: the latest instant to answer (now, less the settling time of a follower)
// $project: a project code, or '' for every project
// $limit: at most this many rows
MATCH (v:Version)
WHERE v.created_at >= $t AND v.created_at <= $until AND (v.created_at > $t OR v.uid > $uid)
  AND ($project = '' OR v.project = $project)
RETURN v.uid AS uid, v.created_at AS at, v.project AS project, v.asset AS asset,
       v.number AS number, v.kind AS kind, v.status AS status, v.created_by AS user,
       v.comment AS note
ORDER BY at, uid
LIMIT $limit
