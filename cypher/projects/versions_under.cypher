// versions_under: published versions of the asset "<project>/<name>" or of assets under it,
// for entries a load would remove (a few per entry are enough to name).
// $project: the project code
// $names: the entry names
UNWIND $names AS name
MATCH (a:Asset)
WHERE a.project = $project AND (a.name = name OR a.name STARTS WITH (name + '/'))
MATCH (v:Version)-[:VERSION_OF]->(a)
RETURN name, a.name AS asset, v.number AS number
ORDER BY name, asset, number
