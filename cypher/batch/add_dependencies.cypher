// add_dependencies: DEPENDS_ON edges of a batch chunk's new versions to exact versions.
// Returns how many were linked: fewer than given means a target vanished.
// $deps: list of {source (the new version's uid), uid (the target's), role}
// (Each node is matched by its key in a MATCH of its own, after a WITH: LadybugDB plans two
// keyed nodes in one MATCH under an UNWIND as a cross product: 38 s for 2,560 rows at 100k.)
UNWIND $deps AS d
MATCH (v:Version {uid: d.source})
WITH v, d
MATCH (target:Version {uid: d.uid})
CREATE (v)-[:DEPENDS_ON {role: d.role}]->(target)
RETURN count(*) AS linked
