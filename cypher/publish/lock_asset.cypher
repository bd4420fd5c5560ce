// lock_asset: take the asset's write lock for the rest of the transaction, so concurrent
// publishes of one asset queue up and number their versions without gaps. On the embedded
// store a single writer holds the whole store, so reading the asset is enough.
// $path: "<project>/<asset name>"
// $token: a value unique to this publish
MATCH (a:Asset {path: $path})
RETURN a.uid AS uid, a.kind AS kind, $token AS token
