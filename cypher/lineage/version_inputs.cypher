// version_inputs: one version's fixed fields and its own inputs (DEPENDS_ON and CONTAINS
// targets) as three lists in the same order: what never changes once it is published. Keyed:
// legos asks it on LadybugDB once per version met for the first time when there are few, where
// a list of versions (lineage/versions_inputs) joins whole tables (40-150 ms at 100k nodes
// even for 10 versions); on Neo4j it asks the list.
// $uid: the version's uid
MATCH (v:Version {uid: $uid})
OPTIONAL MATCH (v)-[r:DEPENDS_ON|CONTAINS]->(i:Version)
WITH v, collect(i.uid) AS inputs, collect(toLower(type(r))) AS relations,
     collect(coalesce(r.role, r.slot)) AS roles
RETURN v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.number AS version, v.created_by AS created_by, v.created_at AS created_at,
       inputs, relations, roles
