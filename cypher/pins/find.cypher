// find: a recorded pin set by uid, or every pin set of that name (names need not be unique).
// $key: a pin set's uid or name
MATCH (s:PinSet)
WHERE s.uid = $key OR s.name = $key
RETURN s.uid AS uid, s.name AS name, s.created_by AS created_by, s.created_at AS created_at,
       s.hash AS hash, s.source AS source, s.select AS selector, s.root AS root
ORDER BY created_at DESC
LIMIT 20
