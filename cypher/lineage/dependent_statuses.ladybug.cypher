// dependent_statuses: the uid and current status of every version and package that uses a
// version, transitively (DEPENDS_ON and CONTAINS, reversed): the part of a dependents closure
// that changes (users are added by any publish, statuses by reviews). LadybugDB's
// `* SHORTEST` is its breadth-first walk (each version once).
// $uid: the version whose users are wanted
MATCH (:Version {uid: $uid})<-[:DEPENDS_ON|CONTAINS* SHORTEST 1..64]-(x:Version)
RETURN x.uid AS uid, x.status AS status
