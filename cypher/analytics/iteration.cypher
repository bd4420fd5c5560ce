// iteration: how long a complete iteration took, for every version published in a window:
// the creation of the earliest version in its input subgraph (DEPENDS_ON and CONTAINS,
// transitively) and its own creation, with the number of inputs. Versions without inputs do
// not appear (nothing to iterate on). Written so that Neo4j plans a pruning breadth-first
// expand per version (each input once, never each path: diamonds stay cheap); timestamps come
// as epoch microseconds (cheaper to decode than DateTime; the Neo4j backend returns a column
// named `*_epoch_us` as a UTC datetime named without the suffix).
// $since: only versions created at or after this instant
// $until: only versions created at or before this instant
// $as_of: versions created after this instant are left out (default: now)
// $project: only versions of this project, or '' for all (default: "")
// $kind: only versions of assets of this kind, or '' for all (default: "")
MATCH (v:Version)
WHERE v.created_at >= $since AND v.created_at <= $until AND v.created_at <= $as_of
  AND ($project = '' OR v.project = $project) AND ($kind = '' OR v.kind = $kind)
MATCH (v)-[:DEPENDS_ON|CONTAINS*1..64]->(x:Version)
WITH DISTINCT v, x
WITH v, min(x.created_at) AS earliest, count(x) AS inputs
RETURN v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.number AS version, v.created_by AS created_by,
       v.created_at.epochSeconds * 1000000 + v.created_at.microsecond AS created_at_epoch_us,
       earliest.epochSeconds * 1000000 + earliest.microsecond AS earliest_epoch_us, inputs
