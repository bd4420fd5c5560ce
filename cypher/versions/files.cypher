// files: the files (representations) of versions by uid.
// $uids: list of version uids
UNWIND $uids AS u
MATCH (v:Version {uid: u})-[:HAS_REPRESENTATION]->(r:Representation)
RETURN v.uid AS uid, r.name AS name, r.path AS path, r.format AS format, r.size AS size,
       r.sha256 AS sha256
