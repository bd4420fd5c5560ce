// stale: the newer versions of every input of a version, transitively (package members
// included), that existed at the as-of time: one row per (input, newer version of its asset),
// and one per input for itself (newer_uid = uid), whose newer_status is the input's own
// current status: legos.questions.stale needs no other walk for the inputs' statuses.
// legos.questions.stale keeps the inputs with a newer approved (or any newer) version.
// The as-of test on a matched version is `coalesce(v.created_at, $as_of) <= $as_of`: written
// plainly, Neo4j sometimes planned it as a scan of the Version(created_at) index joined back
// to the walk (6 s instead of 50 ms); the coalesce cannot be answered from the index.
// `USING INDEX SEEK` pins the start to a seek of the uid index: on a fresh store's statistics
// Neo4j sometimes chose to scan that index and filter it instead.
// The asset's versions are a MATCH of their own: in one pattern, Neo4j would never match the
// input itself as a version of its asset (a relationship is used once per pattern).
// $uid: the package's or shot's version uid
// $as_of: versions created after this instant are left out (default: now)
MATCH (start:Version {uid: $uid})-[:DEPENDS_ON|CONTAINS*1..64]->(x:Version)
USING INDEX SEEK start:Version(uid)
WITH DISTINCT x
WHERE x.created_at <= $as_of
MATCH (x)-[:VERSION_OF]->(a:Asset)
MATCH (a)<-[:VERSION_OF]-(n:Version)
WHERE n.number >= x.number AND coalesce(n.created_at, $as_of) <= $as_of
RETURN x.uid AS uid, n.uid AS newer_uid, n.number AS newer_version, n.status AS newer_status
