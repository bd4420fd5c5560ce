// list: assets, optionally of one project and/or one kind, with their latest version number.
// $project: a project code, or '' for all
// $kind: an asset kind, or '' for all
MATCH (a:Asset)
WHERE ($project = '' OR a.project = $project) AND ($kind = '' OR a.kind = $kind)
RETURN a.uid AS uid, a.project AS project, a.name AS name, a.kind AS kind, a.version_count AS latest,
       a.created_at AS created_at
ORDER BY a.project, a.name
