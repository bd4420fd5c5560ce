// contains_edges: the CONTAINS edges leaving the given package versions (slot and member).
// $uids: list of package version uids
MATCH (p:Version)-[c:CONTAINS]->(m:Version)
WHERE p.uid IN $uids
RETURN p.uid AS parent, m.uid AS member, c.slot AS slot
