// set_counts: the last allocated version number of each asset of a batch chunk (under its lock).
// $counts: list of {path, count}
UNWIND $counts AS c
MATCH (a:Asset {path: c.path})
SET a.version_count = c.count
RETURN count(*) AS updated
