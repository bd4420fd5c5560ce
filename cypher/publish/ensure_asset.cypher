// ensure_asset: the asset a publish goes to, created with its project and user if new.
// Returns the asset's kind so the caller can refuse a publish under another kind, and its uid
// (the given $uid when the asset is new: then the caller links it to its project with
// batch/link_projects; a MERGE of that edge here scanned the edges on every publish, 19 ms at
// 100k nodes on LadybugDB).
// $path: "<project>/<asset name>"
// $folded: the path in lower case (used only when the asset is new)
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
MERGE (a:Asset {path: $path})
ON CREATE SET a.uid = $uid, a.project = $project, a.name = $name, a.kind = $kind,
              a.created_at = $now, a.created_by = $user, a.version_count = 0,
              a.folded = $folded
RETURN a.uid AS uid, a.kind AS kind
