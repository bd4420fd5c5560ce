// versions: bulk-create Version nodes with their VERSION_OF and CREATED_BY edges, with the
// properties publish/create_version gives them (project, asset and kind copied from the asset).
// $rows: list of {uid, asset_uid, key, project, asset, kind, number, status, content_hash, comment, created_by, created_at, folder}
UNWIND $rows AS r
MATCH (a:Asset {uid: r.asset_uid})
MATCH (u:User {name: r.created_by})
CREATE (v:Version {uid: r.uid, key: r.key, project: r.project, asset: r.asset, kind: r.kind,
                   number: r.number, status: r.status, content_hash: r.content_hash,
                   comment: r.comment, created_by: r.created_by, created_at: r.created_at,
                   folder: r.folder})
CREATE (v)-[:VERSION_OF]->(a)
CREATE (v)-[:CREATED_BY]->(u)
RETURN count(*) AS written
