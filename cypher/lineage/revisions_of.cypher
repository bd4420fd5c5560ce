// revisions_of: the dailies revisions that submit any of the given versions.
// $uids: list of version uids
MATCH (r:Revision)-[:SUBMITS]->(v:Version)
WHERE v.uid IN $uids
RETURN r.uid AS revision, r.kind AS kind, r.status AS status, r.created_by AS created_by,
       r.created_at AS created_at, v.uid AS version_uid
ORDER BY r.created_at
