// dependents_walk: every version and package that uses a version, transitively (DEPENDS_ON and
// CONTAINS, reversed), once each with its shortest depth and current status: the part of a
// dependents closure that changes as versions are published and reviewed. legos keeps the rest
// (each version's fixed fields and its own inputs, which never change) in memory
// (legos.store.embedded_lineage): three short columns per version instead of a row per edge.
// LadybugDB's `* SHORTEST` is its breadth-first walk and gives the depth itself.
// $uid: the version whose users are wanted
MATCH (:Version {uid: $uid})<-[p:DEPENDS_ON|CONTAINS* SHORTEST 1..64]-(v:Version)
RETURN v.uid AS uid, length(p) AS depth, v.status AS status
