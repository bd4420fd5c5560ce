"""The lineage subgraph as a networkx graph, for algorithms Cypher does not express well.

`to_networkx` exports versions (with their fields) and lineage edges (type and role or slot),
optionally collapsed to an asset graph. `communities` is one such algorithm: Louvain
community detection (networkx, seeded) on the co-membership graph of assets, whose edge
weights count the packages holding both assets: the assets that travel together. Modularity
optimisation needs the whole graph in memory and iterates; Cypher has no way to say it.
networkx is the optional extra `legos[analytics]`.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from itertools import combinations
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from legos import as_of as past
from legos.analytics import params
from legos.errors import ConfigError, InvalidInputError
from legos.store.base import GraphStore, Transaction
from legos.uri import format_uri

if TYPE_CHECKING:
    import networkx


def _networkx() -> Any:
    try:
        import networkx
    except ImportError:
        raise ConfigError("networkx is not installed: pip install 'legos[analytics]'") from None
    return networkx


def _read(source: Any, work: Any) -> Any:
    """Run `work(tx)` on a Transaction, a GraphStore or a Legos handle."""
    if isinstance(source, Transaction):
        return work(source)
    store = getattr(source, "store", source)
    if isinstance(store, GraphStore):
        return store.read(work)
    raise InvalidInputError(f"cannot read a graph from {type(source).__name__}: give a "
                            "Transaction, a GraphStore or a legos handle (legos.open())")


def to_networkx(source: Transaction | GraphStore | Any, project: str | None = None,
                as_of: datetime | str | None = None, *,
                assets: bool = False) -> networkx.DiGraph:
    """The lineage graph as it stood at `as_of` (optionally one project's versions only).

    Nodes are version uids with uri, project, asset, kind, version, status (as of the time),
    created_by, created_at and comment; edges point from user to input with `type`
    (depends_on / contains) and `role` (the role or slot). With `assets`, versions collapse
    into their assets: nodes are asset paths (uri, project, asset, kind, latest version,
    versions), edges carry `weight` (version edges), `types` and `roles`; edges between
    versions of one asset are dropped.
    """
    nx = _networkx()
    at = params.moment(as_of)
    rule = dict(project=params.project_rule(project), as_of=at)

    def work(tx: Transaction) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict]:
        return (tx.query("analytics/export_versions", **rule),
                tx.query("analytics/export_edges", **rule),
                past.statuses_at(tx, None if as_of is None else at))

    versions, edges, statuses = _read(source, work)
    graph = nx.DiGraph(as_of=at, project=project or None)
    for v in versions:
        graph.add_node(v["uid"], uri=format_uri(v["project"], v["asset"], v["version"]),
                       project=v["project"], asset=v["asset"], kind=v["kind"],
                       version=v["version"], status=statuses.get(v["uid"], v["status"]),
                       created_by=v["created_by"],
                       created_at=v["created_at"], comment=v["comment"])
    graph.add_edges_from((e["source"], e["target"], {"type": e["relation"], "role": e["role"]})
                         for e in edges if e["source"] in graph and e["target"] in graph)
    return _collapse(graph, nx) if assets else graph


def _collapse(graph: networkx.DiGraph, nx: Any) -> networkx.DiGraph:
    out = nx.DiGraph(**graph.graph)
    for _, data in graph.nodes(data=True):
        path = f"{data['project']}/{data['asset']}"
        if path in out:
            node = out.nodes[path]
            node["version"] = max(node["version"], data["version"])
            node["versions"] += 1
        else:
            out.add_node(path, uri=format_uri(data["project"], data["asset"]),
                         project=data["project"], asset=data["asset"], kind=data["kind"],
                         version=data["version"], versions=1)
    for source, target, data in graph.edges(data=True):
        a = f"{graph.nodes[source]['project']}/{graph.nodes[source]['asset']}"
        b = f"{graph.nodes[target]['project']}/{graph.nodes[target]['asset']}"
        if a == b:
            continue
        if out.has_edge(a, b):
            edge = out.edges[a, b]
            edge["weight"] += 1
            edge["types"].add(data["type"])
            edge["roles"].add(data["role"])
        else:
            out.add_edge(a, b, weight=1, types={data["type"]}, roles={data["role"]})
    return out


def comembership_graph(source: Transaction | GraphStore | Any, project: str | None = None,
                       as_of: datetime | str | None = None) -> networkx.Graph:
    """Assets (paths) joined by how many packages' latest versions (as of the time) hold both:
    edge attribute `weight`. Nodes carry uri, project, asset, kind, version (latest then)
    and packages (how many packages hold the asset)."""
    nx = _networkx()
    at = params.moment(as_of)
    rule = dict(project=params.project_rule(project), as_of=at)

    def work(tx: Transaction) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        return (tx.query("analytics/memberships", **rule),
                tx.query("analytics/latest", kind="", **rule))

    memberships, latest = _read(source, work)
    version = {r["path"]: r["version"] for r in latest}
    held: dict[str, set[str]] = {}
    graph = nx.Graph(as_of=at, project=project or None)
    # rows in a fixed order, nodes and edges added sorted: Louvain's seeded answer depends
    # on the order it meets nodes, and rows come in whatever order the engine likes
    for m in sorted(memberships, key=lambda m: (m["member"], m["package"])):
        held.setdefault(m["package"], set()).add(m["member"])
        graph.add_node(m["member"], uri=format_uri(m["project"], m["asset"]),
                       project=m["project"], asset=m["asset"], kind=m["kind"],
                       version=version.get(m["member"]))
    holders = Counter(member for members in held.values() for member in members)
    for member, count in holders.items():
        graph.nodes[member]["packages"] = count
    weights: Counter[tuple[str, str]] = Counter()
    for members in held.values():
        weights.update(combinations(sorted(members), 2))
    graph.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(weights.items()))
    return graph


class CommunityMember(BaseModel):
    """One asset of a community of assets that travel together."""

    community: int        # 1 = the largest community
    size: int             # assets in the community
    uri: str              # the asset's URI
    project: str
    asset: str
    kind: str
    version: int | None   # its latest version as of the time
    packages: int         # packages (latest versions) holding it


def communities(source: Transaction | GraphStore | Any, project: str | None = None,
                as_of: datetime | str | None = None, *, seed: int = 0,
                resolution: float = 1.0, top: int | None = 0,
                min_size: int = 2) -> list[CommunityMember]:
    """Communities of the co-membership graph by networkx's Louvain method (seeded, so the
    same graph and seed give the same answer), largest first; `top` communities (0: all) of
    at least `min_size` assets, one row per asset."""
    if not resolution > 0:
        raise InvalidInputError(f"resolution {resolution!r} is not valid: give a positive "
                                "number (1.0 is modularity; higher gives smaller communities)")
    keep = params.limit(top)
    min_size = params.count(min_size, "minimum community size")
    nx = _networkx()
    graph = comembership_graph(source, project, as_of)
    if graph.number_of_edges() == 0:
        return []
    found = nx.community.louvain_communities(graph, weight="weight", resolution=resolution,
                                             seed=seed)
    groups = sorted((sorted(c) for c in found if len(c) >= min_size),
                    key=lambda c: (-len(c), c[0]))[:keep]
    return [CommunityMember(community=index, size=len(group), **{
        k: graph.nodes[path][k] for k in ("uri", "project", "asset", "kind", "version")},
        packages=graph.nodes[path]["packages"]) for index, group in enumerate(groups, 1)
        for path in group]
