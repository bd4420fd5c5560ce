// revision: one dailies revision by id, with the version it submits.
// $revision_uid: the revision's id
MATCH (r:Revision {uid: $revision_uid})-[:SUBMITS]->(v:Version)
RETURN r.uid AS revision, r.kind AS kind, r.status AS status, r.note AS note,
       r.created_by AS created_by, r.created_at AS created_at, r.reviewed_by AS reviewed_by,
       r.reviewed_at AS reviewed_at, r.review_note AS review_note, v.uid AS version_uid,
       v.project AS project, v.asset AS asset, v.number AS version
