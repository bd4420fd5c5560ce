// users: bulk-load User nodes, keeping any that exist.
// $rows: list of {name, created_at}
UNWIND $rows AS r
MERGE (u:User {name: r.name})
ON CREATE SET u.created_at = r.created_at
RETURN count(*) AS written
