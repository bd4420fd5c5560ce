// asset: one asset by path, with its latest version number.
// $path: "<project>/<asset name>"
MATCH (a:Asset {path: $path})
RETURN a.uid AS uid, a.project AS project, a.name AS name, a.kind AS kind,
       a.created_at AS created_at, a.created_by AS created_by, a.version_count AS latest
