// submit: a dailies revision (QCRevision, AssetRevision) submitting a version for review.
// $revision_uid: the new revision's id
// $uid: the submitted version's uid
// $kind: QCRevision or AssetRevision
// $note: the submission note
// $user: who submits
// $now: when
MATCH (v:Version {uid: $uid})
MERGE (u:User {name: $user})
ON CREATE SET u.created_at = $now
CREATE (r:Revision {uid: $revision_uid, kind: $kind, status: 'submitted', note: $note,
                    created_by: $user, created_at: $now})
CREATE (r)-[:SUBMITS]->(v)
CREATE (r)-[:CREATED_BY]->(u)
RETURN r.uid AS revision
