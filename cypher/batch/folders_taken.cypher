// folders_taken: versions whose folder is one of $folders (the new folders of a batch chunk and
// every folder above them). An UNWIND joined to the versions: one hash join over the folder
// column on LadybugDB (no index there: `IN $list` compares each row with the whole list, 40 ms
// -> 1.5 s with the prefix test at 100k nodes and 256 folders), an index seek each on Neo4j.
// $folders: list of folders relative to the publish root
UNWIND $folders AS f
MATCH (v:Version)
WHERE v.folder = f
RETURN v.folder AS folder, v.project AS project, v.asset AS asset, v.number AS number
