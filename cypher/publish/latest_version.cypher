// latest_version: the latest version of an asset with its content hash; its inputs follow
// (publish/version_dependencies, version_members) only when the hash says a new publish may
// repeat it. LadybugDB's form of publish/latest_content: keyed queries, where the single one
// joins whole relationship tables after its LIMIT (1.4 ms -> 0.2-0.3 ms at 100k nodes).
// $path: "<project>/<asset name>"
MATCH (a:Asset {path: $path})<-[:VERSION_OF]-(v:Version)
RETURN v.uid AS uid, v.number AS number, v.content_hash AS content_hash
ORDER BY v.number DESC
LIMIT 1
