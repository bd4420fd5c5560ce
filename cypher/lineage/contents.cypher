// contents: a package version's members, recursively (packages inside packages), each once
// at its shortest depth. The tree's edges come from lineage/contains_edges.
// $uid: the package version's uid
MATCH (start:Version {uid: $uid})
MATCH p = ANY SHORTEST (start)-[:CONTAINS]->{1,64}(v:Version)
RETURN v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.number AS version, v.status AS status, last(relationships(p)).slot AS role,
       'contains' AS relation, length(p) AS depth, v.created_by AS created_by,
       v.created_at AS created_at
ORDER BY depth, asset, version
