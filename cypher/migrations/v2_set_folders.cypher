// v2_set_folders: record each version's folder (relative to the publish root).
// $rows: list of {uid, folder}
UNWIND $rows AS row
MATCH (v:Version {uid: row.uid})
SET v.folder = row.folder
RETURN count(v) AS updated
