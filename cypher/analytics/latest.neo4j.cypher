// latest: every asset that existed at the time, with its latest version number then.
// Neo4j spelling: from the versions' own copies of project, asset name and kind (set at publish,
// never changed; an asset's path is "<project>/<name>"), not through VERSION_OF: expanding from
// a version walks its whole relationship chain, users included (743k db hits for 66k versions
// at 100k; 4x the time). The rows come back transposed, as one record (`_columns`, `_rows`:
// legos/store/neo4j_bolt.py): a record per asset costs the driver ~10 us, a list well under one.
// $project: only assets of this project, or '' for all (default: "")
// $kind: only assets of this kind, or '' for all (default: "")
// $as_of: versions created after this instant are left out (default: now)
MATCH (v:Version)
WHERE v.created_at <= $as_of AND ($project = '' OR v.project = $project)
  AND ($kind = '' OR v.kind = $kind)
WITH v.project AS project, v.asset AS asset, v.kind AS kind, max(v.number) AS version
RETURN ['path', 'project', 'asset', 'kind', 'version'] AS _columns,
       collect([project + '/' + asset, project, asset, kind, version]) AS _rows
