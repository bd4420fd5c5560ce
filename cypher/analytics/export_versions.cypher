// export_versions: every version as of the time (optionally of one project) with its fields:
// the nodes legos.analytics.to_networkx exports. created_at comes as epoch microseconds (the
// Python driver decodes an integer ~8x faster than a DateTime); the Neo4j backend returns a
// column named `*_epoch_us` as a UTC datetime named without the suffix.
// $project: only versions of this project, or '' for all (default: "")
// $as_of: versions created after this instant are left out (default: now)
MATCH (v:Version)
WHERE v.created_at <= $as_of AND ($project = '' OR v.project = $project)
RETURN v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.number AS version, v.status AS status, v.created_by AS created_by,
       v.created_at.epochSeconds * 1000000 + v.created_at.microsecond AS created_at_epoch_us,
       v.comment AS comment
