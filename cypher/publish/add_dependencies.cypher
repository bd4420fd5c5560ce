// add_dependencies: DEPENDS_ON edges from a new version to exact existing versions.
// Returns how many were linked: fewer than given means a target vanished or never existed.
// $uid: the new version's uid
// $deps: list of {uid, role}
MATCH (v:Version {uid: $uid})
UNWIND $deps AS d
MATCH (target:Version {uid: d.uid})
CREATE (v)-[:DEPENDS_ON {role: d.role}]->(target)
RETURN count(*) AS linked
