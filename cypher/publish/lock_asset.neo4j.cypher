// lock_asset: take the asset's write lock for the rest of the transaction, so concurrent
// publishes of one asset queue up and number their versions without gaps. Writing a property
// takes Neo4j's exclusive node lock; removing it again leaves no trace but keeps the lock.
// $path: "<project>/<asset name>"
// $token: a value unique to this publish
MATCH (a:Asset {path: $path})
SET a.publish_lock = $token
REMOVE a.publish_lock
RETURN a.uid AS uid, a.kind AS kind, $token AS token
