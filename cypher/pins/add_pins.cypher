// add_pins: the PINS edges of a pin set to the versions it pins in one scope. (The uids come as
// a plain list: LadybugDB binds a list of strings far faster than a list of maps.)
// $uid: the pin set's uid
// $scope: the scope of these pins ('' for the outermost)
// $versions: list of version uids
MATCH (s:PinSet {uid: $uid})
UNWIND $versions AS u
MATCH (v:Version {uid: u})
CREATE (s)-[:PINS {scope: $scope}]->(v)
RETURN count(*) AS linked
