// count: how many Folder nodes the store holds.
MATCH (f:Folder)
RETURN count(f) AS n
