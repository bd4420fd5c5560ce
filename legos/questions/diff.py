"""Diff: what changed between two versions of a package, or between two QC renders.

First the versions' own content: their files compared by name and sha256 (added, removed,
changed), as rows of depth 0 that name the `file`. Then their inputs: both closures (every
input at any depth, or down to `max_depth`) are compared asset by asset: an asset only the
second uses was added, one only the first uses was removed, and one both use at different
versions was changed (re-versioned). An asset used at several versions in one
closure compares as the set of them; `from_version`/`to_version` give the highest.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from legos import as_of as past
from legos.lineage import inputs_of
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
    depth: int                 # the shortest depth in the closure that names `version`; 0
                               # for a file of the compared versions themselves
    file: str | None = None    # a file of the compared versions (their own content)
    from_sha256: str | None = None
    to_sha256: str | None = None


def _by_asset(rows: list[LineageRow]) -> dict[tuple[str, str], list[LineageRow]]:
    out: dict[tuple[str, str], list[LineageRow]] = {}
    for row in rows:
        out.setdefault((row.project, row.asset), []).append(row)
    return out


def _content(tx: Transaction, first: str, second: str) -> list[DiffRow]:
    """The files of two versions compared by name and hash."""
    versions = {row["uid"]: row for row in tx.query("versions/get", uids=[first, second])}
    files: dict[str, dict[str, str]] = {first: {}, second: {}}
    for uid in (first, second):  # keyed, one each: see cypher/versions/files_of.cypher
        for row in tx.query("versions/files_of", uid=uid):
            files[uid][row["name"]] = row["sha256"]
    old, new = files[first], files[second]
    out = []
    for name in sorted(old.keys() | new.keys()):
        if old.get(name) == new.get(name):
            continue
        change: Change = "added" if name not in old else "removed" if name not in new else "changed"
        side = versions[first if change == "removed" else second]
        out.append(DiffRow(
            change=change, uri=format_uri(side["project"], side["asset"], side["number"]),
            project=side["project"], asset=side["asset"], kind=side["kind"],
            version=side["number"],
            from_version=versions[first]["number"] if name in old else None,
            to_version=versions[second]["number"] if name in new else None,
            from_versions=[versions[first]["number"]] if name in old else [],
            to_versions=[versions[second]["number"]] if name in new else [],
            depth=0, file=name, from_sha256=old.get(name), to_sha256=new.get(name)))
    return out


def diff(tx: Transaction, first: AssetURI, second: AssetURI, max_depth: int | None = None,
         as_of: datetime | None = None) -> list[DiffRow]:
    """The content change of `first` to `second` (their files), then their inputs' changes."""
    source, target = past.start_uid(tx, first, as_of), past.start_uid(tx, second, as_of)
    statuses = past.statuses_at(tx, as_of)
    # a diff shows no statuses: the remembered closures serve as they are (no walk to refresh)
    before = _by_asset(inputs_of(tx, source, statuses, max_depth, as_of=as_of, current=False))
    after = _by_asset(inputs_of(tx, target, statuses, max_depth, as_of=as_of, current=False))
    out = _content(tx, source, target) if source != target else []
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
    out.sort(key=lambda r: (r.depth > 0, ("added", "removed", "changed").index(r.change),
                            r.depth, r.project, r.asset, r.file or ""))
    return out
