"""How long a complete iteration takes: from the creation of the earliest version in a
version's input subgraph (DEPENDS_ON and CONTAINS, transitively) to the version itself; and
its mean per asset, per kind or per user over a window (cypher/analytics/iteration.cypher).

One version's iteration, and each one of a window, walk its inputs breadth-first (each once,
however many paths lead to it). The means read the earliest input every publish keeps on its
version (legos.kept): a scan of versions, whatever the window.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from legos.analytics import params
from legos.errors import InvalidInputError
from legos.lineage import dependencies
from legos.store.base import Transaction
from legos.uri import AssetURI, format_uri, parse_reference

GROUPS = ("asset", "kind", "user")


class Iteration(BaseModel):
    """One version's iteration: `seconds` from its earliest input's creation to its own."""

    uri: str
    project: str
    asset: str
    kind: str
    version: int
    created_by: str
    created_at: datetime
    inputs: int                    # distinct versions in its input subgraph
    earliest_at: datetime | None   # None: a version without inputs
    earliest_uri: str | None       # given for one version (`iteration`), not in bulk
    seconds: float | None
    uid: str


class IterationMean(BaseModel):
    """The iterations of a group of versions (one asset, kind or user) over the window."""

    by: str                        # asset, kind or user
    group: str                     # the asset's path, the kind or the user name
    uri: str | None                # by asset: the asset's URI, latest version as of the time
    asset: str | None
    version: int | None
    project: str | None
    kind: str | None
    user: str | None
    versions: int                  # versions with inputs in the window
    mean_seconds: float
    min_seconds: float
    max_seconds: float


def iteration(tx: Transaction, uri: str | AssetURI,
              as_of: datetime | str | None = None) -> Iteration:
    """One version's iteration, with the earliest input named."""
    at = params.instant(as_of)
    parsed = parse_reference(uri)
    rows = dependencies(tx, parsed, as_of=at)
    from legos import as_of as past

    start = tx.query("versions/get", uids=[past.start_uid(tx, parsed, at)])[0]
    created_at = start["created_at"]
    earliest = min(rows, key=lambda r: (r.created_at, r.uri), default=None)
    return Iteration(
        uri=format_uri(start["project"], start["asset"], start["number"]),
        project=start["project"], asset=start["asset"], kind=start["kind"],
        version=start["number"], created_by=start["created_by"], created_at=created_at,
        inputs=len(rows), earliest_at=earliest.created_at if earliest else None,
        earliest_uri=earliest.uri if earliest else None,
        seconds=(created_at - earliest.created_at).total_seconds() if earliest else None,
        uid=start["uid"])


def iterations(tx: Transaction, project: str | None = None, kind: str | None = None,
               since: datetime | str | None = None, until: datetime | str | None = None,
               as_of: datetime | str | None = None) -> list[Iteration]:
    """Every version published in [since, until] (and by the as-of time) that has inputs,
    with its iteration; ordered by creation."""
    at = params.moment(as_of)
    start, end = params.window(since, until, at)
    rows = tx.query("analytics/iteration", since=start, until=end, as_of=at,
                    project=params.project_rule(project), kind=params.kind_rule(kind))
    out = []
    for r in rows:
        created_at, earliest = r["created_at"], r["earliest"]
        out.append(Iteration(
            uri=format_uri(r["project"], r["asset"], r["version"]), project=r["project"],
            asset=r["asset"], kind=r["kind"], version=r["version"], created_by=r["created_by"],
            created_at=created_at, inputs=r["inputs"], earliest_at=earliest, earliest_uri=None,
            seconds=(created_at - earliest).total_seconds(), uid=r["uid"]))
    out.sort(key=lambda i: (i.created_at, i.uid))
    return out


def iteration_means(tx: Transaction, by: Literal["asset", "kind", "user"] = "asset",
                    project: str | None = None, kind: str | None = None,
                    since: datetime | str | None = None, until: datetime | str | None = None,
                    as_of: datetime | str | None = None, top: int | None = 0
                    ) -> list[IterationMean]:
    """Mean (and min, max) iteration per asset, kind or user over the window, longest first."""
    if by not in GROUPS:
        raise InvalidInputError(f"cannot group iterations by {by!r}: use one of "
                                f"{', '.join(GROUPS)}")
    at = params.moment(as_of)
    start, end = params.window(since, until, at)
    # every version's earliest input is kept by its publish (exact for every time: published
    # versions never change): a scan of versions grouped in the engine, no walk of any closure
    rows = tx.query("analytics/iteration_kept", by=by, since=start, until=end,
                    project=params.project_rule(project), kind=params.kind_rule(kind))
    latest: dict[str, int] = {}
    if by == "asset" and rows:
        latest = {r["path"]: r["version"] for r in tx.query(
            "analytics/latest", project=params.project_rule(project),
            kind=params.kind_rule(kind), as_of=at)}
    out = []
    for r in rows:
        key, count = r["grp"], int(r["versions"])
        out.append(IterationMean(
            by=by, group=key,
            uri=format_uri(r["project"], r["asset"]) if by == "asset" else None,
            asset=r["asset"] if by == "asset" else None,
            version=latest.get(key) if by == "asset" else None,
            project=r["project"] if by == "asset" else None,
            kind=r["kind"] if by in ("asset", "kind") else None,
            user=key if by == "user" else None,
            versions=count, mean_seconds=int(r["total_us"]) / count / 1e6,
            min_seconds=int(r["min_us"]) / 10**6, max_seconds=int(r["max_us"]) / 10**6))
    out.sort(key=lambda m: (-m.mean_seconds, m.group))
    return out[:params.limit(top)]
