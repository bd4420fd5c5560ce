// get: the Folder node at one path (a primary-key probe), if there is one.
// $path: a folder relative to the publish root
MATCH (f:Folder {path: $path})
RETURN f.path AS path, f.owner AS owner
