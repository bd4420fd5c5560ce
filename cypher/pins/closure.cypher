// closure: everything a version uses (DEPENDS_ON and CONTAINS, transitively), the version
// itself included, each once with its direct inputs as a list of uids, for legos.pins.pinset
// to walk breadth-first (the engine gives no depths here); lean: only what pinning needs
// (asset, number, kind and entry file, '' for none: no second read of the pinned versions'
// fields). One row of columns (lists in the same order), not a row per edge: a 10k-asset
// shot's 110k edges as rows took 2.3 s to decode, as columns 1.0 s.
// Planned as a pruning breadth-first expand, as lineage/dependencies.
// `USING INDEX SEEK` pins the start to a seek of the uid index: on a fresh store's statistics
// Neo4j sometimes chose to scan that index and filter it instead.
// $uid: the version being pinned
MATCH (start:Version {uid: $uid})-[:DEPENDS_ON|CONTAINS*0..64]->(x:Version)
USING INDEX SEEK start:Version(uid)
WITH DISTINCT x
OPTIONAL MATCH (x)-[:DEPENDS_ON|CONTAINS]->(v:Version)
WITH x, collect(v.uid) AS inputs
RETURN collect(x.uid) AS uids, collect(x.project + '/' + x.asset) AS assets,
       collect(x.number) AS numbers, collect(x.kind) AS kinds,
       collect(coalesce(x.entry, '')) AS entries, collect(inputs) AS inputs
