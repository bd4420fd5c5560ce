// create: record a pin set (a frozen selection) and who made it.
// $uid: the pin set's uid
// $name: its name
// $user: who pins
// $now: when
// $hash: its manifest's content hash
// $source: the URI it was pinned from
// $select: the selector used, as text
// $root: the publish root its manifest names
MERGE (u:User {name: $user})
ON CREATE SET u.created_at = $now
CREATE (s:PinSet {uid: $uid, name: $name, created_by: $user, created_at: $now, hash: $hash,
                  source: $source, select: $select, root: $root})
RETURN s.uid AS uid
