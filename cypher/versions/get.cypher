// get: everything about versions by uid: fields, representations and tags.
// $uids: list of version uids
MATCH (v:Version)
WHERE v.uid IN $uids
OPTIONAL MATCH (v)-[:HAS_REPRESENTATION]->(r:Representation)
WITH v, collect({name: r.name, path: r.path, format: r.format, size: r.size,
                 sha256: r.sha256}) AS reps
OPTIONAL MATCH (v)-[:TAGGED]->(t:Tag)
RETURN v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.number AS number, v.status AS status, v.content_hash AS content_hash,
       v.comment AS comment, v.created_by AS created_by, v.created_at AS created_at,
       reps, collect(t.name) AS tags
