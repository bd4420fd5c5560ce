// lock_assets: take the write locks of a batch chunk's assets for the rest of the transaction
// (in the order given: sorted, so two chunks never wait on each other crosswise), then their
// kind and last version number, read under the lock: numbers stay gap-free beside concurrent
// publishes. Writing a property takes Neo4j's exclusive node lock; removing it keeps the lock.
// $paths: list of "<project>/<asset name>", sorted
// $token: a value unique to this chunk
UNWIND $paths AS p
MATCH (a:Asset {path: p})
SET a.publish_lock = $token
REMOVE a.publish_lock
WITH a
RETURN a.path AS path, a.kind AS kind, a.version_count AS count, $token AS token
