// iteration_inputs: every version with the uids of its direct inputs (DEPENDS_ON and
// CONTAINS; an empty list for a version without inputs), for the one time-ordered pass of
// legos.analytics.iteration_means: a version's earliest input is the earliest of its direct
// inputs and of their own earliest inputs, so the whole graph costs its edges once, never the
// sum of every closure. created_at comes as epoch microseconds (cheaper to decode than a
// DateTime; the Neo4j backend returns it as a UTC datetime named without the suffix).
// (no parameters: inputs may lie outside any project, kind or window asked about)
MATCH (v:Version)
OPTIONAL MATCH (v)-[:DEPENDS_ON|CONTAINS]->(x:Version)
WITH v, collect(x.uid) AS inputs
RETURN v.uid AS uid, v.project AS project, v.asset AS asset, v.kind AS kind,
       v.created_by AS created_by,
       v.created_at.epochSeconds * 1000000 + v.created_at.microsecond AS created_at_epoch_us,
       inputs
