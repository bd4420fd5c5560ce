// per_hop_users: the direct users of one version (the versions that depend on or contain it),
// with the role or slot and the user's fields: one hop, as an ORM or REST client asks it once
// per visited version while walking dependents from Python (the baseline of
// benchmarks/queries.py).
// $uid: the version whose users are wanted
MATCH (:Version {uid: $uid})<-[r:DEPENDS_ON|CONTAINS]-(w:Version)
RETURN w.uid AS uid, coalesce(r.role, r.slot) AS role, w.project AS project, w.asset AS asset,
       w.kind AS kind, w.number AS version, w.status AS status, w.created_by AS created_by
