// list_having: assets (optionally of one project and/or kind) with a version of a status
// and/or one carrying a tag, with their latest version number. (assets/list answers the plain
// case: LadybugDB evaluates EXISTS rules even when they are empty.)
// $project: a project code, or '' for all
// $kind: an asset kind, or '' for all
// $status: a status one of its versions has, or ''
// $tag: a tag one of its versions carries, or ''
MATCH (a:Asset)
WHERE ($project = '' OR a.project = $project) AND ($kind = '' OR a.kind = $kind)
  AND ($status = '' OR EXISTS { MATCH (a)<-[:VERSION_OF]-(v:Version) WHERE v.status = $status })
  AND ($tag = '' OR EXISTS { MATCH (a)<-[:VERSION_OF]-(:Version)-[:TAGGED]->(:Tag {name: $tag}) })
RETURN a.uid AS uid, a.project AS project, a.name AS name, a.kind AS kind, a.version_count AS latest,
       a.created_at AS created_at
ORDER BY a.project, a.name
