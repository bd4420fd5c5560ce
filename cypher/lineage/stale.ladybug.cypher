// stale: the newer versions of every input of a version, transitively (package members
// included), that existed at the as-of time: one row per (input, newer version of its asset).
// LadybugDB walks the inputs with `* SHORTEST` (each version once; see
// lineage/dependencies.ladybug.cypher). Each hop after the walk follows a `WITH *`: as one
// pattern, LadybugDB joined the walk, the assets and their versions as whole tables (50 ms
// for a shot of the 100k graph, against 12 ms hop by hop).
// $uid: the package's or shot's version uid
// $as_of: versions created after this instant are left out (default: now)
MATCH (:Version {uid: $uid})-[:DEPENDS_ON|CONTAINS* SHORTEST 1..64]->(x:Version)
WITH * WHERE x.created_at <= $as_of
MATCH (x)-[:VERSION_OF]->(a:Asset)
WITH *
MATCH (a)<-[:VERSION_OF]-(n:Version)
WITH * WHERE n.number > x.number AND n.created_at <= $as_of
RETURN x.uid AS uid, n.uid AS newer_uid, n.number AS newer_version, n.status AS newer_status
