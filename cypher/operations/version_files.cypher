// version_files: one page of versions (ordered by uid, after $after) with their recorded files:
// what `legos verify` checks on disk. One row per file; a version without files gives one row
// with a null name. Paging by uid keeps a million versions at a few dozen queries.
// $after: the last uid of the previous page ("" for the first page)
// $limit: how many versions in the page
// $project: only this project's versions ("" for every project)
MATCH (v:Version)
WHERE v.uid > $after AND ($project = "" OR v.project = $project)
WITH v ORDER BY v.uid LIMIT $limit
OPTIONAL MATCH (v)-[:HAS_REPRESENTATION]->(r:Representation)
RETURN v.uid AS uid, v.project AS project, v.asset AS asset, v.number AS number,
       v.folder AS folder, v.entry AS entry, v.content_hash AS content_hash, r.name AS name,
       r.path AS path, r.size AS size, r.sha256 AS sha256, r.role AS role
