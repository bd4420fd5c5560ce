// inputs: the versions that versions were made from (DEPENDS_ON) or hold (CONTAINS): what a
// pin selection checks its choices against.
// $uids: list of version uids
UNWIND $uids AS u
MATCH (v:Version {uid: u})-[d:DEPENDS_ON]->(w:Version)
RETURN v.uid AS uid, 'made from' AS how, w.uid AS input, w.project AS project,
       w.asset AS asset, w.number AS number
UNION ALL
UNWIND $uids AS u
MATCH (v:Version {uid: u})-[c:CONTAINS]->(w:Version)
RETURN v.uid AS uid, 'holds' AS how, w.uid AS input, w.project AS project,
       w.asset AS asset, w.number AS number
