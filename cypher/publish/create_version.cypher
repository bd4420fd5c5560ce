// create_version: the new Version node with its asset and creator (content is frozen here).
// $asset_path: "<project>/<asset name>"
// $uid: the version's uid
// $key: "<asset path>@<number>", unique
// $number: the version number
// $status: the initial status
// $content_hash: sha256 over the version's files
// $comment: the publish comment
// $user: the publishing user
// $now: the publish time
// $folder: the version's folder, relative to the publish root
// $entry: the name of its entry file ("" when it has no files)
// $provenance: JSON text: how its content was made ("" when nothing is known)
MATCH (a:Asset {path: $asset_path}), (u:User {name: $user})
CREATE (v:Version {uid: $uid, key: $key, project: a.project, asset: a.name, kind: a.kind,
                   number: $number, status: $status, content_hash: $content_hash,
                   comment: $comment, created_by: $user, created_at: $now,
                   folder: $folder, entry: $entry, provenance: $provenance})
CREATE (v)-[:VERSION_OF]->(a)
CREATE (v)-[:CREATED_BY]->(u)
RETURN v.uid AS uid
