// alias_history: every recorded move of an asset's aliases, or of one alias (the caller sorts
// them by time). A move is linked to the version gaining the alias and to those losing it.
// $path: "<project>/<asset name>"
// $prefix: '<alias>@' for the moves of one alias, or '' for all
MATCH (:Asset {path: $path})<-[:VERSION_OF]-(:Version)<-[:CHANGE_OF]-(c:Change)
WHERE c.field = 'alias' AND ($prefix = '' OR c.to_value STARTS WITH $prefix)
RETURN DISTINCT c.uid AS uid, c.from_value AS from_value, c.to_value AS to_value,
       c.user AS user, c.at AS at, c.note AS note
