// set_status: change a version's status and record the change (who, when, from, to, note).
// The old value comes in as a parameter: LadybugDB reads a `WITH v.status AS old` alias after a
// later SET in the same query, so it cannot be carried across the SET.
// Returns the recorded change (the columns of review/changes), or nothing when the version
// does not exist.
// $uid: the version's uid
// $status: the new status
// $from_value: the status it had, read earlier in the same transaction
// $user: who changes it
// $now: when
// $note: why, or ''
// $change_uid: a fresh uid for the recorded change
MATCH (v:Version {uid: $uid})
SET v.status = $status
CREATE (c:Change {uid: $change_uid, field: 'status', from_value: $from_value, to_value: $status,
                  user: $user, at: $now, note: $note})
CREATE (c)-[:CHANGE_OF]->(v)
RETURN c.uid AS uid, c.field AS field, c.from_value AS from_value, c.to_value AS to_value,
       c.user AS user, c.at AS at, c.note AS note
