// newest: the creation time of the newest version (null in an empty store): whether an as-of
// time is "now" for the values publish keeps (legos.analytics.reuse).
// (no parameters)
MATCH (v:Version)
RETURN max(v.created_at) AS newest
