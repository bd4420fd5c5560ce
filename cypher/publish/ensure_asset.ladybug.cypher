// ensure_asset: the asset a publish goes to, created with its project and user if new.
// LadybugDB's MERGE matches on the primary key, and the asset's key is its uid, not its path:
// so look the path up first and create only when absent (writes are single-process here).
// $path: "<project>/<asset name>"
// $project: the project code
// $name: the asset name
// $kind: the asset kind (used only when the asset is new)
// $uid: a fresh uid (used only when the asset is new)
// $user: the publishing user
// $now: the publish time
MERGE (p:Project {code: $project})
ON CREATE SET p.created_at = $now
MERGE (u:User {name: $user})
ON CREATE SET u.created_at = $now
WITH p
OPTIONAL MATCH (existing:Asset {path: $path})
WITH p, existing
WHERE existing IS NULL
CREATE (a:Asset {uid: $uid, path: $path, project: $project, name: $name, kind: $kind,
                 created_at: $now, created_by: $user, version_count: 0})
CREATE (a)-[:IN_PROJECT]->(p)
RETURN a.uid AS uid, a.kind AS kind
