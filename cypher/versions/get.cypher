// get: the fields of versions by uid (files: versions/files, tags: versions/tags). Written as
// UNWIND + key lookup: LadybugDB answers `WHERE v.uid IN $uids` with a scan of every version.
// $uids: list of version uids
UNWIND $uids AS u
MATCH (v:Version {uid: u})
RETURN v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.number AS number, v.status AS status, v.content_hash AS content_hash,
       v.comment AS comment, v.created_by AS created_by, v.created_at AS created_at,
       v.entry AS entry, v.provenance AS provenance
