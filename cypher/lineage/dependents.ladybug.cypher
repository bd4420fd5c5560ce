// dependents: the subgraph of every version and package that uses a version, transitively
// (the reverse of dependencies), as its edges: one row per edge into a version of the closure
// (or the start) from a user, with the user's fields. Revisions submitting any of them come
// from lineage/revisions_of. LadybugDB spelling as in lineage/dependencies.ladybug.cypher.
// As of a past instant, versions created after it are left out at both ends of an edge: a
// version is always newer than its inputs, so that is the graph as it stood then.
// The as-of filter follows a `WITH *`: written as the MATCH's own WHERE, LadybugDB plans
// the walk as joins over whole tables (5 ms became 260 ms on a 100k graph).
// $uid: the version whose users are wanted
// $as_of: versions created after this instant are left out (default: now)
MATCH (x:Version {uid: $uid})<-[r:DEPENDS_ON|CONTAINS]-(v:Version)
WITH * WHERE v.created_at <= $as_of AND x.created_at <= $as_of
RETURN x.uid AS near, lower(label(r)) AS relation, coalesce(r.role, r.slot) AS role,
       v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.number AS version, v.status AS status, v.created_by AS created_by,
       v.created_at AS created_at
UNION ALL
MATCH (:Version {uid: $uid})<-[:DEPENDS_ON|CONTAINS* SHORTEST 1..64]-(x:Version)
      <-[r:DEPENDS_ON|CONTAINS]-(v:Version)
WITH * WHERE v.created_at <= $as_of AND x.created_at <= $as_of
RETURN x.uid AS near, lower(label(r)) AS relation, coalesce(r.role, r.slot) AS role,
       v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.number AS version, v.status AS status, v.created_by AS created_by,
       v.created_at AS created_at
