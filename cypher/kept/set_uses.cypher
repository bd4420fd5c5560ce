// set_uses: assets' fan-in counts as a whole-graph fill computed them (legos.analytics.kept).
// $uses: list of {path, assets (distinct using assets), versions (distinct using versions)}
UNWIND $uses AS r
MATCH (a:Asset {path: r.path})
SET a.used_by_assets = r.assets, a.used_by_versions = r.versions
RETURN count(*) AS written
