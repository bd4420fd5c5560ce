// unset_asset: remove one key of an asset's own metadata and record the change (to: null).
// Returns the recorded change (the columns of review/changes).
// $path: "<project>/<asset name>"
// $uid: "<asset path>|<key>"
// $field: "meta:<key>"
// $from_value: the JSON text it had
// $user: who removes it
// $now: when
// $note: why, or ''
// $change_uid: a fresh uid for the recorded change
MATCH (a:Asset {path: $path})-[:HAS_METADATA]->(m:Metadata {uid: $uid})
DETACH DELETE m
WITH DISTINCT a
CREATE (c:Change {uid: $change_uid, field: $field, from_value: $from_value, to_value: NULL,
                  user: $user, at: $now, note: $note})
CREATE (c)-[:CHANGE_OF]->(a)
RETURN c.uid AS uid, c.field AS field, c.from_value AS from_value, c.to_value AS to_value,
       c.user AS user, c.at AS at, c.note AS note
