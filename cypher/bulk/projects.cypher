// projects: bulk-load Project nodes (a synthetic or imported graph), keeping any that exist.
// $rows: list of {code, created_at}
UNWIND $rows AS r
MERGE (p:Project {code: r.code})
ON CREATE SET p.created_at = r.created_at
RETURN count(*) AS written
