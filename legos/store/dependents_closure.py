"""The dependents closure on every backend: the engine's walk for what changes, memory for
what never does.

Any publish may add a user and any review may change a status, so each question asks the
engine's own breadth-first walk (lineage/dependent_statuses: every user's uid and status).
The set of users is always that walk's answer: nothing here finds a user the store did not
return. A published version's fixed fields and its own inputs never change; they are read
from the graph the first time a version is met (most of a closure at once: one walk,
lineage/dependents_inputs; else lineage/versions_inputs, or on LadybugDB below a few hundred
versions lineage/version_inputs, one keyed query each: a list of uids joins whole tables
there) and kept in the store's memo (legos.memo). From those immutable inputs of exactly the
walk's users come the closure's edges, and from them legos.lineage.row_templates gives the
shortest depths and the roles of the edges reaching each user: the edge walk's answer, exactly.

The answer is remembered per start with its users: the same users again mean the same answer
but for the statuses the walk has just read (the edges among a set of versions are their own
inputs, which never change). The only engine-specific part is how versions met for the first
time are read (_read_new).
"""

from __future__ import annotations

from datetime import timezone
from typing import Any

from legos.lineage import MAX_DEPTH, Edge, row_templates
from legos.memo import Memo
from legos.store.base import Transaction

_BATCH = 5000  # uids per list read of versions met for the first time
# LadybugDB: fewer new versions than this are read one keyed query each (about 0.3 ms); more,
# with one list read (a join of whole tables: 150-450 ms at 100k nodes, whatever the list)
_KEYED_AT_MOST = 200
# (project, asset, kind, number, created_by, created_at, inputs): inputs maps each
# input's uid to the (relation, role or None) of every edge to it
Known = tuple[str, str, str, int, str, Any, dict[str, tuple[tuple[str, str | None], ...]]]
_FIELDS = ("uid", "project", "asset", "kind", "version", "created_by", "created_at", "inputs",
           "relations", "roles")


def _key(uid: str) -> tuple[str, str]:
    return ("version inputs", uid)


def _remember(memo: Memo, names: list[str], rows: list[list[Any]]) -> None:
    """Keep each version's fields and inputs. LadybugDB's spellings give a version's fields in
    a row with empty lists and, if it has inputs, a second row with them: the fuller wins."""
    at = [names.index(name) for name in _FIELDS]
    seen: dict[str, tuple[Any, ...]] = {}
    for row in rows:
        fields = tuple(row[i] for i in at)
        if fields[0] not in seen or fields[7]:
            seen[fields[0]] = fields
    for (uid, project, asset, kind, number, created_by, created_at, inputs, relations,
         roles) in seen.values():
        if created_at is not None and created_at.tzinfo is None:
            created_at = created_at.replace(tzinfo=timezone.utc)
        hops: dict[str, list[tuple[str, str | None]]] = {}
        for used, relation, role in zip(inputs, relations, roles, strict=True):
            hops.setdefault(used, []).append((relation, role))
        memo.put(_key(uid), (project, asset, kind, number, created_by, created_at,
                             {used: tuple(found) for used, found in hops.items()}),
                 1 + len(inputs))


def _read_new(tx: Transaction, memo: Memo, start: str, missing: list[str], users: int
              ) -> None:
    """Read what never changes of versions not in the memo: the engine-specific part. On
    LadybugDB, most of a closure unknown (a fresh process): one walk from the start gives them
    all (the list read joins whole tables: 286 -> 138 ms for the 2.8k users of the most-used
    texture at 10k nodes). Neo4j seeks each uid of the list (the walk measured slower there)."""
    if tx.dialect == "ladybug" and len(missing) > _KEYED_AT_MOST and 2 * len(missing) > users:
        _remember(memo, *tx.table("lineage/dependents_inputs", uid=start))
        return
    if tx.dialect == "ladybug" and len(missing) <= _KEYED_AT_MOST:
        for uid in missing:
            _remember(memo, *tx.table("lineage/version_inputs", uid=uid))
        return
    for first in range(0, len(missing), _BATCH):
        _remember(memo, *tx.table("lineage/versions_inputs", uids=missing[first:first + _BATCH]))


def _known(tx: Transaction, memo: Memo, start: str, uids: list[str]) -> list[Known] | None:
    """What never changes of each version in `uids`, read where not known yet; None when the
    memo cannot hold them all."""
    found = memo.get_many([_key(uid) for uid in uids])
    missing = [uid for uid, known in zip(uids, found, strict=True) if known is None]
    if not missing:
        return found  # type: ignore[return-value]  # none is None
    _read_new(tx, memo, start, missing, len(uids))
    found = memo.get_many([_key(uid) for uid in uids])
    return None if any(known is None for known in found) else found  # type: ignore[return-value]


def user_closure(tx: Transaction, start: str, edges: bool = True
                 ) -> tuple[list[Edge], list[dict[str, Any]]] | None:
    """legos.lineage.user_closure without an as-of time: the closure's edges (input, user,
    relation, role; only with `edges`) and its rows' fields in answer order, statuses as they
    are now, each row dict (and its roles list) the caller's own. None when the memo cannot
    hold the closure (the caller reads its edges then)."""
    memo = tx.memo
    assert memo is not None
    names, walked = tx.table("lineage/dependent_statuses", uid=start)
    if not walked:
        return [], []
    at_uid, at_status = names.index("uid"), names.index("status")
    uids = [row[at_uid] for row in walked]
    answer_key = ("dependents", start)
    kept = memo.get(answer_key)
    if kept is not None and (kept[0] == uids or (len(kept[0]) == len(uids)
                                                 and set(kept[0]) == set(uids))):
        status_of = {row[at_uid]: row[at_status] for row in walked}
        return (list(kept[2]) if edges else []), [
            dict(template, status=status_of[template["uid"]], roles=list(template["roles"]))
            for template in kept[1]]
    known = _known(tx, memo, start, uids)
    if known is None:
        return None
    member = set(uids)
    member.add(start)
    # the edges among the closure (most inputs lie outside it), then legos.lineage's own
    # breadth-first depths, roles and rows from them: the answer of the edge walk
    closure_edges: list[Edge] = [
        (used, uid, relation, role) for uid, (*_, inputs) in zip(uids, known, strict=True)
        for used in inputs.keys() & member for relation, role in inputs[used]]
    nodes = {row[at_uid]: [project, asset, kind, number, row[at_status], created_by, created_at]
             for row, (project, asset, kind, number, created_by, created_at, _)
             in zip(walked, known, strict=True)}
    rows = row_templates(start, closure_edges, nodes, MAX_DEPTH)
    memo.put(answer_key, (uids, rows, closure_edges), 1 + len(rows) + len(closure_edges))
    # the caller's rows are its own (they become its answer's rows): the templates stay here
    return (list(closure_edges) if edges else []), [dict(row, roles=list(row["roles"]))
                                                    for row in rows]
