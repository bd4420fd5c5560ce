// v2_asset_folded: schema 2 gives every asset its path in lower case (the case-clash check).
// No parameters.
MATCH (a:Asset) WHERE a.folded IS NULL
SET a.folded = toLower(a.path)
RETURN count(a) AS updated
