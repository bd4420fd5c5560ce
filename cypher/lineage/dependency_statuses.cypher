// dependency_statuses: the uid and current status of every version a version was made from,
// transitively (DEPENDS_ON and CONTAINS): the one part of a dependency closure that can change
// after publishing. legos.lineage keeps the rest of the closure in memory (legos.memo) and
// asks this walk, which returns two short columns per version instead of a row per edge.
// Planned as a pruning breadth-first expand, as lineage/dependencies.
// `USING INDEX SEEK` pins the start to a seek of the uid index: on a fresh store's statistics
// Neo4j sometimes chose to scan that index and filter it instead.
// $uid: the starting version's uid
MATCH (start:Version {uid: $uid})-[:DEPENDS_ON|CONTAINS*1..64]->(x:Version)
USING INDEX SEEK start:Version(uid)
WITH DISTINCT x
RETURN x.uid AS uid, x.status AS status
