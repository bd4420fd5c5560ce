"""How long a complete iteration takes: from the creation of the earliest version in a
version's input subgraph (DEPENDS_ON and CONTAINS, transitively) to the version itself; and
its mean per asset, per kind or per user over a window (cypher/analytics/iteration.cypher).

The engine walks each version's inputs breadth-first (each once, however many paths lead to
it); the whole-graph question costs the sum of the closures, so narrow it with a project, a
kind or a window on big graphs.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from statistics import fmean
from typing import Literal, NamedTuple

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
    # from the start of history, one pass over every edge beats walking each version's
    # closure (the sum of all closures: minutes on a 1M graph); a recent window asks only
    # its own versions' closures
    found: list[Iteration] | list[_Iterated] = (
        iterations(tx, project, kind, since, until, at) if since is not None
        else _iterations_in_one_pass(tx, project, kind, until, at))
    groups: dict[str, list[Iteration | _Iterated]] = defaultdict(list)
    for item in found:
        key = {"asset": f"{item.project}/{item.asset}", "kind": item.kind,
               "user": item.created_by}[by]
        groups[key].append(item)
    latest: dict[str, int] = {}
    if by == "asset" and groups:
        latest = {r["path"]: r["version"] for r in tx.query(
            "analytics/latest", project=params.project_rule(project),
            kind=params.kind_rule(kind), as_of=at)}
    out = []
    for key, items in groups.items():
        seconds = [i.seconds for i in items if i.seconds is not None]
        first = items[0]
        out.append(IterationMean(
            by=by, group=key,
            uri=format_uri(first.project, first.asset) if by == "asset" else None,
            asset=first.asset if by == "asset" else None,
            version=latest.get(key) if by == "asset" else None,
            project=first.project if by == "asset" else None,
            kind=first.kind if by in ("asset", "kind") else None,
            user=key if by == "user" else None,
            versions=len(seconds), mean_seconds=fmean(seconds), min_seconds=min(seconds),
            max_seconds=max(seconds)))
    out.sort(key=lambda m: (-m.mean_seconds, m.group))
    return out[:params.limit(top)]


class _Iterated(NamedTuple):
    """The fields iteration_means groups by, without building a model per version."""

    project: str
    asset: str
    kind: str
    created_by: str
    created_at: datetime
    seconds: float
    uid: str


def _iterations_in_one_pass(tx: Transaction, project: str | None, kind: str | None,
                            until: datetime | str | None, at: datetime) -> list[_Iterated]:
    """The iteration of every version created by `until` (and `at`) with inputs, from one
    pass over every version and its direct inputs (cypher/analytics/iteration_inputs):
    the earliest input of a version is the earliest of its direct inputs and of theirs,
    exact over any DAG; published versions never change, so neither does that."""
    _, end = params.window(None, until, at)
    names, rows = tx.table("analytics/iteration_inputs")  # lists, not a dict per version
    if not rows:
        return []
    uid, project_at, asset, kind_at, user, at_, inputs_at = (names.index(n) for n in (
        "uid", "project", "asset", "kind", "created_by", "created_at", "inputs"))
    created = {r[uid]: r[at_] for r in rows}
    inputs = {r[uid]: r[inputs_at] for r in rows if r[inputs_at]}
    earliest = _earliest_inputs(inputs, created)
    project, kind = params.project_rule(project), params.kind_rule(kind)
    out = [_Iterated(r[project_at], r[asset], r[kind_at], r[user], r[at_],
                     (r[at_] - earliest[r[uid]]).total_seconds(), r[uid])
           for r in rows if r[uid] in earliest and r[at_] <= end
           and (not project or r[project_at] == project) and (not kind or r[kind_at] == kind)]
    out.sort(key=lambda i: (i.created_at, i.uid))  # as iterations(): the same means
    return out


def _earliest_inputs(inputs: dict[str, list[str]], created: dict[str, datetime]
                     ) -> dict[str, datetime]:
    """For each version with inputs, the earliest creation among its inputs, transitively."""
    order = sorted(inputs, key=created.__getitem__)
    earliest: dict[str, datetime] = {}
    # the earliest instant reached through a version: its own, or its earliest input's
    reach = {uid: at for uid, at in created.items() if uid not in inputs}
    try:
        # oldest first: an input is older than its user, so it has been reached already
        for uid in order:
            first = earliest[uid] = min(map(reach.__getitem__, inputs[uid]))
            reach[uid] = min(first, created[uid])
        return earliest
    except KeyError:  # an input recorded as newer than its user (a clock step): iterate
        reach = dict(created)
        changed = True
        while changed:
            changed = False
            for uid in order:
                first = min(map(reach.__getitem__, inputs[uid]))
                if earliest.get(uid) != first:
                    earliest[uid], changed = first, True
                    reach[uid] = min(first, created[uid])
        return earliest
