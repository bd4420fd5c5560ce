// v2_set_entries: record each version's entry file ("" when none can be told apart).
// $rows: list of {uid, entry}
UNWIND $rows AS row
MATCH (v:Version {uid: row.uid})
SET v.entry = row.entry
RETURN count(v) AS updated
