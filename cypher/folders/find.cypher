// find: the Folder nodes among some paths, one keyed lookup each (an index seek each on Neo4j;
// on LadybugDB an UNWIND of keys matched to nodes alone is a primary-key probe each, unlike one
// followed by a relationship, which joins the whole relationship table).
// $paths: list of folders relative to the publish root
UNWIND $paths AS p
MATCH (f:Folder {path: p})
RETURN f.path AS path, f.owner AS owner
