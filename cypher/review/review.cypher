// review: set a revision's review status and record the change; returns the submitted
// version's uid so the caller can carry the verdict over to the version.
// $revision_uid: the revision's id
// $status: approved, needs_changes or rejected
// $from_value: the review status it had, read earlier in the same transaction
// $note: the reviewer's note
// $user: the reviewer
// $now: when
// $change_uid: a fresh uid for the recorded change
MATCH (r:Revision {uid: $revision_uid})-[:SUBMITS]->(v:Version)
SET r.status = $status, r.reviewed_by = $user, r.reviewed_at = $now, r.review_note = $note
CREATE (c:Change {uid: $change_uid, field: 'review', from_value: $from_value, to_value: $status,
                  user: $user, at: $now, note: $note})
CREATE (c)-[:CHANGE_OF]->(r)
RETURN v.uid AS version_uid, $from_value AS from_value
