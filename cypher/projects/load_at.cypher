// load_at: the definition a project had at an instant: its last load at or before it.
// $project: the project code
// $at: the instant (UTC)
MATCH (l:ProjectLoad)
WHERE l.project = $project AND l.created_at <= $at
RETURN l.number AS number, l.definition AS definition, l.created_at AS created_at
ORDER BY number DESC
LIMIT 1
