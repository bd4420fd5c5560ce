// files: the files (representations) of versions by uid.
// $uids: list of version uids
UNWIND $uids AS u
MATCH (v:Version {uid: u})-[:HAS_REPRESENTATION]->(r:Representation)
RETURN v.uid AS uid, r.name AS name, r.path AS path, r.format AS format, r.size AS size,
       r.sha256 AS sha256, r.role AS role, r.width AS width, r.height AS height,
       r.channels AS channels, r.pixel_type AS pixel_type, r.colorspace AS colorspace,
       r.mip_levels AS mip_levels, r.tiled AS tiled
