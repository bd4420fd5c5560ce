// iteration_kept: iteration sums per asset, kind or user from the earliest input publish keeps
// on each version (earliest_input_at: schema 4; exact for every time, as published versions
// never change): a scan of versions, grouped in the engine (a row per group, not per version).
// Seconds come as integer microseconds (sum, min, max) so the mean is computed once, outside.
// (LadybugDB: microseconds from to_epoch_ms and date_part, which has no epochSeconds.)
// $by: group by 'asset', 'kind' or 'user'
// $since: only versions created at or after this instant
// $until: only versions created at or before this instant (already clipped to the as-of time)
// $project: only versions of this project, or '' for all (default: "")
// $kind: only versions of assets of this kind, or '' for all (default: "")
MATCH (v:Version)
WHERE v.earliest_input_at IS NOT NULL AND v.created_at >= $since AND v.created_at <= $until
  AND ($project = '' OR v.project = $project) AND ($kind = '' OR v.kind = $kind)
WITH CASE $by WHEN 'asset' THEN v.project + '/' + v.asset WHEN 'kind' THEN v.kind
              ELSE v.created_by END AS grp,
     v.project AS project, v.asset AS asset, v.kind AS kind,
     (to_epoch_ms(v.created_at) - to_epoch_ms(v.earliest_input_at)) * 1000
       + date_part('microsecond', v.created_at) % 1000
       - date_part('microsecond', v.earliest_input_at) % 1000 AS us
RETURN grp, min(project) AS project, min(asset) AS asset, min(kind) AS kind, count(*) AS versions,
       sum(us) AS total_us, min(us) AS min_us, max(us) AS max_us
