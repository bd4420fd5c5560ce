// closure: everything a version uses (DEPENDS_ON and CONTAINS, transitively), lean: each
// version once with its asset, number, kind, entry file (what a pin needs: no second read of
// the pinned versions' fields) and shortest depth. LadybugDB's `* SHORTEST` walk gives
// the depth itself, so it returns versions, not edges (a third as many rows for a big shot);
// the portable module returns edges for legos.pins.pinset to walk.
// $uid: the version being pinned
MATCH (:Version {uid: $uid})-[p:DEPENDS_ON|CONTAINS* SHORTEST 1..64]->(v:Version)
RETURN v.uid AS uid, v.project + '/' + v.asset AS asset, v.number AS number,
       v.kind AS kind, v.entry AS entry, length(p) AS depth
