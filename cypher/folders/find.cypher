// find: the Folder nodes among some paths, one keyed lookup each (an index seek each on Neo4j;
// on LadybugDB a join over the whole Folder table, so it is used there only for many paths).
// $paths: list of folders relative to the publish root
UNWIND $paths AS p
MATCH (f:Folder {path: p})
RETURN f.path AS path, f.owner AS owner
