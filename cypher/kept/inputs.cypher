// inputs: what a new version's earliest input and uses are computed from (legos.analytics.kept),
// for each of its inputs: its asset path, created_at and its own earliest_input_at.
// $uids: the inputs' version uids
UNWIND $uids AS i
MATCH (x:Version {uid: i})
RETURN x.uid AS uid, x.project + '/' + x.asset AS path, x.created_at AS created_at,
       x.earliest_input_at AS earliest_input_at
