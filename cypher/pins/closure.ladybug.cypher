// closure: the edges of everything a version uses (DEPENDS_ON and CONTAINS, transitively),
// lean: only what pinning needs to walk them (each input's asset and number). LadybugDB
// spelling as in lineage/dependencies.ladybug.cypher.
// $uid: the version being pinned
MATCH (x:Version {uid: $uid})-[:DEPENDS_ON|CONTAINS]->(v:Version)
RETURN x.uid AS near, v.uid AS uid, v.project + '/' + v.asset AS asset, v.number AS number
UNION ALL
MATCH (:Version {uid: $uid})-[:DEPENDS_ON|CONTAINS* SHORTEST 1..64]->(x:Version)
      -[:DEPENDS_ON|CONTAINS]->(v:Version)
RETURN x.uid AS near, v.uid AS uid, v.project + '/' + v.asset AS asset, v.number AS number
