"""Lineage path: how version A came to depend on version B, as one shortest chain with roles."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from legos import as_of as past
from legos.catalog import asset_row
from legos.lineage import Edge, input_closure
from legos.store.base import Transaction
from legos.uri import AssetURI, format_uri


class PathStep(BaseModel):
    """One version along the chain; `relation`/`role` name the hop that reached it (none for
    the first)."""

    model_config = ConfigDict(frozen=True)

    uri: str
    project: str
    asset: str
    kind: str
    version: int
    status: str
    relation: str | None
    role: str | None
    uid: str


def _chain(source: str, target: str, edges: list[Edge]) -> list[tuple[str, str | None,
                                                                       str | None]]:
    """One shortest chain from `source` to `target` along (user, input) edges, breadth-first
    in the order the edges came: each version with the relation and role of the hop that
    reached it (none for the first); empty when `target` is not reached."""
    inputs: dict[str, list[Edge]] = defaultdict(list)
    for edge in edges:
        inputs[edge[0]].append(edge)
    parent: dict[str, Edge | None] = {source: None}
    frontier = [source]
    while frontier and target not in parent:
        following = []
        for near in frontier:
            for edge in inputs.get(near, ()):
                if edge[1] not in parent:
                    parent[edge[1]] = edge
                    following.append(edge[1])
        frontier = following
    if target not in parent:
        return []
    chain: list[tuple[str, str | None, str | None]] = []
    uid = target
    while (hop := parent[uid]) is not None:
        chain.append((uid, hop[2], hop[3]))
        uid = hop[0]
    chain.append((source, None, None))
    return chain[::-1]


def path(tx: Transaction, first: AssetURI, second: AssetURI,
         as_of: datetime | None = None) -> list[PathStep]:
    """The chain from `first` down to `second`; empty when `first` does not depend on it.
    Every version on a chain is older than `first`, so a chain that stood at `as_of` needs
    only both ends to have existed then. A `second` that names no version (nor a rule) means
    the version of that asset `first` actually reaches (the nearest, then the newest), not
    its latest.

    The chain is found in `first`'s dependency closure (lineage.input_closure, read once per
    store): a walk bounded by what `first` was made from, where a search between two bound
    ends made LadybugDB do work in proportion to the whole graph."""
    source = past.start_uid(tx, first, as_of)
    # statuses are read below for the chain alone: the remembered closure serves as it is
    edges, reached = input_closure(tx, source, as_of, current=False)
    fields = {row["uid"]: row for row in reached}
    if second.version is None and second.status is None and second.tag is None \
            and second.at is None:
        asset_row(tx, second.path)  # an unknown asset is an error, not "no path"
        candidates = [r for r in reached
                      if r["project"] == second.project and r["asset"] == second.asset]
        if not candidates:
            return []
        target = min(candidates, key=lambda r: (r["depth"], -r["version"]))["uid"]
    else:
        target = past.start_uid(tx, second, as_of)
    if source == target or target not in fields:
        return []
    chain = _chain(source, target, edges)
    if not chain:
        return []
    now = {row["uid"]: row for row in tx.query("versions/get", uids=[u for u, _, _ in chain])}
    fields[source] = {**now[source], "version": now[source]["number"]}
    statuses = past.statuses_at(tx, as_of)
    steps = []
    for uid, relation, role in chain:
        row = fields[uid]
        steps.append(PathStep(
            uri=format_uri(row["project"], row["asset"], row["version"]),
            project=row["project"], asset=row["asset"], kind=row["kind"],
            version=row["version"], status=statuses.get(uid) or now[uid]["status"],
            relation=relation, role=role or None, uid=uid))
    return steps
