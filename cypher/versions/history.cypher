// history: every version of an asset, newest first, with status, creator, time and comment.
// $path: "<project>/<asset name>"
MATCH (v:Version)-[:VERSION_OF]->(a:Asset {path: $path})
RETURN v.uid AS uid, v.number AS version, v.status AS status, v.created_by AS created_by,
       v.created_at AS created_at, v.comment AS comment
ORDER BY v.number DESC
