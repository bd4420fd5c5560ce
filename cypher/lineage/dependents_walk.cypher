// dependents_walk: every version and package that uses a version, transitively (DEPENDS_ON and
// CONTAINS, reversed), once each with its shortest depth and current status. legos asks it on
// LadybugDB, whose breadth-first walk gives depths (see dependents_walk.ladybug.cypher); on
// Neo4j legos walks lineage/dependents' edges instead, as a pruning expand cannot give depths.
// Here each user's depth is a shortest path found from it after the pruning expand.
// `USING INDEX SEEK` pins the start to a seek of the uid index.
// $uid: the version whose users are wanted
MATCH (start:Version {uid: $uid})<-[:DEPENDS_ON|CONTAINS*1..64]-(v:Version)
USING INDEX SEEK start:Version(uid)
WITH DISTINCT start, v
MATCH p = shortestPath((start)<-[:DEPENDS_ON|CONTAINS*1..64]-(v))
RETURN v.uid AS uid, length(p) AS depth, v.status AS status
