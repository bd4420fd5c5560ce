// versions_inputs: versions' fixed fields and their own inputs (DEPENDS_ON and CONTAINS
// targets) as three lists in the same order, by uid: what never changes once a version is
// published (legos/store/dependents_closure.py). A list of uids joins whole tables on
// LadybugDB (150-450 ms at 100k nodes, whatever the list's length): legos asks it there only
// for more than a few hundred versions, else lineage/version_inputs one keyed query each.
// LadybugDB spelling as in
// lineage/version_inputs.ladybug.cypher: the fields' row first with empty lists, then the
// inputs' row of each version that has any.
// $uids: list of version uids
UNWIND $uids AS u
MATCH (v:Version {uid: u})
RETURN v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.number AS version, v.created_by AS created_by, v.created_at AS created_at,
       CAST([] AS STRING[]) AS inputs, CAST([] AS STRING[]) AS relations,
       CAST([] AS STRING[]) AS roles
UNION ALL
UNWIND $uids AS u
MATCH (v:Version {uid: u})-[r:DEPENDS_ON|CONTAINS]->(i:Version)
WITH v, collect(i.uid) AS inputs, collect(lower(label(r))) AS relations,
     collect(coalesce(r.role, r.slot)) AS roles
RETURN v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.number AS version, v.created_by AS created_by, v.created_at AS created_at,
       inputs, relations, roles
