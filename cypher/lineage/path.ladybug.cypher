// path: one shortest chain by which a version came to depend on another (through DEPENDS_ON
// and package membership), as the versions along it and each hop's relation and role or slot;
// no row when the first does not depend on the second. LadybugDB spelling: `* SHORTEST`
// between bound ends, list_transform over the path's relationships.
// $from_uid: the version that depends (e.g. a QC render)
// $to_uid: the version it depends on (e.g. a texture)
MATCH p = (a:Version {uid: $from_uid})-[:DEPENDS_ON|CONTAINS* SHORTEST 1..64]->
          (b:Version {uid: $to_uid})
RETURN properties(nodes(p), 'uid') AS uids,
       list_transform(rels(p), r -> lower(label(r))) AS relations,
       list_transform(rels(p), r -> coalesce(r.role, r.slot)) AS roles
