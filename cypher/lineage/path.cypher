// path: one shortest chain by which a version came to depend on another (through DEPENDS_ON
// and package membership), as the versions along it and each hop's relation and role or slot;
// no row when the first does not depend on the second. Both ends are bound, so this is a
// bidirectional breadth-first search, never an enumeration of paths.
// `USING INDEX SEEK` pins both ends to a seek of the uid index: on a fresh store's statistics
// Neo4j sometimes chose to scan that index and filter it instead.
// $from_uid: the version that depends (e.g. a QC render)
// $to_uid: the version it depends on (e.g. a texture)
MATCH (a:Version {uid: $from_uid}), (b:Version {uid: $to_uid})
USING INDEX SEEK a:Version(uid)
USING INDEX SEEK b:Version(uid)
MATCH p = shortestPath((a)-[:DEPENDS_ON|CONTAINS*1..64]->(b))
RETURN [n IN nodes(p) | n.uid] AS uids,
       [r IN relationships(p) | toLower(type(r))] AS relations,
       [r IN relationships(p) | coalesce(r.role, r.slot)] AS roles
