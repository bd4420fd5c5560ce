// dependents_inputs: every version and package that uses a version, transitively, once each,
// with its fixed fields and all of its own inputs (DEPENDS_ON and CONTAINS targets, inside the
// closure or not) as three lists in the same order: what never changes once a version is
// published, read in one walk when most of a closure is met for the first time (a fresh
// process), instead of a seek per uid (lineage/versions_inputs). legos asks it on LadybugDB;
// this spelling keeps the module whole on Neo4j (measured slower there than the seeks).
// legos/store/dependents_closure.py remembers it. Neo4j spelling: the rows come back
// transposed, as one record (`_columns`, `_rows`: see legos/store/neo4j_bolt.py); created_at as
// epoch microseconds. collect() drops nulls: each role goes in a list of its own.
// `USING INDEX SEEK` pins the start to a seek of the uid index (as lineage/dependent_statuses).
// $uid: the version whose users are wanted
MATCH (start:Version {uid: $uid})<-[:DEPENDS_ON|CONTAINS*1..64]-(v:Version)
USING INDEX SEEK start:Version(uid)
WITH DISTINCT v
MATCH (v)-[r:DEPENDS_ON|CONTAINS]->(i:Version)
WITH v, collect(i.uid) AS inputs, collect(toLower(type(r))) AS relations,
     collect([coalesce(r.role, r.slot)]) AS roles
RETURN ['uid', 'project', 'asset', 'kind', 'version', 'created_by', 'created_at_epoch_us',
        'inputs', 'relations', 'roles'] AS _columns,
       collect([v.uid, v.project, v.asset, v.kind, v.number, v.created_by,
                v.created_at.epochSeconds * 1000000 + v.created_at.microsecond,
                inputs, relations, [role IN roles | role[0]]]) AS _rows
