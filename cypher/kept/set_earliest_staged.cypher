// set_earliest_staged: versions' earliest_input_at from the staging table KeptVersion(uid, at)
// that legos.analytics.kept loads by COPY: one hash join on the key (LadybugDB only).
// (no parameters)
MATCH (s:KeptVersion)
MATCH (v:Version {uid: s.uid})
SET v.earliest_input_at = s.at
RETURN count(*) AS written
