"""Lineage: what a version was made from, what uses it, and what a package holds.

Each question is one query (cypher/lineage/) that returns the edges of the version's closure,
found by the engine's breadth-first expand (each version visited once, however many paths lead
to it). The walk below turns those edges into rows: every version once, at its shortest depth,
with the roles of the edges that reach it along a shortest path. Doing this last step here
keeps both backends' answers identical, ties included.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from legos import as_of as past
from legos.catalog import NO_TIME
from legos.errors import InvalidInputError
from legos.model import LineageRow, MemberRow
from legos.store.base import Transaction
from legos.uri import AssetURI, format_uri

MAX_DEPTH = 64  # the walk's hard bound in cypher/lineage/*.cypher


def _depth(max_depth: int | None) -> int:
    if max_depth is None:
        return MAX_DEPTH
    if not isinstance(max_depth, int) or isinstance(max_depth, bool):
        raise InvalidInputError(f"depth {max_depth!r} is not a number: give 1 or more")
    if max_depth < 1:
        raise InvalidInputError(f"depth {max_depth} is not valid: give 1 or more")
    return min(max_depth, MAX_DEPTH)


def walk(start: str, edges: list[dict[str, Any]], max_depth: int = MAX_DEPTH,
         role: str | None = None) -> list[LineageRow]:
    """Breadth-first over closure edges (`near` -> `uid`), from `start`."""
    if role is not None and not isinstance(role, str):
        raise InvalidInputError(f"role {role!r} is not text: give a role or slot, e.g. texture")
    out_edges: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for edge in edges:
        out_edges[edge["near"]].append(edge)
    depth = {start: 0}
    reached: dict[str, list[dict[str, Any]]] = {}  # uid -> the edges reaching it at its depth
    frontier = [start]
    level = 0
    while frontier and level < max_depth:
        level += 1
        following = []
        for near in frontier:
            for edge in out_edges.get(near, ()):
                uid = edge["uid"]
                if uid not in depth:
                    depth[uid] = level
                    reached[uid] = [edge]
                    following.append(uid)
                elif depth[uid] == level:
                    reached[uid].append(edge)
        frontier = following
    rows = []
    for uid, via in reached.items():
        hops = sorted({(e["role"] or "", e["relation"]) for e in via})
        roles = sorted({r for r, _ in hops if r})
        if role and role not in roles:
            continue
        first = via[0]
        # fields straight from the store's typed columns: construct without re-validating
        # (validation was a third of the walk on closures of thousands of versions)
        rows.append(LineageRow.model_construct(
            uri=format_uri(first["project"], first["asset"], first["version"]),
            project=first["project"], asset=first["asset"], kind=first["kind"],
            version=first["version"], status=first["status"],
            role=hops[0][0] or None, roles=roles, relation=hops[0][1], depth=depth[uid],
            created_by=first["created_by"], created_at=first["created_at"], uid=uid,
            revision=None))
    rows.sort(key=lambda r: (r.depth, r.asset, r.version))
    return rows


@dataclass(frozen=True)
class Closure:
    """A version's lineage subgraph: the start, the versions reached (rows) and the edges
    among them, each as (user uid, input uid, relation, role): what pictures are drawn from."""

    start: dict[str, Any]
    rows: list[LineageRow]
    edges: list[tuple[str, str, str, str | None]]


def closure(tx: Transaction, uri: AssetURI, *, reverse: bool = False,
            max_depth: int | None = None, as_of: datetime | None = None) -> Closure:
    """Dependencies (or, with `reverse`, dependents) of `uri` with the edges between them."""
    uid = past.start_uid(tx, uri, as_of)
    module = "lineage/dependents" if reverse else "lineage/dependencies"
    found = tx.query(module, uid=uid, as_of=as_of or NO_TIME)
    statuses = past.statuses_at(tx, as_of)
    rows = past.with_statuses(walk(uid, found, _depth(max_depth)), statuses)
    kept = {r.uid for r in rows} | {uid}
    edges = [(e["uid"], e["near"], e["relation"], e["role"]) if reverse else
             (e["near"], e["uid"], e["relation"], e["role"])
             for e in found if e["near"] in kept and e["uid"] in kept]
    start = tx.query("versions/get", uids=[uid])[0]
    start["status"] = statuses.get(uid, start["status"])
    return Closure(start, rows, edges)


def dependencies(tx: Transaction, uri: AssetURI, max_depth: int | None = None,
                 role: str | None = None, as_of: datetime | None = None) -> list[LineageRow]:
    uid = past.start_uid(tx, uri, as_of)
    return inputs_of(tx, uid, past.statuses_at(tx, as_of), max_depth, role, as_of)


def inputs_of(tx: Transaction, uid: str, statuses: dict[str, str], max_depth: int | None = None,
              role: str | None = None, as_of: datetime | None = None) -> list[LineageRow]:
    """`dependencies` of a version already selected, with statuses as of `as_of` given."""
    rows = walk(uid, tx.query("lineage/dependencies", uid=uid, as_of=as_of or NO_TIME),
                _depth(max_depth), role)
    return past.with_statuses(rows, statuses)


def dependents(tx: Transaction, uri: AssetURI, max_depth: int | None = None,
               role: str | None = None, revisions: bool = True,
               as_of: datetime | None = None) -> list[LineageRow]:
    """Versions and packages using `uri`, then the revisions submitting any of them."""
    uid = past.start_uid(tx, uri, as_of)
    depth_limit = _depth(max_depth)
    rows = walk(uid, tx.query("lineage/dependents", uid=uid, as_of=as_of or NO_TIME),
                depth_limit, role)
    rows = past.with_statuses(rows, past.statuses_at(tx, as_of))
    if not revisions or role:
        return rows
    rows = rows + revision_rows(tx, uid, rows, depth_limit, as_of)
    rows.sort(key=lambda r: (r.depth, r.asset, r.version, r.revision or ""))
    return rows


def revision_rows(tx: Transaction, uid: str, rows: list[LineageRow], depth_limit: int = MAX_DEPTH,
                  as_of: datetime | None = None,
                  start: dict[str, Any] | None = None) -> list[LineageRow]:
    """The dailies revisions submitting the start version or any row: one hop past it.
    `start` is the start's versions/get row when the caller has read it already."""
    found_revisions = tx.query("lineage/revisions_downstream", uid=uid, as_of=as_of or NO_TIME)
    if not found_revisions:
        return []
    start = start or tx.query("versions/get", uids=[uid])[0]
    verdicts = past.verdicts_at(tx, as_of)
    reached = {uid: (0, start["project"], start["asset"], start["number"])}
    for r in rows:
        reached[r.uid] = (r.depth, r.project, r.asset, r.version)
    found = []
    for rev in sorted(found_revisions, key=lambda rev: rev["created_at"]):
        if rev["version_uid"] not in reached:   # beyond the rows' depth limit
            continue
        depth, project, asset, number = reached[rev["version_uid"]]
        if depth + 1 > depth_limit:
            continue
        verdict: str = rev["status"]  # typed: dict.get with an Any default reads as Optional
        found.append(LineageRow(
            uri=format_uri(project, asset, number), project=project, asset=asset,
            kind=rev["kind"], version=number,
            status=verdicts.get(rev["revision"], verdict), role="submits",
            roles=["submits"], relation="submits", depth=depth + 1,
            created_by=rev["created_by"], created_at=rev["created_at"],
            revision=rev["revision"], uid=rev["version_uid"]))
    return found


def contents(tx: Transaction, uri: AssetURI,
             as_of: datetime | None = None) -> list[MemberRow]:
    """Members of a package version, recursively, each with the packages that hold it."""
    uid = past.start_uid(tx, uri, as_of)
    edges = tx.query("lineage/contents", uid=uid, as_of=as_of or NO_TIME)
    rows = past.with_statuses(walk(uid, edges), past.statuses_at(tx, as_of))
    uri_of = {uid: str(uri.with_version(tx.query("versions/get", uids=[uid])[0]["number"]))}
    uri_of.update({r.uid: r.uri for r in rows})
    parents: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        parents[edge["uid"]].add(uri_of[edge["near"]])
    # the walk's rows plus their parents, without validating again (see walk)
    return [MemberRow.model_construct(**dict(r), parents=sorted(parents[r.uid])) for r in rows]
