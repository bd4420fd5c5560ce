// add_includes: the INCLUDES edges of a pin set to the pin sets it nests, with their scope.
// Included pin sets unknown to this store (a manifest from elsewhere) are skipped.
// $uid: the pin set's uid
// $includes: list of {uid (an included pin set's uid), scope}
MATCH (s:PinSet {uid: $uid})
UNWIND $includes AS i
MATCH (inner:PinSet {uid: i.uid})
CREATE (s)-[:INCLUDES {scope: i.scope}]->(inner)
RETURN count(*) AS linked
