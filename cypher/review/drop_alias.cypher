// drop_alias: take an alias (a tag) off versions that lose it in a move, and link the move's
// Change to them too, so each version's own history shows the alias leaving.
// $uids: the versions losing the alias
// $tag: the alias name
// $change_uid: the Change recorded by review/move_alias
MATCH (c:Change {uid: $change_uid})
MATCH (v:Version)-[e:TAGGED]->(:Tag {name: $tag})
WHERE v.uid IN $uids
DELETE e
CREATE (c)-[:CHANGE_OF]->(v)
RETURN count(*) AS dropped
