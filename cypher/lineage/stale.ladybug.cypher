// stale: the newer versions of every input of a version, transitively (package members
// included), that existed at the as-of time: one row per (input, newer version of its asset),
// and one per input for itself (newer_uid = uid, with the input's current status; see
// lineage/stale.cypher).
// LadybugDB walks the inputs with `* SHORTEST` (each version once; see
// lineage/dependencies.ladybug.cypher). The hop to each input's asset is part of the walk's
// pattern and the hop to the asset's versions follows a `WITH *`: all in one pattern,
// LadybugDB joined the assets' versions as whole tables (70-100 ms for a shot of the 100k
// graph), and with the asset hop after a `WITH *` too, it joined VERSION_OF whole (19-34 ms);
// this way 3-9 ms.
// $uid: the package's or shot's version uid
// $as_of: versions created after this instant are left out (default: now)
MATCH (:Version {uid: $uid})-[:DEPENDS_ON|CONTAINS* SHORTEST 1..64]->(x:Version)
      -[:VERSION_OF]->(a:Asset)
WITH * WHERE x.created_at <= $as_of
MATCH (a)<-[:VERSION_OF]-(n:Version)
WITH * WHERE n.number >= x.number AND n.created_at <= $as_of
RETURN x.uid AS uid, n.uid AS newer_uid, n.number AS newer_version, n.status AS newer_status
