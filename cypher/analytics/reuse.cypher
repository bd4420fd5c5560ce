// reuse: the most reused assets by fan-in: how many distinct other assets, and how many
// distinct versions of them, depend on (DEPENDS_ON) or contain (CONTAINS) any version of the
// asset, directly, as of the time; with the asset's latest version then. Versions of the same
// asset using each other do not count.
// $project: only assets of this project, or '' for all (default: "")
// $kind: only assets of this kind, or '' for all (default: "")
// $as_of: versions created after this instant are left out (default: now)
// $by: rank by 'assets' (distinct using assets) or 'versions' (distinct using versions) (default: "assets")
// $top: how many assets, most reused first (default: 10)
MATCH (a:Asset)<-[:VERSION_OF]-(:Version)<-[:DEPENDS_ON|CONTAINS]-(u:Version)
      -[:VERSION_OF]->(ua:Asset)
WHERE u.created_at <= $as_of AND ($project = '' OR a.project = $project)
  AND ($kind = '' OR a.kind = $kind) AND ua.path <> a.path
WITH a, count(DISTINCT ua) AS user_assets, count(DISTINCT u) AS user_versions
ORDER BY CASE WHEN $by = 'versions' THEN user_versions ELSE user_assets END DESC,
         user_assets DESC, user_versions DESC, a.path
LIMIT $top
MATCH (a)<-[:VERSION_OF]-(v:Version)
WHERE v.created_at <= $as_of
RETURN a.project AS project, a.name AS asset, a.kind AS kind, max(v.number) AS version,
       user_assets, user_versions
ORDER BY CASE WHEN $by = 'versions' THEN user_versions ELSE user_assets END DESC,
         user_assets DESC, user_versions DESC, project, asset
