// add_pins: the PINS edges of a pin set, one per pinned version and scope.
// $uid: the pin set's uid
// $pins: list of {uid (a version uid), scope}
MATCH (s:PinSet {uid: $uid})
UNWIND $pins AS p
MATCH (v:Version {uid: p.uid})
CREATE (s)-[:PINS {scope: p.scope}]->(v)
RETURN count(*) AS linked
