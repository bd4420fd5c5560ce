// included: the pin sets a recorded pin set nests, with the scope each is nested under.
// $uid: the pin set's uid
MATCH (s:PinSet {uid: $uid})-[i:INCLUDES]->(inner:PinSet)
RETURN i.scope AS scope, inner.name AS name, inner.uid AS uid, inner.hash AS hash
