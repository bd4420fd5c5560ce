// set_fps: the frame rate of inventory entries that have their own.
// $rows: maps with uid and value (frames per second, a float)
UNWIND $rows AS row
MATCH (e:Entry {uid: row.uid})
SET e.fps = row.value
RETURN count(e) AS written
