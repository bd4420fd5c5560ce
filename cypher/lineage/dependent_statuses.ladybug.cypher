// dependent_statuses: the uid and current status of every version and package that uses a
// version, transitively (DEPENDS_ON and CONTAINS, reversed): the part of a dependents closure
// that changes (users are added by any publish, statuses by reviews). legos keeps each
// version's fixed fields and own inputs in memory and computes depths and roles from those
// of exactly these users (legos/store/dependents_closure.py). LadybugDB's `* SHORTEST` is its
// breadth-first walk (each version once); its depth, length(p), is not asked for: legos's
// own depths come from the remembered inputs on every backend alike.
// $uid: the version whose users are wanted
MATCH (:Version {uid: $uid})<-[:DEPENDS_ON|CONTAINS* SHORTEST 1..64]-(x:Version)
RETURN x.uid AS uid, x.status AS status
