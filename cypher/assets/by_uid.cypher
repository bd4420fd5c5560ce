// by_uid: assets by uid, with their path: what `legos query` shows (as URIs) instead of uids.
// Written as UNWIND + key lookup, as versions/get.
// $uids: list of asset uids
UNWIND $uids AS u
MATCH (a:Asset {uid: u})
RETURN a.uid AS uid, a.path AS path
