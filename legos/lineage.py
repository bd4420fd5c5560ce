"""Lineage: what a version was made from, what uses it, and what a package holds.

Each walk is one breadth-first query (cypher/lineage/), so every version appears once at its
shortest depth however many paths lead to it.
"""

from __future__ import annotations

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


def _rows(raw: list[dict[str, Any]]) -> list[LineageRow]:
    return [
        LineageRow(uri=format_uri(r["project"], r["asset"], r["version"]), project=r["project"],
                   asset=r["asset"], kind=r["kind"], version=r["version"], status=r["status"],
                   role=r["role"], relation=r["relation"], depth=r["depth"],
                   created_by=r["created_by"], created_at=r["created_at"])
        for r in raw
    ]


def dependencies(tx: Transaction, uri: AssetURI, max_depth: int | None = None,
                 role: str | None = None) -> list[LineageRow]:
    uid = select_uid(tx, uri)
    return _rows(tx.query("lineage/dependencies", uid=uid, max_depth=_depth(max_depth),
                          role=role or ""))


def dependents(tx: Transaction, uri: AssetURI, max_depth: int | None = None,
               role: str | None = None, revisions: bool = True) -> list[LineageRow]:
    """Versions and packages using `uri`, then the revisions submitting any of them."""
    uid = select_uid(tx, uri)
    depth_limit = _depth(max_depth)
    raw = tx.query("lineage/dependents", uid=uid, max_depth=depth_limit, role=role or "")
    rows = _rows(raw)
    if not revisions or role:
        return rows
    # A revision is one hop past the version it submits (the start version is depth 0).
    reached = {uid: (0, uri.project, uri.asset, None)}
    for r in raw:
        reached[r["uid"]] = (r["depth"], r["project"], r["asset"], r["version"])
    start_version = tx.query("versions/get", uids=[uid])[0]["number"]
    for rev in tx.query("lineage/revisions_of", uids=list(reached)):
        depth, project, asset, number = reached[rev["version_uid"]]
        if depth + 1 > depth_limit:
            continue
        number = number if number is not None else start_version
        rows.append(LineageRow(
            uri=format_uri(project, asset, number), project=project, asset=asset,
            kind=rev["kind"], version=number, status=rev["status"], role="submits",
            relation="submits", depth=depth + 1, created_by=rev["created_by"],
            created_at=rev["created_at"], revision=rev["revision"]))
    rows.sort(key=lambda r: (r.depth, r.asset, r.version, r.revision or ""))
    return rows


def contents(tx: Transaction, uri: AssetURI) -> list[dict[str, Any]]:
    """Members of a package version, recursively, each with the package that holds it."""
    uid = select_uid(tx, uri)
    members = tx.query("lineage/contents", uid=uid)
    by_uid = {m["uid"]: m for m in members}
    parents: dict[str, list[str]] = {}
    package_uids = [uid, *by_uid]
    for edge in tx.query("lineage/contains_edges", uids=package_uids):
        parents.setdefault(edge["member"], []).append(edge["parent"])
    uri_of = {uid: str(uri.with_version(tx.query("versions/get", uids=[uid])[0]["number"]))}
    for m in members:
        uri_of[m["uid"]] = format_uri(m["project"], m["asset"], m["version"])
    out = []
    for m in members:
        row = _rows([m])[0].model_dump()
        row["parents"] = sorted(uri_of[p] for p in parents.get(m["uid"], []) if p in uri_of)
        out.append(row)
    return out
