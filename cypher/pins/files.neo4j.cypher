// files: the files a pin names (name, path, sha256, role) of versions by uid, as
// pins/files.cypher. Neo4j spelling: the rows come back transposed, as one record (`_columns`,
// `_rows`: see legos/store/neo4j_bolt.py): a 12.5k-asset manifest's files in one record
// instead of tens of thousands (the driver spends ~10 us on each record).
// $uids: list of version uids
UNWIND $uids AS u
MATCH (v:Version {uid: u})-[:HAS_REPRESENTATION]->(r:Representation)
RETURN ['uid', 'name', 'path', 'sha256', 'role'] AS _columns,
       collect([v.uid, r.name, r.path, r.sha256, r.role]) AS _rows
