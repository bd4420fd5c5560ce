// set_asset: set one key of an asset's own metadata and record the change (who, when, from,
// to). The old value comes in as a parameter, read earlier under the asset's lock.
// Returns the recorded change (the columns of review/changes).
// $path: "<project>/<asset name>"
// $uid: "<asset path>|<key>"
// $owner: the asset path
// $key: the key
// $value: the new value's JSON text
// $text: the string `=` and `~` search (a string value itself, else its JSON text)
// $number: the value as a float when it is a number, else null
// $field: "meta:<key>"
// $from_value: the JSON text it had, or null when it is new
// $user: who changes it
// $now: when
// $note: why, or ''
// $change_uid: a fresh uid for the recorded change
MATCH (a:Asset {path: $path})
MERGE (m:Metadata {uid: $uid})
SET m.owner = $owner, m.key = $key, m.value = $value, m.text = $text, m.number = $number
MERGE (a)-[:HAS_METADATA]->(m)
CREATE (c:Change {uid: $change_uid, field: $field, from_value: $from_value, to_value: $value,
                  user: $user, at: $now, note: $note})
CREATE (c)-[:CHANGE_OF]->(a)
RETURN c.uid AS uid, c.field AS field, c.from_value AS from_value, c.to_value AS to_value,
       c.user AS user, c.at AS at, c.note AS note
