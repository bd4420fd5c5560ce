// reuse_kept: the most reused assets now, from the fan-in counts publish keeps on each asset
// (used_by_assets, used_by_versions: schema 4): a scan of assets, not of every lineage edge.
// Exact as of any time at or after the newest version (legos.analytics.reuse asks
// analytics/reuse, the whole-graph count, for an earlier time). Ranked as analytics/reuse.
// $project: only assets of this project, or '' for all (default: "")
// $kind: only assets of this kind, or '' for all (default: "")
// $as_of: the time asked about, at or after the newest version (default: now)
// $by: rank by 'assets' (distinct using assets) or 'versions' (distinct using versions) (default: "assets")
// $top: how many assets, most reused first (default: 10)
MATCH (a:Asset)
WHERE a.used_by_assets > 0 AND ($project = '' OR a.project = $project)
  AND ($kind = '' OR a.kind = $kind)
WITH a.path AS path, a.project AS project, a.name AS asset, a.kind AS kind,
     a.used_by_assets AS user_assets, a.used_by_versions AS user_versions
ORDER BY CASE WHEN $by = 'versions' THEN user_versions ELSE user_assets END DESC,
         user_assets DESC, user_versions DESC, project, asset
LIMIT $top
MATCH (a:Asset {path: path})<-[:VERSION_OF]-(v:Version)
WHERE v.created_at <= $as_of
RETURN project, asset, kind, max(v.number) AS version, user_assets, user_versions
ORDER BY CASE WHEN $by = 'versions' THEN user_versions ELSE user_assets END DESC,
         user_assets DESC, user_versions DESC, project, asset
