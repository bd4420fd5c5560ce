// add_uses: what new versions add to the fan-in counts of the assets they use
// (legos.analytics.kept): null counts read as 0.
// $uses: list of {path (the used asset), assets (new using assets), versions (new using versions)}
UNWIND $uses AS r
MATCH (a:Asset {path: r.path})
SET a.used_by_assets = coalesce(a.used_by_assets, 0) + r.assets,
    a.used_by_versions = coalesce(a.used_by_versions, 0) + r.versions
RETURN count(*) AS written
