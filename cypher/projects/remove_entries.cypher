// remove_entries: drop inventory entries a load left out (their published assets stay).
// $uids: "<project>/<name>" of each entry to drop
UNWIND $uids AS u
MATCH (e:Entry {uid: u})
DETACH DELETE e
RETURN count(*) AS removed
