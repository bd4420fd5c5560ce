// contents: a package version's members, recursively (packages inside packages), as the
// CONTAINS edges of that tree: one row per edge from a package to a member, with the slot and
// the member's fields. legos.lineage walks them breadth-first for depth.
// created_at comes as epoch microseconds: the Python driver spends ~90 us decoding each
// DateTime and ~12 us an integer, which dominated big closures (legos.lineage converts back).
// $uid: the package version's uid
MATCH (start:Version {uid: $uid})-[:CONTAINS*0..64]->(x:Version)
WITH DISTINCT x
MATCH (x)-[r:CONTAINS]->(v:Version)
RETURN x.uid AS near, 'contains' AS relation, r.slot AS role,
       v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.number AS version, v.status AS status, v.created_by AS created_by,
       v.created_at.epochSeconds * 1000000 + v.created_at.microsecond AS created_at
