// get_with_files: the fields of versions by uid with their files, in one query (a round trip
// fewer than versions/get + versions/files over Bolt; LadybugDB reads files one keyed query a
// version instead: versions/files_of).
// $uids: list of version uids
UNWIND $uids AS u
MATCH (v:Version {uid: u})
OPTIONAL MATCH (v)-[:HAS_REPRESENTATION]->(r:Representation)
WITH v, collect({uid: v.uid, name: r.name, path: r.path, format: r.format, size: r.size,
                 sha256: r.sha256, role: r.role, width: r.width, height: r.height,
                 channels: r.channels, pixel_type: r.pixel_type, colorspace: r.colorspace,
                 mip_levels: r.mip_levels, tiled: r.tiled}) AS files
RETURN v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.number AS number, v.status AS status, v.content_hash AS content_hash,
       v.comment AS comment, v.created_by AS created_by, v.created_at AS created_at,
       v.entry AS entry, v.provenance AS provenance, files
