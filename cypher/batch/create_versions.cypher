// create_versions: the Version nodes of a batch chunk with their asset and creator edges.
// $versions: list of {asset_path, uid, key, number, status, content_hash, comment, user, folder,
//   entry, provenance} (see publish/create_version)
// $now: the publish time
// (Each node is matched by its key in a MATCH of its own, after a WITH: LadybugDB plans two
// keyed nodes in one MATCH under an UNWIND as a cross product: 38 s for 2,560 rows at 100k.)
UNWIND $versions AS x
MATCH (a:Asset {path: x.asset_path})
WITH a, x
MATCH (u:User {name: x.user})
CREATE (v:Version {uid: x.uid, key: x.key, project: a.project, asset: a.name, kind: a.kind,
                   number: x.number, status: x.status, content_hash: x.content_hash,
                   comment: x.comment, created_by: x.user, created_at: $now,
                   folder: x.folder, entry: x.entry, provenance: x.provenance})
CREATE (v)-[:VERSION_OF]->(a)
CREATE (v)-[:CREATED_BY]->(u)
RETURN count(*) AS created
