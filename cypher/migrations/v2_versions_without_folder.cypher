// v2_versions_without_folder: versions written before schema 2, with one of their files (if
// any) from which their folder can be read; a version may come once per file.
// $limit: how many rows at most
MATCH (v:Version) WHERE v.folder IS NULL
OPTIONAL MATCH (v)-[:HAS_REPRESENTATION]->(r:Representation)
RETURN v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.number AS number, r.path AS path, r.name AS name
LIMIT $limit
