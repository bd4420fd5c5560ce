"""Lineage: what a version was made from, what uses it, and what a package holds.

Each question is one query (cypher/lineage/) that returns the edges of the version's closure,
found by the engine's breadth-first expand (each version visited once, however many paths lead
to it). The walk below turns those edges into rows: every version once, at its shortest depth,
with the roles of the edges that reach it along a shortest path. Doing this last step here
keeps both backends' answers identical, ties included.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta, timezone
from typing import Any

from legos.catalog import select_uid
from legos.errors import InvalidInputError
from legos.model import LineageRow
from legos.store.base import Transaction
from legos.uri import AssetURI, format_uri

MAX_DEPTH = 64  # the walk's hard bound in cypher/lineage/*.cypher


def _depth(max_depth: int | None) -> int:
    if max_depth is None:
        return MAX_DEPTH
    if max_depth < 1:
        raise InvalidInputError(f"depth {max_depth} is not valid: give 1 or more")
    return min(max_depth, MAX_DEPTH)


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _instant(value: datetime | int) -> datetime:
    """A row's created_at: a datetime, or epoch microseconds (see cypher/lineage/*.cypher)."""
    return value if isinstance(value, datetime) else _EPOCH + timedelta(microseconds=value)


def walk(start: str, edges: list[dict[str, Any]], max_depth: int = MAX_DEPTH,
         role: str | None = None) -> list[LineageRow]:
    """Breadth-first over closure edges (`near` -> `uid`), from `start`."""
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
        rows.append(LineageRow(
            uri=format_uri(first["project"], first["asset"], first["version"]),
            project=first["project"], asset=first["asset"], kind=first["kind"],
            version=first["version"], status=first["status"],
            role=hops[0][0] or None, roles=roles, relation=hops[0][1], depth=depth[uid],
            created_by=first["created_by"], created_at=_instant(first["created_at"]), uid=uid))
    rows.sort(key=lambda r: (r.depth, r.asset, r.version))
    return rows


def dependencies(tx: Transaction, uri: AssetURI, max_depth: int | None = None,
                 role: str | None = None) -> list[LineageRow]:
    uid = select_uid(tx, uri)
    return walk(uid, tx.query("lineage/dependencies", uid=uid), _depth(max_depth), role)


def dependents(tx: Transaction, uri: AssetURI, max_depth: int | None = None,
               role: str | None = None, revisions: bool = True) -> list[LineageRow]:
    """Versions and packages using `uri`, then the revisions submitting any of them."""
    uid = select_uid(tx, uri)
    depth_limit = _depth(max_depth)
    rows = walk(uid, tx.query("lineage/dependents", uid=uid), depth_limit, role)
    if not revisions or role:
        return rows
    # A revision is one hop past the version it submits (the start version is depth 0).
    start = tx.query("versions/get", uids=[uid])[0]
    reached = {uid: (0, start["project"], start["asset"], start["number"])}
    for r in rows:
        reached[r.uid] = (r.depth, r.project, r.asset, r.version)
    for rev in tx.query("lineage/revisions_of", uids=list(reached)):
        depth, project, asset, number = reached[rev["version_uid"]]
        if depth + 1 > depth_limit:
            continue
        rows.append(LineageRow(
            uri=format_uri(project, asset, number), project=project, asset=asset,
            kind=rev["kind"], version=number, status=rev["status"], role="submits",
            roles=["submits"], relation="submits", depth=depth + 1,
            created_by=rev["created_by"], created_at=rev["created_at"],
            revision=rev["revision"], uid=rev["version_uid"]))
    rows.sort(key=lambda r: (r.depth, r.asset, r.version, r.revision or ""))
    return rows


def contents(tx: Transaction, uri: AssetURI) -> list[dict[str, Any]]:
    """Members of a package version, recursively, each with the packages that hold it."""
    uid = select_uid(tx, uri)
    edges = tx.query("lineage/contents", uid=uid)
    rows = walk(uid, edges)
    uri_of = {uid: str(uri.with_version(tx.query("versions/get", uids=[uid])[0]["number"]))}
    uri_of.update({r.uid: r.uri for r in rows})
    parents: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        parents[edge["uid"]].add(uri_of[edge["near"]])
    return [{**r.model_dump(), "parents": sorted(parents[r.uid])} for r in rows]
