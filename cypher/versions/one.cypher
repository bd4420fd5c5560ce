// one: everything about one version by uid: fields, files, tags and metadata, in one query.
// (For many versions use versions/get, versions/files, versions/tags and metadata/of_versions:
// on LadybugDB an UNWIND of uids joins against whole tables, which only pays off for large
// batches.)
// $uid: the version's uid
MATCH (v:Version {uid: $uid})
OPTIONAL MATCH (v)-[:HAS_REPRESENTATION]->(r:Representation)
WITH v, collect({name: r.name, path: r.path, format: r.format, size: r.size,
                 sha256: r.sha256, role: r.role, width: r.width, height: r.height,
                 channels: r.channels, pixel_type: r.pixel_type, colorspace: r.colorspace,
                 mip_levels: r.mip_levels, tiled: r.tiled}) AS files
OPTIONAL MATCH (v)-[:TAGGED]->(t:Tag)
WITH v, files, collect(t.name) AS tags
OPTIONAL MATCH (v)-[:HAS_METADATA]->(m:Metadata)
RETURN v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.number AS number, v.status AS status, v.content_hash AS content_hash,
       v.comment AS comment, v.created_by AS created_by, v.created_at AS created_at,
       v.entry AS entry, v.provenance AS provenance, files, tags,
       collect({key: m.key, value: m.value}) AS meta
