// inputs: what a new version's earliest input and uses are computed from (legos.analytics.kept),
// for each of its inputs: its asset path, created_at and its own earliest_input_at. Neo4j: the
// times as epoch microseconds (the store turns `_epoch_us` columns back into datetimes): the
// driver decodes a DateTime about 50x slower than an integer (5,000 inputs of a batch chunk:
// 0.6 s of DateTimes).
// $uids: the inputs' version uids
UNWIND $uids AS i
MATCH (x:Version {uid: i})
RETURN x.uid AS uid, x.project + '/' + x.asset AS path,
       x.created_at.epochSeconds * 1000000 + x.created_at.microsecond AS created_at_epoch_us,
       x.earliest_input_at.epochSeconds * 1000000 + x.earliest_input_at.microsecond
         AS earliest_input_at_epoch_us
