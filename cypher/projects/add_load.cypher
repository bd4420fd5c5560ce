// add_load: record one load of a project file (the whole definition after it, what changed).
// $project: the project code
// $uid: "<project>#<number>"
// $number: the load's number (1, 2, ...)
// $definition: the definition after the load (canonical JSON)
// $summary: JSON of what it added, changed and removed
// $user: who loaded it
// $now: when
MATCH (p:Project {code: $project})
CREATE (l:ProjectLoad {uid: $uid, project: $project, number: $number, definition: $definition,
                       summary: $summary, created_by: $user, created_at: $now})
CREATE (l)-[:LOAD_OF]->(p)
RETURN l.uid AS uid
