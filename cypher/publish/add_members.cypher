// add_members: CONTAINS edges from a new package version to exact member versions.
// Returns how many were linked: fewer than given means a member does not exist.
// $uid: the new package version's uid
// $members: list of {uid, slot}
MATCH (v:Version {uid: $uid})
UNWIND $members AS m
MATCH (member:Version {uid: m.uid})
CREATE (v)-[:CONTAINS {slot: m.slot}]->(member)
RETURN count(*) AS linked
