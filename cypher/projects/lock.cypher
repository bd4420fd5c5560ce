// lock: take the project's write lock for the rest of the transaction, so two loads of one
// project queue up. On the embedded store a single writer holds the whole store.
// $project: the project code
// $token: a value unique to this load
MATCH (p:Project {code: $project})
RETURN p.revision AS revision, $token AS token
