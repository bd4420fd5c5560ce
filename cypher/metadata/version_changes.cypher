// version_changes: the recorded metadata changes of a version (fields "meta:<key>"; the caller
// sorts them by time).
// $version_uid: the version's uid
MATCH (c:Change)-[:CHANGE_OF]->(v:Version {uid: $version_uid})
WHERE c.field STARTS WITH 'meta:'
RETURN c.uid AS uid, c.field AS field, c.from_value AS from_value, c.to_value AS to_value,
       c.user AS user, c.at AS at, c.note AS note
