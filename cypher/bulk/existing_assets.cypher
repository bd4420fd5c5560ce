// existing_assets: which of the given asset paths the store holds already (a bulk load
// creates assets and refuses to run over existing ones).
// $paths: list of "<project>/<asset name>"
UNWIND $paths AS path
MATCH (a:Asset {path: path})
RETURN a.path AS path
LIMIT 10
