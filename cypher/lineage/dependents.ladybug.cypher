// dependents: every version and package that uses a version, transitively (the reverse of
// dependencies): each once, at its shortest depth, with the role of the edge that reached it.
// Revisions submitting any of them come from lineage/revisions_of. LadybugDB spelling as in
// lineage/dependencies.ladybug.cypher.
// $uid: the version whose users are wanted
// $max_depth: the deepest hop to report
// $role: report only versions reached through this role or slot, or '' for all
MATCH (start:Version {uid: $uid})<-[p:DEPENDS_ON|CONTAINS* SHORTEST 1..64]-(v:Version)
WITH v, length(p) AS depth, list_extract(rels(p), length(p)) AS hop
WHERE depth <= $max_depth AND ($role = '' OR coalesce(hop.role, hop.slot) = $role)
RETURN v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.number AS version, v.status AS status, coalesce(hop.role, hop.slot) AS role,
       lower(label(hop)) AS relation, depth, v.created_by AS created_by,
       v.created_at AS created_at
ORDER BY depth, asset, version
