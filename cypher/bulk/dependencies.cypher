// dependencies: bulk-create DEPENDS_ON edges between existing versions.
// $rows: list of {source, target, role} (version uids)
UNWIND $rows AS r
MATCH (s:Version {uid: r.source})
MATCH (t:Version {uid: r.target})
CREATE (s)-[:DEPENDS_ON {role: r.role}]->(t)
RETURN count(*) AS written
