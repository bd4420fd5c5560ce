"""Impact: if this version changes, what must be re-published or re-rendered, in what order.

Every downstream version, package and QC revision, each with its rebuild wave: a version's
wave is one more than the highest wave among its inputs inside the impact set (the changed
version is wave 0), so rebuilding wave by wave always rebuilds inputs before their users, and
versions of one wave can be rebuilt side by side.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from legos import as_of as past
from legos.lineage import revision_rows, user_closure
from legos.model import LineageRow
from legos.rows import collecting_paused, trusted
from legos.store.base import Transaction
from legos.uri import AssetURI


class ImpactRow(LineageRow):
    """A version to rebuild (or, with `revision`, a dailies revision to re-review)."""

    wave: int


def waves(start: str, edges: list[tuple[str, str, str, str | None]]) -> dict[str, int]:
    """Longest distance from `start` along user <- input edges, by Kahn's topological order."""
    users: dict[str, list[str]] = defaultdict(list)
    waiting: dict[str, int] = defaultdict(int)   # inputs not yet placed, per user
    for user, used in {(u, i) for u, i, _, _ in edges}:  # a pair may be linked twice
        users[used].append(user)
        waiting[user] += 1
    wave = {start: 0}
    ready = [start]
    while ready:
        node = ready.pop()
        for user in users.get(node, ()):
            wave[user] = max(wave.get(user, 0), wave[node] + 1)
            waiting[user] -= 1
            if waiting[user] == 0:
                ready.append(user)
    return wave


@collecting_paused()
def impact(tx: Transaction, uri: AssetURI, as_of: datetime | None = None,
           revisions: bool = True) -> list[ImpactRow]:
    """Everything downstream of `uri` in rebuild order: by wave, then asset, then version."""
    start = past.start_uid(tx, uri, as_of)
    edges, templates = user_closure(tx, start, as_of)
    wave = waves(start, [(user, used, relation, role) for used, user, relation, role in edges])
    statuses = past.statuses_at(tx, as_of)
    # each row built once, from the closure's own fields (ImpactRow: LineageRow's, then wave)
    rows = []
    for fields in templates:
        fields["wave"] = wave[fields["uid"]]
        if fields["uid"] in statuses:
            fields["status"] = statuses[fields["uid"]]
        rows.append(trusted(ImpactRow, fields))
    if revisions:
        rows += [trusted(ImpactRow, {**r.__dict__, "wave": wave[r.uid] + 1})
                 for r in revision_rows(tx, start, list(rows), as_of=as_of)]
    rows.sort(key=lambda r: (r.wave, r.project, r.asset, r.version, r.revision or ""))
    return rows


def by_asset(rows: list[ImpactRow]) -> list[tuple[int, str, list[ImpactRow]]]:
    """The rows grouped by asset within each wave: (wave, asset path, its rows)."""
    groups: dict[tuple[int, str], list[ImpactRow]] = {}
    for row in rows:
        groups.setdefault((row.wave, f"{row.project}/{row.asset}"), []).append(row)
    return [(wave, asset, members) for (wave, asset), members in groups.items()]
