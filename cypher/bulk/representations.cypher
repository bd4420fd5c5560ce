// representations: bulk-create Representation nodes, each linked from its version.
// $rows: list of {uid, version_uid, name, path (relative to the publish root), format, size, sha256}
UNWIND $rows AS r
MATCH (v:Version {uid: r.version_uid})
CREATE (v)-[:HAS_REPRESENTATION]->(:Representation {uid: r.uid, name: r.name, path: r.path,
                                                   format: r.format, size: r.size,
                                                   sha256: r.sha256})
RETURN count(*) AS written
