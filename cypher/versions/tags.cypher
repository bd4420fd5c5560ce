// tags: the tags on versions by uid.
// $uids: list of version uids
UNWIND $uids AS u
MATCH (v:Version {uid: u})-[:TAGGED]->(t:Tag)
RETURN v.uid AS uid, t.name AS tag
