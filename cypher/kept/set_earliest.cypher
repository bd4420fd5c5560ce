// set_earliest: versions' earliest_input_at (legos.analytics.kept), by key.
// $versions: list of {uid, at}, at never null
UNWIND $versions AS r
MATCH (v:Version {uid: r.uid})
SET v.earliest_input_at = r.at
RETURN count(*) AS written
