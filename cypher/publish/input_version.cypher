// input_version: one explicit version of an asset (a publish's input), with the asset's kind.
// One keyed probe of the asset, then its few versions: on LadybugDB this beats the batch
// versions/select_exact (an UNWIND joined against whole tables) up to tens of inputs.
// $path: "<project>/<asset name>"
// $number: the version number
MATCH (a:Asset {path: $path})<-[:VERSION_OF]-(v:Version)
WITH a, v
WHERE v.number = $number
RETURN $path AS path, v.number AS number, v.uid AS uid, a.kind AS kind
