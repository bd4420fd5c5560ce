// earlier_uses: the assets one asset's versions use (DEPENDS_ON or CONTAINS), leaving out the
// versions being published: whether a new version's use of an asset is its asset's first
// (legos.analytics.kept). Read from the user's few versions, never from the used asset's users
// (thousands for a popular texture). LadybugDB: one asset a query, keyed by a parameter, not
// an UNWIND (even of one path, an UNWIND followed by relationships joins the whole
// relationship tables: 275 ms at 100k nodes; keyed: 1 ms).
// $path: the using asset's path
// $new: the uids of the versions being published (never empty)
MATCH (b:Asset {path: $path})<-[:VERSION_OF]-(o:Version)-[:DEPENDS_ON|CONTAINS]->(y:Version)
WHERE NOT o.uid IN $new
RETURN DISTINCT $path AS path, y.project + '/' + y.asset AS used
