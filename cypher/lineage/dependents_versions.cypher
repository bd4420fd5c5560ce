// dependents_versions: every version and package that uses a version, transitively, once each
// with its shortest depth, current status and fixed fields, and every one of its own inputs
// (DEPENDS_ON and CONTAINS targets, inside the closure or not) as three lists in the same order.
// legos asks it on LadybugDB (see dependents_versions.ladybug.cypher); on Neo4j it walks
// lineage/dependents' edges instead. Depths here: a shortest path found from each user after
// the pruning expand. created_at comes as epoch microseconds (see lineage/dependencies).
// $uid: the version whose users are wanted
MATCH (start:Version {uid: $uid})<-[:DEPENDS_ON|CONTAINS*1..64]-(v:Version)
USING INDEX SEEK start:Version(uid)
WITH DISTINCT start, v
MATCH p = shortestPath((start)<-[:DEPENDS_ON|CONTAINS*1..64]-(v))
WITH v, length(p) AS depth
MATCH (v)-[r:DEPENDS_ON|CONTAINS]->(i:Version)
WITH v, depth, collect(i.uid) AS inputs, collect(toLower(type(r))) AS relations,
     collect(coalesce(r.role, r.slot)) AS roles
RETURN v.uid AS uid, depth, v.status AS status, v.project AS project, v.asset AS asset,
       v.kind AS kind, v.number AS version, v.created_by AS created_by,
       v.created_at.epochSeconds * 1000000 + v.created_at.microsecond AS created_at_epoch_us,
       inputs, relations, roles
