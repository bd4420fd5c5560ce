// files_of: the files (representations) of one version: the keyed form of versions/files
// (LadybugDB answers `UNWIND $uids ... MATCH (v {uid: u})-[...]->()` by joining the whole
// relationship table, 70 ms at 100k nodes for two versions; one keyed query each is < 1 ms).
// $uid: the version's uid
MATCH (v:Version {uid: $uid})-[:HAS_REPRESENTATION]->(r:Representation)
RETURN v.uid AS uid, r.name AS name, r.path AS path, r.format AS format, r.size AS size,
       r.sha256 AS sha256, r.role AS role, r.width AS width, r.height AS height,
       r.channels AS channels, r.pixel_type AS pixel_type, r.colorspace AS colorspace,
       r.mip_levels AS mip_levels, r.tiled AS tiled
