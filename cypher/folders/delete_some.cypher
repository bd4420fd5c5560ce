// delete_some: delete up to $limit Folder nodes (rebuilding a partial index); how many went.
// $limit: how many at most
MATCH (f:Folder)
WITH f LIMIT $limit
DELETE f
RETURN count(*) AS n
