// members: the direct members of package versions (CONTAINS edges), with the slot each is
// held in and the member's asset, for assembling a package as a USD stage level by level.
// $uids: list of package version uids
UNWIND $uids AS u
MATCH (p:Version {uid: u})-[c:CONTAINS]->(m:Version)
RETURN p.uid AS package, c.slot AS slot, m.uid AS uid, m.project AS project,
       m.asset AS asset, m.kind AS kind, m.number AS number
ORDER BY package, slot, asset
