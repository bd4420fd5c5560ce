// set_frame_out: the edit out-frame of inventory entries that have one.
// $rows: maps with uid and value (an integer frame)
UNWIND $rows AS row
MATCH (e:Entry {uid: row.uid})
SET e.frame_out = row.value
RETURN count(e) AS written
