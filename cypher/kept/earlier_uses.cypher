// earlier_uses: the assets each of the given assets' versions uses (DEPENDS_ON or CONTAINS),
// leaving out the versions being published: whether a new version's use of an asset is its
// asset's first (legos.analytics.kept). Read from the user's few versions, never from the used
// asset's users (thousands for a popular texture).
// $paths: the using assets' paths
// $new: the uids of the versions being published (never empty)
UNWIND $paths AS p
MATCH (b:Asset {path: p})<-[:VERSION_OF]-(o:Version)-[:DEPENDS_ON|CONTAINS]->(y:Version)
WHERE NOT o.uid IN $new
RETURN DISTINCT p AS path, y.project + '/' + y.asset AS used
