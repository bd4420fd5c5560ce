// evolution: how an asset evolved: each of its versions that existed at the as-of time, with
// its direct inputs (dependencies and members), one row per input, and one row with null
// inputs per version (legos.questions.evolution skips those, so a version without inputs
// still shows). LadybugDB spelling: label() for the relationship type; the inputs follow the
// versions inside one pattern from the keyed asset (an OPTIONAL MATCH joined them as whole
// tables: 0.55 ms -> 0.32 ms of engine time for a shot's 14 versions at 100k nodes).
// $path: "<project>/<asset name>"
// $as_of: versions created after this instant are left out (default: now)
MATCH (:Asset {path: $path})<-[:VERSION_OF]-(v:Version)-[r:DEPENDS_ON|CONTAINS]->(i:Version)
WITH * WHERE v.created_at <= $as_of
RETURN v.uid AS uid, v.number AS version, v.status AS status, v.created_by AS created_by,
       v.created_at AS created_at, v.comment AS comment,
       i.project AS input_project, i.asset AS input_asset, i.kind AS input_kind,
       i.number AS input_version, lower(label(r)) AS relation,
       coalesce(r.role, r.slot) AS role
UNION ALL
MATCH (:Asset {path: $path})<-[:VERSION_OF]-(v:Version)
WITH * WHERE v.created_at <= $as_of
RETURN v.uid AS uid, v.number AS version, v.status AS status, v.created_by AS created_by,
       v.created_at AS created_at, v.comment AS comment,
       CAST(NULL AS STRING) AS input_project, CAST(NULL AS STRING) AS input_asset,
       CAST(NULL AS STRING) AS input_kind, CAST(NULL AS INT64) AS input_version,
       CAST(NULL AS STRING) AS relation, CAST(NULL AS STRING) AS role
