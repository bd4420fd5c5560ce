// add_representations: the files of a new version, one Representation each.
// $uid: the version's uid
// $reps: list of {uid, name, path (relative to the publish root), format, size, sha256, role}
//   (role: "content" or "thumbnail")
MATCH (v:Version {uid: $uid})
UNWIND $reps AS r
CREATE (v)-[:HAS_REPRESENTATION]->(:Representation {uid: r.uid, name: r.name, path: r.path,
                                                   format: r.format, size: r.size,
                                                   sha256: r.sha256, role: r.role})
RETURN count(*) AS created
