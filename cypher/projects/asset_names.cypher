// asset_names: the names of a project's published assets (a new publish template must fit them).
// $project: the project code
MATCH (a:Asset)
WHERE a.project = $project
RETURN a.name AS name
ORDER BY name
