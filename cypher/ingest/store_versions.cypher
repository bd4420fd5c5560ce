// store_versions: the versions some assets already have, with their content hashes, so that
// an ingest can tell what it published before (skip) from what differs (refuse).
// $paths: list of "<project>/<asset name>" (never empty)
UNWIND $paths AS p
MATCH (a:Asset {path: p})<-[:VERSION_OF]-(v:Version)
RETURN a.path AS path, a.kind AS kind, v.number AS number, v.content_hash AS content_hash
