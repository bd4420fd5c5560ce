// iteration_kept: iteration sums per asset, kind or user from the earliest input publish keeps
// on each version (earliest_input_at: schema 4; exact for every time, as published versions
// never change): a scan of versions, grouped in the engine (a row per group, not per version).
// Seconds come as integer microseconds (sum, min, max) so the mean is computed once, outside.
// Neo4j spelling: grouped first by the version's own fields (project, asset, kind, and the
// user only when grouping by user), then those few rows by the chosen group: no string built
// and no CASE per version, and no min() of names per version (about 40% of the engine time of
// the portable form at 100k). The rows come back transposed, as one record (`_columns`,
// `_rows`: legos/store/neo4j_bolt.py): the driver decodes a record in ~10 us, a list in well
// under one, and there is a record per asset.
// $by: group by 'asset', 'kind' or 'user'
// $since: only versions created at or after this instant
// $until: only versions created at or before this instant (already clipped to the as-of time)
// $project: only versions of this project, or '' for all (default: "")
// $kind: only versions of assets of this kind, or '' for all (default: "")
MATCH (v:Version)
WHERE v.earliest_input_at IS NOT NULL AND v.created_at >= $since AND v.created_at <= $until
  AND ($project = '' OR v.project = $project) AND ($kind = '' OR v.kind = $kind)
WITH v.project AS project, v.asset AS asset, v.kind AS kind,
     CASE WHEN $by = 'user' THEN v.created_by END AS user,
     (v.created_at.epochSeconds - v.earliest_input_at.epochSeconds) * 1000000
       + v.created_at.microsecond - v.earliest_input_at.microsecond AS us
WITH project, asset, kind, user, count(*) AS versions, sum(us) AS total_us, min(us) AS min_us,
     max(us) AS max_us
WITH CASE $by WHEN 'asset' THEN project + '/' + asset WHEN 'kind' THEN kind ELSE user END AS grp,
     min(project) AS project, min(asset) AS asset, min(kind) AS kind, sum(versions) AS versions,
     sum(total_us) AS total_us, min(min_us) AS min_us, max(max_us) AS max_us
RETURN ['grp', 'project', 'asset', 'kind', 'versions', 'total_us', 'min_us', 'max_us'] AS _columns,
       collect([grp, project, asset, kind, versions, total_us, min_us, max_us]) AS _rows
