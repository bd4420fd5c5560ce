// next_number: allocate the asset's next version number (run under the asset's lock).
// $path: "<project>/<asset name>"
MATCH (a:Asset {path: $path})
SET a.version_count = a.version_count + 1
RETURN a.version_count AS number
