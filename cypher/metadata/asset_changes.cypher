// asset_changes: the recorded changes of an asset itself (its metadata; the caller sorts
// them by time). A version's are review/changes.
// $path: "<project>/<asset name>"
MATCH (c:Change)-[:CHANGE_OF]->(a:Asset {path: $path})
RETURN c.uid AS uid, c.field AS field, c.from_value AS from_value, c.to_value AS to_value,
       c.user AS user, c.at AS at, c.note AS note
