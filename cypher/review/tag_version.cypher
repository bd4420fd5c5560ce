// tag_version: put a tag (created if new, colour updated if given) on a version and record
// the change. Tagging twice is harmless: the edge is merged, the change recorded once more.
// $uid: the version's uid
// $tag: the tag name
// $colour: its colour, or '' to keep the current one
// $user: who tags
// $now: when
// $change_uid: a fresh uid for the recorded change
MATCH (v:Version {uid: $uid})
MERGE (t:Tag {name: $tag})
SET t.colour = CASE WHEN $colour = '' THEN t.colour ELSE $colour END
MERGE (v)-[:TAGGED]->(t)
CREATE (c:Change {uid: $change_uid, field: 'tag', from_value: '', to_value: $tag,
                  user: $user, at: $now, note: ''})
CREATE (c)-[:CHANGE_OF]->(v)
RETURN t.name AS tag, t.colour AS colour
