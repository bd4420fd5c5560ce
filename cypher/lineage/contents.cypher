// contents: a package version's members, recursively (packages inside packages), as the
// CONTAINS edges of that tree: one row per edge from a package to a member, with the slot and
// the member's fields. legos.lineage walks them breadth-first for depth.
// $uid: the package version's uid
MATCH (start:Version {uid: $uid})-[:CONTAINS*0..64]->(x:Version)
WITH DISTINCT x
MATCH (x)-[r:CONTAINS]->(v:Version)
RETURN x.uid AS near, 'contains' AS relation, r.slot AS role,
       v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.number AS version, v.status AS status, v.created_by AS created_by,
       v.created_at AS created_at
