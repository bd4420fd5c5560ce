// select_exact: many versions at once by asset path and number (inputs of a publish, pins).
// Rows whose version does not exist are simply absent: the caller names them.
// $wanted: list of {path: "<project>/<asset name>", number}
UNWIND $wanted AS w
MATCH (a:Asset {path: w.path})<-[:VERSION_OF]-(v:Version)
WHERE v.number = w.number
RETURN w.path AS path, w.number AS number, v.uid AS uid, a.kind AS kind
