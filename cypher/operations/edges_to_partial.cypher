// edges_to_partial: dependency and member edges whose target version is not whole (no asset
// holds it): the input a version records cannot be reached.
// $project: only edges from this project's versions ("" for every project)
MATCH (s:Version)-[:DEPENDS_ON]->(t:Version)
WHERE ($project = "" OR s.project = $project)
  AND NOT EXISTS { MATCH (t)-[:VERSION_OF]->(:Asset) }
RETURN s.project AS project, s.asset AS asset, s.number AS number, "dependency" AS edge,
       t.uid AS target, t.project AS target_project, t.asset AS target_asset,
       t.number AS target_number
UNION ALL
MATCH (s:Version)-[:CONTAINS]->(t:Version)
WHERE ($project = "" OR s.project = $project)
  AND NOT EXISTS { MATCH (t)-[:VERSION_OF]->(:Asset) }
RETURN s.project AS project, s.asset AS asset, s.number AS number, "member" AS edge,
       t.uid AS target, t.project AS target_project, t.asset AS target_asset,
       t.number AS target_number
