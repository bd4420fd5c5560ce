// dependent_statuses: the uid and current status of every version and package that uses a
// version, transitively (DEPENDS_ON and CONTAINS, reversed): the part of a dependents closure
// that changes (users are added by any publish, statuses by reviews). legos keeps each
// version's fixed fields and own inputs in memory and computes depths and roles from those
// of exactly these users (legos/store/dependents_closure.py). Neo4j spelling: planned as a pruning breadth-first expand, as
// lineage/dependents; the rows come back transposed, as one record (`_columns`, `_rows`: see
// legos/store/neo4j_bolt.py).
// `USING INDEX SEEK` pins the start to a seek of the uid index: on a fresh store's statistics
// Neo4j sometimes chose to scan that index and filter it instead.
// $uid: the version whose users are wanted
MATCH (start:Version {uid: $uid})<-[:DEPENDS_ON|CONTAINS*1..64]-(x:Version)
USING INDEX SEEK start:Version(uid)
WITH DISTINCT x
RETURN ['uid', 'status'] AS _columns, collect([x.uid, x.status]) AS _rows
