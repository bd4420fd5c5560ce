// of_versions: the metadata of versions by uid, one row per version and key (value: JSON text).
// $uids: list of version uids
UNWIND $uids AS u
MATCH (v:Version {uid: u})-[:HAS_METADATA]->(m:Metadata)
RETURN v.uid AS uid, m.key AS key, m.value AS value
