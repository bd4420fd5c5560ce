// upsert_entries: create or update inventory entries (text fields; the frame range and fps are
// cleared here and set by set_entry_numbers, as a column of nulls cannot be bound on LadybugDB).
// $project: the project code
// $entries: maps with uid, name, section, label, kind, extra (JSON text)
UNWIND $entries AS row
MATCH (p:Project {code: $project})
MERGE (e:Entry {uid: row.uid})
SET e.project = $project, e.name = row.name, e.section = row.section, e.label = row.label,
    e.kind = row.kind, e.extra = row.extra, e.frame_in = NULL, e.frame_out = NULL, e.fps = NULL
MERGE (e)-[:ENTRY_OF]->(p)
RETURN count(e) AS written
