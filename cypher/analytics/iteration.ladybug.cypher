// iteration: how long a complete iteration took, for every version published in a window:
// the creation of the earliest version in its input subgraph (DEPENDS_ON and CONTAINS,
// transitively) and its own creation, with the number of inputs. Versions without inputs do
// not appear (nothing to iterate on). LadybugDB's `* SHORTEST` is its breadth-first walk
// (each input once per version, never each path); timestamps are native (in-process, cheap).
// $since: only versions created at or after this instant
// $until: only versions created at or before this instant
// $as_of: versions created after this instant are left out (default: now)
// $project: only versions of this project, or '' for all (default: "")
// $kind: only versions of assets of this kind, or '' for all (default: "")
MATCH (v:Version)
WHERE v.created_at >= $since AND v.created_at <= $until AND v.created_at <= $as_of
  AND ($project = '' OR v.project = $project) AND ($kind = '' OR v.kind = $kind)
MATCH (v)-[:DEPENDS_ON|CONTAINS* SHORTEST 1..64]->(x:Version)
WITH v, min(x.created_at) AS earliest, count(x) AS inputs
RETURN v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.number AS version, v.created_by AS created_by, v.created_at AS created_at,
       earliest, inputs
