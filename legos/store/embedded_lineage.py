"""LadybugDB's dependents closure: the engine's breadth-first walk, and what never changes.

A published version's fixed fields and its own inputs never change; its users do (any publish
may add one) and so do statuses. LadybugDB's `* SHORTEST` walk gives every user's shortest
depth and status in three short columns (lineage/dependents_walk); the rest comes from the
store's memo (legos.memo), keyed by version uid and filled from the graph the first time a
version is met: a whole closure at once (lineage/dependents_versions), or a few versions
published since, one keyed query each (lineage/version_inputs: a list of versions joins whole
tables on LadybugDB). The answer is legos.lineage's own: each version once at its shortest
depth, with the (role, relation) of every edge reaching it from a version one level up.
"""

from __future__ import annotations

from datetime import timezone
from operator import itemgetter
from typing import Any

from legos.memo import Memo
from legos.store.base import Transaction
from legos.uri import format_uri

# fewer new versions than this are read one keyed query each (about 0.3 ms); more, with the
# closure's own read (about 20 us a version, but 100 ms and up for a popular texture)
_KEYED_AT_MOST = 200
# (uri, project, asset, kind, number, created_by, created_at, inputs): inputs maps each input's
# uid to the (role or '', relation) of every edge to it
Known = tuple[str, str, str, str, int, str, Any, dict[str, tuple[tuple[str, str], ...]]]
Edge = tuple[str, str, str, str | None]


def _key(uid: str) -> tuple[str, str]:
    return ("version", uid)


def _remember(memo: Memo, names: list[str], rows: list[list[Any]]) -> None:
    at = {name: i for i, name in enumerate(names)}
    fields = [at[f] for f in ("project", "asset", "kind", "version", "created_by", "created_at")]
    uid, inputs, relations, roles = at["uid"], at["inputs"], at["relations"], at["roles"]
    for row in rows:
        if not row[inputs] and memo.get(_key(row[uid])) is not None:
            continue  # version_inputs: the fields' own row, after the row with the inputs
        created = row[fields[5]]
        if created is not None and created.tzinfo is None:  # lists skip the store's conversion
            created = created.replace(tzinfo=timezone.utc)
        hops: dict[str, list[tuple[str, str]]] = {}
        for used, relation, role in zip(row[inputs], row[relations], row[roles], strict=True):
            hops.setdefault(used, []).append((role or "", relation))
        project, asset, kind, number, created_by = (row[i] for i in fields[:5])
        known = (format_uri(project, asset, number), project, asset, kind, number, created_by,
                 created, {used: tuple(found) for used, found in hops.items()})
        memo.put(_key(row[uid]), known, 1 + len(row[inputs]))


def _known(tx: Transaction, memo: Memo, start: str, uids: list[str]) -> list[Known] | None:
    """What never changes of each version in `uids`, read from the graph where not known yet;
    None when the memo cannot hold them all."""
    found = memo.get_many([_key(uid) for uid in uids])
    missing = [uid for uid, known in zip(uids, found, strict=True) if known is None]
    if not missing:
        return found  # type: ignore[return-value]  # none is None
    if len(missing) <= _KEYED_AT_MOST:
        for uid in missing:
            _remember(memo, *tx.table("lineage/version_inputs", uid=uid))
    else:
        _remember(memo, *tx.table("lineage/dependents_versions", uid=start))
    found = memo.get_many([_key(uid) for uid in uids])
    return None if any(known is None for known in found) else found  # type: ignore[return-value]


def user_closure(tx: Transaction, start: str, edges: bool = True
                 ) -> tuple[list[Edge], list[dict[str, Any]]]:
    """legos.lineage.user_closure without an as-of time: the closure's edges (input, user,
    relation, role; only with `edges`) and its rows' fields in answer order, statuses as they
    are now."""
    memo = tx.memo
    assert memo is not None
    _, walked = tx.table("lineage/dependents_walk", uid=start)
    depth_of = {start: 0}
    uids = []
    for uid, depth, _status in walked:  # the module's three columns, in this order
        depth_of[uid] = depth
        uids.append(uid)
    known = _known(tx, memo, start, uids)
    if known is None:  # more than the memo holds: the edges with their fields, as elsewhere
        from legos.lineage import _closure_rows, _templates

        found, nodes = _closure_rows(tx, "lineage/dependents", start, None)
        return found, _templates(start, found, nodes)
    closure_edges: list[Edge] = []
    rows = []
    reached = depth_of.keys()
    for (uid, depth, status), (uri, project, asset, kind, number, created_by, created_at,
                               inputs) in zip(walked, known, strict=True):
        up = depth - 1
        via: list[tuple[str, str]] = []
        for used in inputs.keys() & reached:  # in C: most inputs are outside the closure
            if depth_of[used] == up:
                via.extend(inputs[used])
            if edges:
                closure_edges.extend((used, uid, relation, role or None)
                                     for role, relation in inputs[used])
        if len(via) == 1:
            (role, relation), = via
            roles = [role] if role else []
        else:
            hops = sorted(set(via))
            role, relation = hops[0]
            roles = sorted({r for r, _ in hops if r})
        rows.append({
            "uri": uri, "project": project, "asset": asset,
            "kind": kind, "version": number, "status": status, "role": role or None,
            "roles": roles, "relation": relation, "depth": depth, "created_by": created_by,
            "created_at": created_at, "revision": None, "uid": uid})
    rows.sort(key=itemgetter("depth", "asset", "version"))
    return closure_edges, rows
