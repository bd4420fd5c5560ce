// members: bulk-create CONTAINS edges from package versions to existing member versions.
// $rows: list of {source, target, slot} (version uids)
UNWIND $rows AS r
MATCH (p:Version {uid: r.source})
MATCH (m:Version {uid: r.target})
CREATE (p)-[:CONTAINS {slot: r.slot}]->(m)
RETURN count(*) AS written
