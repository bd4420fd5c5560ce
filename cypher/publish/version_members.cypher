// version_members: a package version's members with their slots, from the keyed version.
// $uid: the version's uid
MATCH (v:Version {uid: $uid})-[c:CONTAINS]->(x:Version)
RETURN x.uid AS uid, c.slot AS name
