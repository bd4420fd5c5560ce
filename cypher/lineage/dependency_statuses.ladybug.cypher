// dependency_statuses: the uid and current status of every version a version was made from,
// transitively (DEPENDS_ON and CONTAINS): the one part of a dependency closure that can change
// after publishing. legos.lineage keeps the rest of the closure in memory (legos.memo) and
// asks this walk, which returns two short columns per version instead of a row per edge.
// LadybugDB's `* SHORTEST` is its breadth-first walk (each version once).
// $uid: the starting version's uid
MATCH (:Version {uid: $uid})-[:DEPENDS_ON|CONTAINS* SHORTEST 1..64]->(x:Version)
RETURN x.uid AS uid, x.status AS status
