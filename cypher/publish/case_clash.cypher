// case_clash: another asset whose path differs from $path only by case.
// $path: "<project>/<asset name>"
// $folded: $path in lower case
MATCH (a:Asset {folded: $folded})
WHERE a.path <> $path
RETURN a.path AS path
LIMIT 1
