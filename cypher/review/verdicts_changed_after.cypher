// verdicts_changed_after: every review verdict given to a dailies revision after an instant,
// oldest first, with the verdict it had before: the first such change of a revision tells its
// verdict at that instant (legos.as_of), as review/statuses_changed_after does for versions.
// $as_of: the instant
MATCH (c:Change)-[:CHANGE_OF]->(r:Revision)
WHERE c.field = 'review' AND c.at > $as_of
RETURN r.uid AS revision, c.from_value AS status, c.at AS at
ORDER BY at
