// lock_assets: the assets of a batch chunk with their kind and last version number. On the
// embedded store one writer holds the whole store, so reading them is enough.
// $paths: list of "<project>/<asset name>", sorted (Neo4j takes the locks in this order)
// $token: a value unique to this chunk
UNWIND $paths AS p
MATCH (a:Asset {path: p})
RETURN a.path AS path, a.kind AS kind, a.version_count AS count, $token AS token
