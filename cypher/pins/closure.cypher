// closure: the edges of everything a version uses (DEPENDS_ON and CONTAINS, transitively),
// lean: only what pinning needs to walk them and to pin (each input's asset, number, kind and
// entry file: no second read of the pinned versions' fields). Planned as a
// pruning breadth-first expand, as lineage/dependencies.
// `USING INDEX SEEK` pins the start to a seek of the uid index: on a fresh store's statistics
// Neo4j sometimes chose to scan that index and filter it instead.
// $uid: the version being pinned
MATCH (start:Version {uid: $uid})-[:DEPENDS_ON|CONTAINS*0..64]->(x:Version)
USING INDEX SEEK start:Version(uid)
WITH DISTINCT x
MATCH (x)-[:DEPENDS_ON|CONTAINS]->(v:Version)
RETURN x.uid AS near, v.uid AS uid, v.project + '/' + v.asset AS asset, v.number AS number,
       v.kind AS kind, v.entry AS entry
