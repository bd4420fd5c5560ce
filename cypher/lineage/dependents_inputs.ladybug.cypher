// dependents_inputs: every version and package that uses a version, transitively, once each,
// with its fixed fields and all of its own inputs (DEPENDS_ON and CONTAINS targets, inside the
// closure or not) as three lists in the same order: what never changes once a version is
// published, read in one walk when most of a closure is met for the first time (a fresh
// process: a list of uids, lineage/versions_inputs, joins whole tables on LadybugDB, and one
// keyed query each is 0.3 ms a version). legos/store/dependents_closure.py remembers it.
// LadybugDB spelling: the `* SHORTEST` walk gives each user once; the input hop is written in
// the same pattern (after a `WITH *`, LadybugDB joins whole tables). Every user has an input.
// $uid: the version whose users are wanted
MATCH (:Version {uid: $uid})<-[:DEPENDS_ON|CONTAINS* SHORTEST 1..64]-(v:Version)
      -[r:DEPENDS_ON|CONTAINS]->(i:Version)
WITH v, collect(i.uid) AS inputs, collect(lower(label(r))) AS relations,
     collect(coalesce(r.role, r.slot)) AS roles
RETURN v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.number AS version, v.created_by AS created_by, v.created_at AS created_at,
       inputs, relations, roles
