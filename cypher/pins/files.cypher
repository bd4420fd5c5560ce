// files: the files a pin names (name, path, sha256, role) of versions by uid: the lean form of
// versions/files for pinning thousands of versions at once.
// $uids: list of version uids
UNWIND $uids AS u
MATCH (v:Version {uid: u})-[:HAS_REPRESENTATION]->(r:Representation)
RETURN v.uid AS uid, r.name AS name, r.path AS path, r.sha256 AS sha256, r.role AS role
