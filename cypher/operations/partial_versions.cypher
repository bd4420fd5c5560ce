// partial_versions: versions that are not whole: no asset holds them (VERSION_OF), so no URI
// reaches them. A publish writes a version in one transaction, so any row here is damage.
// $project: only this project's versions ("" for every project)
MATCH (v:Version)
WHERE ($project = "" OR v.project = $project)
  AND NOT EXISTS { MATCH (v)-[:VERSION_OF]->(:Asset) }
RETURN v.uid AS uid, v.project AS project, v.asset AS asset, v.number AS number,
       v.folder AS folder
