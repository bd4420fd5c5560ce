// set_image_facts: what is known of image files of a new version (ingested textures).
// $facts: list of {uid (the representation's), width, height, channels, pixel_type, colorspace,
//   mip_levels, tiled}, every field set ("" for an unknown colour space)
UNWIND $facts AS f
MATCH (r:Representation {uid: f.uid})
SET r.width = f.width, r.height = f.height, r.channels = f.channels,
    r.pixel_type = f.pixel_type, r.colorspace = f.colorspace, r.mip_levels = f.mip_levels,
    r.tiled = f.tiled
RETURN count(r) AS updated
