// ensure_assets: the assets of a batch chunk, each created with its project and user if new
// (one row per asset; `created` says which are new: they still need their IN_PROJECT edge and
// the new-asset checks).
// $assets: list of {path, folded, project, name, kind, uid (a fresh one), user}
// $now: the publish time
UNWIND $assets AS x
MERGE (p:Project {code: x.project})
ON CREATE SET p.created_at = $now
WITH x
MERGE (a:Asset {path: x.path})
ON CREATE SET a.uid = x.uid, a.project = x.project, a.name = x.name, a.kind = x.kind,
              a.created_at = $now, a.created_by = x.user, a.version_count = 0,
              a.folded = x.folded
RETURN a.path AS path, a.uid = x.uid AS created
