// user_output: each user's output: how many versions they published, per asset kind, in a
// window and as of the time.
// $since: only versions created at or after this instant
// $until: only versions created at or before this instant
// $as_of: versions created after this instant are left out (default: now)
// $project: only versions of this project, or '' for all (default: "")
MATCH (v:Version)
WHERE v.created_at >= $since AND v.created_at <= $until AND v.created_at <= $as_of
  AND ($project = '' OR v.project = $project)
RETURN v.created_by AS user, v.kind AS kind, count(*) AS versions
