// find_contains: the assets with a metadata value under $key whose text contains $needle
// (case-insensitive): their own, or a version's (created by $as_of; with $latest, only the
// asset's latest version's). Looked up by key (indexed on Neo4j).
// On Neo4j the key's index is sought (a hint: with few rows the planner scanned whole indexes).
// The as-of test is written `coalesce(v.created_at, $as_of) <= $as_of` so that it cannot be
// answered from the Version(created_at) index: the planner sometimes scanned that whole index
// beside the seek and joined the two (a version always has created_at, so the answer is the same).
// $key: the metadata key
// $needle: the text to look for, in lower case
// $latest: true: only each asset's latest version counts (legos ls); false: any version
// $as_of: versions created after this instant do not count
MATCH (a:Asset)-[:HAS_METADATA]->(m:Metadata)
USING INDEX SEEK m:Metadata(key)
WHERE m.key = $key AND toLower(m.text) CONTAINS $needle
RETURN a.path AS path
UNION
MATCH (a:Asset)<-[:VERSION_OF]-(v:Version)-[:HAS_METADATA]->(m:Metadata)
USING INDEX SEEK m:Metadata(key)
WHERE m.key = $key AND toLower(m.text) CONTAINS $needle
  AND coalesce(v.created_at, $as_of) <= $as_of
  AND (NOT $latest OR v.number = a.version_count)
RETURN a.path AS path
