// set_uses_staged: assets' fan-in counts from the staging table KeptAsset(path, assets,
// versions) that legos.analytics.kept loads by COPY: one hash join on the key (LadybugDB only).
// (no parameters)
MATCH (s:KeptAsset)
MATCH (a:Asset {path: s.path})
SET a.used_by_assets = s.assets, a.used_by_versions = s.versions
RETURN count(*) AS written
