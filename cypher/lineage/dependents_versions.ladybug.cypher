// dependents_versions: every version and package that uses a version, transitively, once each
// with its shortest depth, current status and fixed fields, and every one of its own inputs
// (DEPENDS_ON and CONTAINS targets, inside the closure or not) as three lists in the same order:
// what legos.store.embedded_lineage remembers of versions it meets for the first time (their
// inputs and fields never change). One row per version with lists: a row per input edge took
// twice the fetching. LadybugDB's `* SHORTEST` walk gives the depth; the input hop is written
// in the same pattern (after a `WITH *`, LadybugDB joined whole tables: 100 ms -> 290 ms).
// $uid: the version whose users are wanted
MATCH (:Version {uid: $uid})<-[p:DEPENDS_ON|CONTAINS* SHORTEST 1..64]-(v:Version)
      -[r:DEPENDS_ON|CONTAINS]->(i:Version)
WITH v, length(p) AS depth, collect(i.uid) AS inputs, collect(lower(label(r))) AS relations,
     collect(coalesce(r.role, r.slot)) AS roles
RETURN v.uid AS uid, depth, v.status AS status, v.project AS project, v.asset AS asset,
       v.kind AS kind, v.number AS version, v.created_by AS created_by,
       v.created_at AS created_at, inputs, relations, roles
