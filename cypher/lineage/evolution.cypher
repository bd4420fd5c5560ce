// evolution: how an asset evolved: each of its versions that existed at the as-of time, with
// its direct inputs (dependencies and members), one row per input (none for a version
// without inputs). legos.questions.evolution compares each version with the one before it.
// The as-of test on a matched version is `coalesce(v.created_at, $as_of) <= $as_of`: written
// plainly, Neo4j sometimes planned it as a scan of the Version(created_at) index joined back
// to the walk (6 s instead of 50 ms); the coalesce cannot be answered from the index.
// created_at comes as epoch microseconds, as in lineage/dependencies.cypher (the driver decodes
// an integer far faster than a DateTime, and the version's time repeats on every input row);
// the Neo4j backend returns it as a UTC datetime.
// $path: "<project>/<asset name>"
// $as_of: versions created after this instant are left out (default: now)
MATCH (v:Version)-[:VERSION_OF]->(a:Asset {path: $path})
USING INDEX SEEK a:Asset(path)
WHERE coalesce(v.created_at, $as_of) <= $as_of
OPTIONAL MATCH (v)-[r:DEPENDS_ON|CONTAINS]->(i:Version)
RETURN v.uid AS uid, v.number AS version, v.status AS status, v.created_by AS created_by,
       v.created_at.epochSeconds * 1000000 + v.created_at.microsecond AS created_at_epoch_us,
       v.comment AS comment,
       i.project AS input_project, i.asset AS input_asset, i.kind AS input_kind,
       i.number AS input_version, toLower(type(r)) AS relation,
       coalesce(r.role, r.slot) AS role
ORDER BY version
