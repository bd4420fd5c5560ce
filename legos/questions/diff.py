"""Diff: what changed between two versions of a package, or between two QC renders.

Both closures (every input at any depth, or down to `max_depth`) are compared asset by asset:
an asset only the second uses was added, one only the first uses was removed, and one both
use at different versions was changed (re-versioned). An asset used at several versions in one
closure compares as the set of them; `from_version`/`to_version` give the highest.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from legos.lineage import dependencies
from legos.model import LineageRow
from legos.store.base import Transaction
from legos.uri import AssetURI, format_uri

Change = Literal["added", "removed", "changed"]


class DiffRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    change: Change
    uri: str                   # the version the second closure uses (the first's if removed)
    project: str
    asset: str
    kind: str
    version: int               # to_version, or from_version when removed
    from_version: int | None
    to_version: int | None
    from_versions: list[int]
    to_versions: list[int]
    depth: int                 # the shortest depth in the closure that names `version`


def _by_asset(rows: list[LineageRow]) -> dict[tuple[str, str], list[LineageRow]]:
    out: dict[tuple[str, str], list[LineageRow]] = {}
    for row in rows:
        out.setdefault((row.project, row.asset), []).append(row)
    return out


def diff(tx: Transaction, first: AssetURI, second: AssetURI, max_depth: int | None = None,
         as_of: datetime | None = None) -> list[DiffRow]:
    before = _by_asset(dependencies(tx, first, max_depth, as_of=as_of))
    after = _by_asset(dependencies(tx, second, max_depth, as_of=as_of))
    out = []
    for key in sorted(before.keys() | after.keys()):
        old = sorted({r.version for r in before.get(key, ())})
        new = sorted({r.version for r in after.get(key, ())})
        if old == new:
            continue
        change: Change = "added" if not old else "removed" if not new else "changed"
        side = after[key] if new else before[key]
        version = new[-1] if new else old[-1]
        project, asset = key
        out.append(DiffRow(
            change=change, uri=format_uri(project, asset, version), project=project,
            asset=asset, kind=side[0].kind, version=version,
            from_version=old[-1] if old else None, to_version=new[-1] if new else None,
            from_versions=old, to_versions=new,
            depth=min(r.depth for r in side if r.version == version)))
    out.sort(key=lambda r: (("added", "removed", "changed").index(r.change), r.depth,
                            r.project, r.asset))
    return out
