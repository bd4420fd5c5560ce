// case_clashes: for new assets of a batch chunk, another asset whose path differs only by case
// (one row per clash).
// $assets: list of {path, folded}
UNWIND $assets AS x
MATCH (a:Asset {folded: x.folded})
WHERE a.path <> x.path
RETURN x.path AS path, a.path AS other
