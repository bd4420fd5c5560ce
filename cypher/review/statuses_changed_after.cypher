// statuses_changed_after: every status change after an instant, oldest first, with the status
// the version had before it: the first such change of a version tells its status at that
// instant (legos.as_of). Status changes are the only mutable field an as-of question reads.
// $as_of: the instant
MATCH (c:Change)-[:CHANGE_OF]->(v:Version)
WHERE c.field = 'status' AND c.at > $as_of
RETURN v.uid AS uid, c.from_value AS status, c.at AS at
ORDER BY at
