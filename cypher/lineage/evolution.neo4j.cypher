// evolution: how an asset evolved: each of its versions that existed at the as-of time, with
// its direct inputs (dependencies and members), one row per input (none for a version
// without inputs), as lineage/evolution.cypher. Neo4j spelling: the rows come back
// transposed, as one record (`_columns`, `_rows`: see legos/store/neo4j_bolt.py), in version
// order (sorted before they are collected).
// The as-of test on a matched version is `coalesce(v.created_at, $as_of) <= $as_of`: written
// plainly, Neo4j sometimes planned it as a scan of the Version(created_at) index joined back
// to the walk (6 s instead of 50 ms); the coalesce cannot be answered from the index.
// created_at comes as epoch microseconds, as in lineage/dependencies.cypher (the driver decodes
// an integer far faster than a DateTime, and the version's time repeats on every input row);
// the Neo4j backend returns it as a UTC datetime.
// $path: "<project>/<asset name>"
// $as_of: versions created after this instant are left out (default: now)
MATCH (v:Version)-[:VERSION_OF]->(a:Asset {path: $path})
USING INDEX SEEK a:Asset(path)
WHERE coalesce(v.created_at, $as_of) <= $as_of
OPTIONAL MATCH (v)-[r:DEPENDS_ON|CONTAINS]->(i:Version)
WITH v, r, i ORDER BY v.number
RETURN ['uid', 'version', 'status', 'created_by', 'created_at_epoch_us', 'comment',
        'input_project', 'input_asset', 'input_kind', 'input_version', 'relation',
        'role'] AS _columns,
       collect([v.uid, v.number, v.status, v.created_by,
                v.created_at.epochSeconds * 1000000 + v.created_at.microsecond, v.comment,
                i.project, i.asset, i.kind, i.number, toLower(type(r)),
                coalesce(r.role, r.slot)]) AS _rows
