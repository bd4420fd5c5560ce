// users_closure: every version that depends on or contains a version, directly or through
// others (at most 64 hops), each once, with its asset: what "built on model v7" selects from.
// LadybugDB's `* SHORTEST` is its breadth-first walk (each version once, never each path).
// $uid: the version the users are built on
MATCH (:Version {uid: $uid})<-[:DEPENDS_ON|CONTAINS* SHORTEST 1..64]-(v:Version)
RETURN DISTINCT v.uid AS uid, v.project AS project, v.asset AS asset
