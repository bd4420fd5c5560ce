// all_files: every published file with the version it belongs to, its path relative to the
// publish root and its size (what `legos relocate` checks at the new root).
// No parameters.
MATCH (v:Version)-[:HAS_REPRESENTATION]->(r:Representation)
RETURN v.project AS project, v.asset AS asset, v.number AS number, r.path AS path,
       r.size AS size
