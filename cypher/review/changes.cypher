// changes: the recorded changes of a version and of the revisions submitting it (the caller
// sorts them by time).
// $uid: the version's uid
MATCH (c:Change)-[:CHANGE_OF]->(v:Version {uid: $uid})
RETURN c.uid AS uid, c.field AS field, c.from_value AS from_value, c.to_value AS to_value,
       c.user AS user, c.at AS at, c.note AS note
UNION ALL
MATCH (c:Change)-[:CHANGE_OF]->(:Revision)-[:SUBMITS]->(v:Version {uid: $uid})
RETURN c.uid AS uid, c.field AS field, c.from_value AS from_value, c.to_value AS to_value,
       c.user AS user, c.at AS at, c.note AS note
