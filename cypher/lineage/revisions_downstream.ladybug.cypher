// revisions_downstream: the dailies revisions submitting a version or anything that uses it,
// transitively (what `dependents` and `impact` report one hop past the version they submit).
// LadybugDB spelling as in lineage/dependents.ladybug.cypher: the start's own revisions, then
// those of the `* SHORTEST` walk's versions; the as-of filter follows a `WITH *`.
// $uid: the version whose users' revisions are wanted
// $as_of: versions and revisions created after this instant are left out (default: now)
MATCH (x:Version {uid: $uid})<-[:SUBMITS]-(r:Revision)
WITH * WHERE r.created_at <= $as_of
RETURN r.uid AS revision, r.kind AS kind, r.status AS status, r.created_by AS created_by,
       r.created_at AS created_at, x.uid AS version_uid
UNION ALL
MATCH (:Version {uid: $uid})<-[:DEPENDS_ON|CONTAINS* SHORTEST 1..64]-(x:Version)
      <-[:SUBMITS]-(r:Revision)
WITH * WHERE r.created_at <= $as_of AND x.created_at <= $as_of
RETURN r.uid AS revision, r.kind AS kind, r.status AS status, r.created_by AS created_by,
       r.created_at AS created_at, x.uid AS version_uid
