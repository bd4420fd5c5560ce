// versions_inputs: versions' fixed fields and their own inputs (DEPENDS_ON and CONTAINS
// targets) as three lists in the same order, by uid: what never changes once a version is
// published, read once per store for versions met for the first time. Neo4j spelling: the
// rows come back transposed, as one record (`_columns`, `_rows`: see
// legos/store/neo4j_bolt.py); created_at as epoch microseconds (see lineage/dependencies).
// collect() drops nulls: each role goes in a list of its own (a missing role stays null).
// $uids: list of version uids
UNWIND $uids AS u
MATCH (v:Version {uid: u})
OPTIONAL MATCH (v)-[r:DEPENDS_ON|CONTAINS]->(i:Version)
WITH v, collect(i.uid) AS inputs, collect(toLower(type(r))) AS relations,
     collect(CASE WHEN r IS NULL THEN null ELSE [coalesce(r.role, r.slot)] END) AS roles
RETURN ['uid', 'project', 'asset', 'kind', 'version', 'created_by', 'created_at_epoch_us',
        'inputs', 'relations', 'roles'] AS _columns,
       collect([v.uid, v.project, v.asset, v.kind, v.number, v.created_by,
                v.created_at.epochSeconds * 1000000 + v.created_at.microsecond,
                inputs, relations, [role IN roles | role[0]]]) AS _rows
