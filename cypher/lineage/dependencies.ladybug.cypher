// dependencies: the subgraph of everything a version was made from, transitively, through
// DEPENDS_ON and package membership (CONTAINS), as its edges: one row per edge from a version
// of the closure (or the start) to an input, with the input's fields. legos.lineage walks
// these rows breadth-first for depth and role. LadybugDB's `* SHORTEST` is its breadth-first
// walk (each version once); the start's own edges come from the first half of the UNION.
// As of a past instant, versions created after it are left out at both ends of an edge: a
// version is always newer than its inputs, so that is the graph as it stood then.
// The as-of filter follows a `WITH *`: written as the MATCH's own WHERE, LadybugDB plans
// the walk as joins over whole tables (5 ms became 260 ms on a 100k graph).
// $uid: the starting version's uid
// $as_of: versions created after this instant are left out (default: now)
MATCH (x:Version {uid: $uid})-[r:DEPENDS_ON|CONTAINS]->(v:Version)
WITH * WHERE v.created_at <= $as_of AND x.created_at <= $as_of
RETURN x.uid AS near, lower(label(r)) AS relation, coalesce(r.role, r.slot) AS role,
       v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.number AS version, v.status AS status, v.created_by AS created_by,
       v.created_at AS created_at
UNION ALL
MATCH (:Version {uid: $uid})-[:DEPENDS_ON|CONTAINS* SHORTEST 1..64]->(x:Version)
      -[r:DEPENDS_ON|CONTAINS]->(v:Version)
WITH * WHERE v.created_at <= $as_of AND x.created_at <= $as_of
RETURN x.uid AS near, lower(label(r)) AS relation, coalesce(r.role, r.slot) AS role,
       v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.number AS version, v.status AS status, v.created_by AS created_by,
       v.created_at AS created_at
