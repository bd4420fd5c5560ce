// loads: every recorded load of a project, oldest first (who, when, what it changed).
// $project: the project code
MATCH (l:ProjectLoad)
WHERE l.project = $project
RETURN l.number AS number, l.created_by AS created_by, l.created_at AS created_at,
       l.summary AS summary
ORDER BY number
