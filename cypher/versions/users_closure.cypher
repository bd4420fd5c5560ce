// users_closure: every version that depends on or contains a version, directly or through
// others (at most 64 hops), each once, with its asset: what "built on model v7" selects from.
// Written so that Neo4j plans a pruning breadth-first expand (each version once, never each
// path).
// `USING INDEX SEEK` pins the start to a seek of the uid index: on a fresh store's statistics
// Neo4j sometimes chose to scan that index and filter it instead.
// $uid: the version the users are built on
MATCH (start:Version {uid: $uid})<-[:DEPENDS_ON|CONTAINS*1..64]-(v:Version)
USING INDEX SEEK start:Version(uid)
WITH DISTINCT v
RETURN v.uid AS uid, v.project AS project, v.asset AS asset
