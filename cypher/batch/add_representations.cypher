// add_representations: the files of a batch chunk's new versions, one Representation each.
// $reps: list of {version (the version's uid), uid, name, path, format, size, sha256, role}
UNWIND $reps AS r
MATCH (v:Version {uid: r.version})
CREATE (v)-[:HAS_REPRESENTATION]->(:Representation {uid: r.uid, name: r.name, path: r.path,
                                                   format: r.format, size: r.size,
                                                   sha256: r.sha256, role: r.role})
RETURN count(*) AS created
