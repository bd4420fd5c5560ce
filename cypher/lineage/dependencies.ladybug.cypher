// dependencies: everything a version was made from, transitively, through DEPENDS_ON and
// package membership (CONTAINS): each version once, at its shortest depth, with the role (or
// slot) of the edge that reached it. LadybugDB spells the breadth-first walk `* SHORTEST`
// (an upper bound cannot be a parameter there, hence the filter on depth) and the last hop
// `list_extract(rels(p), length(p))`, its type `label(...)`.
// $uid: the starting version's uid
// $max_depth: the deepest hop to report (1 = direct inputs only)
// $role: report only versions reached through this role or slot, or '' for all
MATCH (start:Version {uid: $uid})-[p:DEPENDS_ON|CONTAINS* SHORTEST 1..64]->(v:Version)
WITH v, length(p) AS depth, list_extract(rels(p), length(p)) AS hop
WHERE depth <= $max_depth AND ($role = '' OR coalesce(hop.role, hop.slot) = $role)
RETURN v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.number AS version, v.status AS status, coalesce(hop.role, hop.slot) AS role,
       lower(label(hop)) AS relation, depth, v.created_by AS created_by,
       v.created_at AS created_at
ORDER BY depth, asset, version
