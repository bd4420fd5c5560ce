// latest: every asset that existed at the time, with its latest version number then.
// $project: only assets of this project, or '' for all (default: "")
// $kind: only assets of this kind, or '' for all (default: "")
// $as_of: versions created after this instant are left out (default: now)
MATCH (a:Asset)<-[:VERSION_OF]-(v:Version)
WHERE v.created_at <= $as_of AND ($project = '' OR a.project = $project)
  AND ($kind = '' OR a.kind = $kind)
RETURN a.path AS path, a.project AS project, a.name AS asset, a.kind AS kind,
       max(v.number) AS version
