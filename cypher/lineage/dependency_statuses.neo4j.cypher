// dependency_statuses: the uid and current status of every version a version was made from,
// transitively (DEPENDS_ON and CONTAINS), as lineage/dependency_statuses.cypher. Neo4j
// spelling: the rows come back transposed, as one record (`_columns`, `_rows`: see
// legos/store/neo4j_bolt.py): the driver decodes a record in ~10 us and a list in well under
// one (384 versions: 7.7 ms -> 2.5 ms).
// `USING INDEX SEEK` pins the start to a seek of the uid index: on a fresh store's statistics
// Neo4j sometimes chose to scan that index and filter it instead.
// $uid: the starting version's uid
MATCH (start:Version {uid: $uid})-[:DEPENDS_ON|CONTAINS*1..64]->(x:Version)
USING INDEX SEEK start:Version(uid)
WITH DISTINCT x
RETURN ['uid', 'status'] AS _columns, collect([x.uid, x.status]) AS _rows
