// contents: a package version's members, recursively (packages inside packages), as the
// CONTAINS edges of that tree: one row per edge from a package to a member, with the slot and
// the member's fields. LadybugDB spelling as in lineage/dependencies.ladybug.cypher.
// $uid: the package version's uid
MATCH (x:Version {uid: $uid})-[r:CONTAINS]->(v:Version)
RETURN x.uid AS near, 'contains' AS relation, r.slot AS role,
       v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.number AS version, v.status AS status, v.created_by AS created_by,
       v.created_at AS created_at
UNION ALL
MATCH (:Version {uid: $uid})-[:CONTAINS* SHORTEST 1..64]->(x:Version)-[r:CONTAINS]->(v:Version)
RETURN x.uid AS near, 'contains' AS relation, r.slot AS role,
       v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.number AS version, v.status AS status, v.created_by AS created_by,
       v.created_at AS created_at
