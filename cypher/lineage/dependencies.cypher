// dependencies: the subgraph of everything a version was made from, transitively, through
// DEPENDS_ON and package membership (CONTAINS), as its edges: one row per edge from a version
// of the closure (or the start) to an input, with the input's fields. legos.lineage walks
// these rows breadth-first for depth and role. Written so that Neo4j plans a pruning
// breadth-first expand (each version visited once, never each path: diamonds stay cheap).
// created_at comes as epoch microseconds: the Python driver spends ~90 us decoding each
// DateTime and ~12 us an integer, which dominated big closures (legos.lineage converts back).
// $uid: the starting version's uid
MATCH (start:Version {uid: $uid})-[:DEPENDS_ON|CONTAINS*0..64]->(x:Version)
WITH DISTINCT x
MATCH (x)-[r:DEPENDS_ON|CONTAINS]->(v:Version)
RETURN x.uid AS near, toLower(type(r)) AS relation, coalesce(r.role, r.slot) AS role,
       v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.number AS version, v.status AS status, v.created_by AS created_by,
       v.created_at.epochSeconds * 1000000 + v.created_at.microsecond AS created_at
