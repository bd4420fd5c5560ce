// inputs: what versions were made from (DEPENDS_ON), with the role and the input's kind: an
// assembly finds the model a look binding looks at among them.
// $uids: list of version uids
UNWIND $uids AS u
MATCH (v:Version {uid: u})-[d:DEPENDS_ON]->(w:Version)
RETURN v.uid AS uid, d.role AS role, w.uid AS input, w.project AS project, w.asset AS asset,
       w.kind AS kind, w.number AS number
ORDER BY uid, asset
