// add_to_version: a new version's metadata, written by its publish (no Change is recorded:
// it is part of what was published). Returns how many values were linked.
// $version_uid: the new version's uid
// $rows: list of {uid: "<version uid>|<key>", owner: the version uid, key, value (JSON text),
//   text (the searched string), number (a float, or null)}
MATCH (v:Version {uid: $version_uid})
UNWIND $rows AS row
CREATE (m:Metadata {uid: row.uid, owner: row.owner, key: row.key, value: row.value,
                    text: row.text, number: row.number})
CREATE (v)-[:HAS_METADATA]->(m)
RETURN count(m) AS linked
