// pinned: the versions a recorded pin set pins, with the scope of each.
// $uid: the pin set's uid
MATCH (s:PinSet {uid: $uid})-[p:PINS]->(v:Version)
RETURN p.scope AS scope, v.uid AS uid
