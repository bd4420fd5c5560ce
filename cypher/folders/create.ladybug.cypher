// create: new Folder nodes (checked absent in the same transaction), given as one list per
// column (cheaper to bind on LadybugDB than a list of maps); LadybugDB's list positions
// start at 1.
// $paths: list of folders relative to the publish root
// $owners: list of the same length: the uid of the version whose folder it is, or ""
UNWIND range(1, size($paths)) AS i
CREATE (:Folder {path: $paths[i], owner: $owners[i]})
RETURN count(*) AS created
