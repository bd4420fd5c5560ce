// add_members: CONTAINS edges of a batch chunk's new package versions to exact members.
// Returns how many were linked: fewer than given means a member vanished.
// $members: list of {source (the new version's uid), uid (the member's), slot}
// (Each node is matched by its key in a MATCH of its own, after a WITH: LadybugDB plans two
// keyed nodes in one MATCH under an UNWIND as a cross product: 38 s for 2,560 rows at 100k.)
UNWIND $members AS m
MATCH (v:Version {uid: m.source})
WITH v, m
MATCH (member:Version {uid: m.uid})
CREATE (v)-[:CONTAINS {slot: m.slot}]->(member)
RETURN count(*) AS linked
