// alias_holders: the versions of an asset that carry a tag, oldest first (an alias set with
// `legos alias` is on one at most; a tag put on by hand may be on several).
// $path: "<project>/<asset name>"
// $tag: the alias (tag) name
MATCH (a:Asset {path: $path})<-[:VERSION_OF]-(v:Version)-[:TAGGED]->(:Tag {name: $tag})
RETURN v.uid AS uid, v.number AS number
ORDER BY number
