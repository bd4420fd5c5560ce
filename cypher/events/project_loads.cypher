// project_loads: the loads of project files (legos project load/create) after a cursor,
// oldest first: a range read on the ProjectLoad.created_at index, ties broken by uid.
// $t: the cursor's instant (UTC)
// $uid: the cursor's uid: only events at $t with a greater uid come ('' for all of them)
// $until: the latest instant to answer (now, less the settling time of a follower)
// $project: a project code, or '' for every project
// $limit: at most this many rows
MATCH (l:ProjectLoad)
WHERE l.created_at >= $t AND l.created_at <= $until AND (l.created_at > $t OR l.uid > $uid)
  AND ($project = '' OR l.project = $project)
RETURN l.uid AS uid, l.created_at AS at, l.project AS project, l.number AS number,
       l.created_by AS user, l.summary AS summary
ORDER BY at, uid
LIMIT $limit
