// v2_versions_without_entry: versions written before schema 2 with the names of their files,
// to choose each one's entry file; a version may come once per file.
// $limit: how many rows at most
MATCH (v:Version) WHERE v.entry IS NULL
OPTIONAL MATCH (v)-[:HAS_REPRESENTATION]->(r:Representation)
RETURN v.uid AS uid, v.asset AS asset, r.name AS name
ORDER BY uid
LIMIT $limit
