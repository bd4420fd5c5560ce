// versions_of_files: which published version each file belongs to, found by its path under the publish root.
// $paths: list of file paths relative to the publish root, '/'-separated (as Representation.path stores them)
MATCH (v:Version)-[:HAS_REPRESENTATION]->(r:Representation)
WHERE r.path IN $paths
RETURN r.path AS path, r.name AS name, v.uid AS uid, v.project AS project, v.asset AS asset,
       v.number AS number, v.kind AS kind
ORDER BY path
