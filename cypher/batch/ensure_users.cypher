// ensure_users: the users who publish the versions of a batch chunk, created if new.
// $users: list of user names
// $now: the publish time
UNWIND $users AS name
MERGE (u:User {name: name})
ON CREATE SET u.created_at = $now
RETURN count(*) AS users
