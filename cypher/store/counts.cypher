// counts: how many assets and versions the store holds.
// No parameters.
MATCH (a:Asset)
WITH count(a) AS assets
OPTIONAL MATCH (v:Version)
RETURN assets, count(v) AS versions
