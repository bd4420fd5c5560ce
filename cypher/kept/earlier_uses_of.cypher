// earlier_uses_of: the assets one asset's versions use (DEPENDS_ON or CONTAINS), leaving out the
// versions being published: whether a new version's use of an asset is its asset's first
// (legos.kept). The LadybugDB form of kept/earlier_uses, one keyed asset a query: a list of
// them is joined against the whole relationship tables (0.4 s inside a publish at 100k nodes,
// against a few ms keyed).
// $path: the using asset's path
// $new: the uids of the versions being published (never empty)
MATCH (b:Asset {path: $path})<-[:VERSION_OF]-(o:Version)-[:DEPENDS_ON|CONTAINS]->(y:Version)
WHERE NOT o.uid IN $new
RETURN DISTINCT $path AS path, y.project + '/' + y.asset AS used
