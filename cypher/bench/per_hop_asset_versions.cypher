// per_hop_asset_versions: every version of one asset, by number, with its status: one query
// per asset, as an ORM or REST client asks it for each input it checks for newer versions, or
// for the asset whose evolution it lists (the baseline of benchmarks/queries.py).
// $path: "<project>/<asset name>"
MATCH (v:Version)-[:VERSION_OF]->(:Asset {path: $path})
RETURN v.uid AS uid, v.number AS version, v.status AS status
ORDER BY version
