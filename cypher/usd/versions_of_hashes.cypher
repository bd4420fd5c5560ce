// versions_of_hashes: which published files have the given contents, to recognise copies of them made outside the publish root.
// $hashes: list of sha256 hex digests of file contents
MATCH (v:Version)-[:HAS_REPRESENTATION]->(r:Representation)
WHERE r.sha256 IN $hashes
RETURN r.sha256 AS sha256, r.path AS path, r.name AS name, v.uid AS uid, v.project AS project,
       v.asset AS asset, v.number AS number, v.kind AS kind
ORDER BY sha256, project, asset, number
