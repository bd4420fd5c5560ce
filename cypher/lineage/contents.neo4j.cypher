// contents: a package version's members, recursively (packages inside packages), as the
// CONTAINS edges of that tree: one row per edge from a package to a member, with the slot and
// the member's fields. legos.lineage walks them breadth-first for depth.
// Neo4j spelling: the rows come back transposed, as one record (`_columns`, `_rows`: see
// legos/store/neo4j_bolt.py): the driver decodes a record in ~10 us and a list in well
// under one, so a closure of thousands of edges comes back in a fraction of the time.
// created_at comes as epoch microseconds: the Python driver spends ~90 us decoding each
// DateTime and ~12 us an integer, which dominated big closures. The Neo4j backend returns a
// column named `*_epoch_us` as a UTC datetime named without the suffix.
// As of a past instant, versions created after it are left out at both ends of an edge: a
// version is always newer than its inputs, so that is the graph as it stood then.
// The as-of test on a matched version is `coalesce(v.created_at, $as_of) <= $as_of`: written
// plainly, Neo4j sometimes planned it as a scan of the Version(created_at) index joined back
// to the walk (6 s instead of 50 ms); the coalesce cannot be answered from the index.
// `USING INDEX SEEK` pins the start to a seek of the uid index: on a fresh store's statistics
// Neo4j sometimes chose to scan that index and filter it instead.
// $uid: the package version's uid
// $as_of: versions created after this instant are left out (default: now)
MATCH (start:Version {uid: $uid})-[:CONTAINS*0..64]->(x:Version)
USING INDEX SEEK start:Version(uid)
WITH DISTINCT x
WHERE x.created_at <= $as_of
MATCH (x)-[r:CONTAINS]->(v:Version)
WHERE coalesce(v.created_at, $as_of) <= $as_of
RETURN ['near', 'relation', 'role', 'uid', 'project', 'asset', 'kind', 'version', 'status',
        'created_by', 'created_at_epoch_us'] AS _columns,
       collect([x.uid, 'contains', r.slot, v.uid, v.project, v.asset, v.kind, v.number, v.status,
                v.created_by, v.created_at.epochSeconds * 1000000 + v.created_at.microsecond]) AS _rows
