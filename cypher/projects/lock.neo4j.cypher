// lock: take the project's write lock for the rest of the transaction, so two loads of one
// project queue up. Writing a property takes Neo4j's exclusive node lock; removing it again
// leaves no trace but keeps the lock.
// $project: the project code
// $token: a value unique to this load
MATCH (p:Project {code: $project})
SET p.load_lock = $token
REMOVE p.load_lock
RETURN p.revision AS revision, $token AS token
