"""Stale: which inputs of a package or shot are out of date, and by how much.

An input (a dependency or member, at any depth) is stale when its asset has a newer version
that is approved, or, with `any_newer`, any newer version that is not rejected or deprecated;
both as the graph stood at the as-of time (statuses included).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from legos import as_of as past
from legos.catalog import NO_TIME, SKIPPED_STATUSES
from legos.lineage import inputs_of
from legos.model import LineageRow
from legos.rows import trusted
from legos.store.base import Transaction
from legos.uri import AssetURI, format_uri


class StaleRow(LineageRow):
    """An input in use (`version`) and the newest version that supersedes it."""

    newer_version: int
    newer_status: str
    newer_uri: str
    behind: int          # how many superseding versions there are


def stale(tx: Transaction, uri: AssetURI, any_newer: bool = False,
          as_of: datetime | None = None) -> list[StaleRow]:
    uid = past.start_uid(tx, uri, as_of)
    statuses = past.statuses_at(tx, as_of)
    # one walk: each input's newer versions, and each input itself with its current status
    names, found = tx.table("lineage/stale", uid=uid, as_of=as_of or NO_TIME)
    if not found:  # no inputs (each input's own row is there): nothing is stale
        return []
    at = [names.index(n) for n in ("uid", "newer_uid", "newer_version", "newer_status")]
    now: dict[str, str] = {}
    newer: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for used, then, number, status in ([row[i] for i in at] for row in found):
        if then == used:
            now[used] = status
            continue
        status = statuses.get(then, status)
        if status == "approved" or (any_newer and status not in SKIPPED_STATUSES):
            newer[used].append((number, status))
    if as_of is None:  # the remembered closure as it is, with the statuses just read
        inputs = inputs_of(tx, uid, now, current=False)
        if any(row.uid not in now for row in inputs):  # an input without an asset: read again
            inputs = inputs_of(tx, uid, statuses)
    else:
        inputs = inputs_of(tx, uid, statuses, as_of=as_of)
    out = []
    for row in inputs:
        if row.uid not in newer:
            continue
        number, status = max(newer[row.uid])
        # fields typed by the store and the lineage rows already: set, not re-validated
        out.append(trusted(StaleRow, {
            **row.__dict__, "newer_version": number, "newer_status": status,
            "newer_uri": format_uri(row.project, row.asset, number),
            "behind": len(newer[row.uid])}))
    return out
