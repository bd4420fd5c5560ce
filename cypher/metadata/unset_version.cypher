// unset_version: remove one key of a version's metadata and record the change (to: null).
// Returns the recorded change (the columns of review/changes).
// $version_uid: the version's uid
// $uid: "<version uid>|<key>"
// $field: "meta:<key>"
// $from_value: the JSON text it had
// $user: who removes it
// $now: when
// $note: why, or ''
// $change_uid: a fresh uid for the recorded change
MATCH (v:Version {uid: $version_uid})-[:HAS_METADATA]->(m:Metadata {uid: $uid})
DETACH DELETE m
WITH DISTINCT v
CREATE (c:Change {uid: $change_uid, field: $field, from_value: $from_value, to_value: NULL,
                  user: $user, at: $now, note: $note})
CREATE (c)-[:CHANGE_OF]->(v)
RETURN c.uid AS uid, c.field AS field, c.from_value AS from_value, c.to_value AS to_value,
       c.user AS user, c.at AS at, c.note AS note
