// export_edges: every lineage edge (DEPENDS_ON with its role, CONTAINS with its slot) between
// versions as of the time; with a project, only edges inside it: the edges
// legos.analytics.to_networkx exports.
// $project: only edges between versions of this project, or '' for all (default: "")
// $as_of: versions created after this instant are left out (default: now)
MATCH (s:Version)-[r:DEPENDS_ON|CONTAINS]->(t:Version)
WHERE s.created_at <= $as_of
  AND ($project = '' OR (s.project = $project AND t.project = $project))
RETURN s.uid AS source, t.uid AS target, toLower(type(r)) AS relation,
       coalesce(r.role, r.slot) AS role
