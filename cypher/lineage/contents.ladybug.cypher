// contents: a package version's members, recursively (packages inside packages), as the
// CONTAINS edges of that tree: one row per edge from a package to a member, with the slot and
// the member's fields. LadybugDB spelling as in lineage/dependencies.ladybug.cypher.
// As of a past instant, versions created after it are left out at both ends of an edge: a
// version is always newer than its inputs, so that is the graph as it stood then.
// The as-of filter follows a `WITH *`: written as the MATCH's own WHERE, LadybugDB plans
// the walk as joins over whole tables (5 ms became 260 ms on a 100k graph).
// $uid: the package version's uid
// $as_of: versions created after this instant are left out (default: now)
MATCH (x:Version {uid: $uid})-[r:CONTAINS]->(v:Version)
WITH * WHERE v.created_at <= $as_of AND x.created_at <= $as_of
RETURN x.uid AS near, 'contains' AS relation, r.slot AS role,
       v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.number AS version, v.status AS status, v.created_by AS created_by,
       v.created_at AS created_at
UNION ALL
MATCH (:Version {uid: $uid})-[:CONTAINS* SHORTEST 1..64]->(x:Version)-[r:CONTAINS]->(v:Version)
WITH * WHERE v.created_at <= $as_of AND x.created_at <= $as_of
RETURN x.uid AS near, 'contains' AS relation, r.slot AS role,
       v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.number AS version, v.status AS status, v.created_by AS created_by,
       v.created_at AS created_at
