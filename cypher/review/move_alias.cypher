// move_alias: put an alias (a tag) on a version and record the move as a Change of that
// version; review/drop_alias then takes it off the versions that had it.
// $uid: the version the alias moves to
// $tag: the alias name
// $from_value: where it was, e.g. 'hero@v3' ('' when new), read earlier in the transaction
// $to_value: where it goes, e.g. 'hero@v5'
// $user: who moves it
// $now: when
// $note: why, or ''
// $change_uid: a fresh uid for the recorded change
MATCH (v:Version {uid: $uid})
MERGE (t:Tag {name: $tag})
MERGE (v)-[:TAGGED]->(t)
CREATE (c:Change {uid: $change_uid, field: 'alias', from_value: $from_value, to_value: $to_value,
                  user: $user, at: $now, note: $note})
CREATE (c)-[:CHANGE_OF]->(v)
RETURN c.uid AS uid
