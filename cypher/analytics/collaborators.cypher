// collaborators: which users build on which others' work: one row per (user, other user) with
// the number of lineage edges (DEPENDS_ON or CONTAINS) from a version the user published in
// the window to a version the other published. Edges between one user's own versions are
// left out.
// $since: only using versions created at or after this instant
// $until: only using versions created at or before this instant
// $as_of: versions created after this instant are left out (default: now)
// $project: only using versions of this project, or '' for all (default: "")
MATCH (u:Version)-[:DEPENDS_ON|CONTAINS]->(t:Version)
WHERE u.created_at >= $since AND u.created_at <= $until AND u.created_at <= $as_of
  AND ($project = '' OR u.project = $project) AND u.created_by <> t.created_by
RETURN u.created_by AS user, t.created_by AS other, count(*) AS edges
