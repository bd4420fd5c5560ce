// edges_into: dependency and member edges that point at the given versions (asked only for
// versions found damaged on disk, so the list is short): which inputs are no longer whole.
// $uids: list of target version uids
// $project: only edges from this project's versions ("" for every project)
UNWIND $uids AS u
MATCH (s:Version)-[:DEPENDS_ON]->(t:Version {uid: u})
WHERE ($project = "" OR s.project = $project)
RETURN s.project AS project, s.asset AS asset, s.number AS number, "dependency" AS edge,
       t.uid AS target, t.project AS target_project, t.asset AS target_asset,
       t.number AS target_number
UNION ALL
UNWIND $uids AS u
MATCH (s:Version)-[:CONTAINS]->(t:Version {uid: u})
WHERE ($project = "" OR s.project = $project)
RETURN s.project AS project, s.asset AS asset, s.number AS number, "member" AS edge,
       t.uid AS target, t.project AS target_project, t.asset AS target_asset,
       t.number AS target_number
