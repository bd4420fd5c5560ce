// version_dependencies: a version's dependencies with their roles, from the keyed version.
// $uid: the version's uid
MATCH (v:Version {uid: $uid})-[d:DEPENDS_ON]->(x:Version)
RETURN x.uid AS uid, d.role AS name
