// revisions_downstream: the dailies revisions submitting a version or anything that uses it,
// transitively (what `dependents` and `impact` report one hop past the version they submit).
// Found by the same walk as lineage/dependents: taking the walk's versions as a list
// parameter instead made LadybugDB scan every revision per uid (2.4 s for 7.7k users).
// `USING INDEX SEEK` pins the start to a seek of the uid index: on a fresh store's statistics
// Neo4j sometimes chose to scan that index and filter it instead.
// $uid: the version whose users' revisions are wanted
// $as_of: versions and revisions created after this instant are left out (default: now)
MATCH (start:Version {uid: $uid})<-[:DEPENDS_ON|CONTAINS*0..64]-(x:Version)
USING INDEX SEEK start:Version(uid)
WITH DISTINCT x
WHERE x.created_at <= $as_of
MATCH (x)<-[:SUBMITS]-(r:Revision)
WHERE r.created_at <= $as_of
RETURN r.uid AS revision, r.kind AS kind, r.status AS status, r.created_by AS created_by,
       r.created_at AS created_at, x.uid AS version_uid
ORDER BY r.created_at
