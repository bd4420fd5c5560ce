// folders_below: versions whose folder lies below one of the new folders of a batch chunk.
// The common prefix of them all is tested first (one string test a row; on Neo4j an index
// range seek), and only the versions under it against each new folder.
// $common: the longest common prefix of the entries of $below
// $below: list of new folders, each followed by '/'
MATCH (v:Version)
WHERE v.folder STARTS WITH $common
WITH v
WHERE any(b IN $below WHERE v.folder STARTS WITH b)
RETURN v.folder AS folder, v.project AS project, v.asset AS asset, v.number AS number
