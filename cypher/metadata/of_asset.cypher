// of_asset: an asset's own metadata (not its versions'), one row per key.
// $path: "<project>/<asset name>"
MATCH (a:Asset {path: $path})-[:HAS_METADATA]->(m:Metadata)
RETURN m.key AS key, m.value AS value
