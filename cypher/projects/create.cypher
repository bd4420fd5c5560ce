// create: the project node (a project made implicitly by a publish is kept as it is);
// returns its last load number (null or 0: never defined).
// $project: the project code
// $now: the creation time
MERGE (p:Project {code: $project})
ON CREATE SET p.created_at = $now, p.revision = 0
RETURN p.revision AS revision
