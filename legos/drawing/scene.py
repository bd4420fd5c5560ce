"""What every picture shows, decided once: sorted versions with their labels and colours,
package clusters, and whether edges carry their roles. The writers only translate it."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import ModuleType

from legos.errors import ConfigError, InvalidInputError

# Edge labels beyond this many edges turn a big picture into noise.
MAX_LABELLED_EDGES = 60

# Fill colours by kind (ColorBrewer-like pastels: dark text stays readable on all of them).
PALETTE = {
    "ShotPackage": "#fb8072", "CharacterPackage": "#fdb462", "AssetPackage": "#ffd92f",
    "LookDevPackage": "#bebada", "MaterialAsset": "#8dd3c7", "TextureAsset": "#b3de69",
    "ModelAsset": "#80b1d3", "LookBindingAsset": "#bc80bd", "LightRigAsset": "#ffffb3",
    "CameraAsset": "#ccebc5", "RenderSettingsAsset": "#d9d9d9", "HdrAsset": "#a6cee3",
    "RenderAsset": "#fccde5", "FileAsset": "#e5d8bd",
}
UNKNOWN_COLOUR = "#ffffff"
STALE_COLOUR = "#d62728"
CONTAINS = "contains"


@dataclass(frozen=True)
class Node:
    """One version."""

    uid: str
    uri: str               # legos:/proj/chr/skaarj/tex/albedo?version=3
    project: str
    asset: str             # asset path within the project, e.g. chr/skaarj/tex/albedo
    kind: str              # TextureAsset, MaterialAsset, LookDevPackage, ShotPackage, ...
    version: int
    status: str            # published, approved, review, wip, needs_changes, ...
    start: bool = False    # the version the question was asked about
    stale: bool = False    # a newer approved version of its asset exists


@dataclass(frozen=True)
class Edge:
    """Source uses target (was made from it, or contains it)."""

    source: str            # uid
    target: str            # uid
    relation: str          # "depends_on" or "contains"
    role: str | None       # the dependency role or the package slot


@dataclass(frozen=True)
class Item:
    """A node as drawn: its picture id, label lines and fill colour."""

    node: Node
    id: str
    name: str              # the short asset name
    lines: tuple[str, ...]
    colour: str


@dataclass
class Cluster:
    """A package and the versions drawn inside it (nested packages are clusters too)."""

    package: Item
    members: list[Item] = field(default_factory=list)
    children: list[Cluster] = field(default_factory=list)


@dataclass
class Scene:
    title: str | None
    items: list[Item]                      # sorted
    edges: list[tuple[Item, Item, Edge]]   # sorted
    clusters: list[Cluster]                # top-level clusters, sorted
    loose: list[Item]                      # items in no cluster
    label_edges: bool
    kinds: list[tuple[str, str]]           # (kind, colour) of the kinds shown, for a legend

    @property
    def has_stale(self) -> bool:
        return any(i.node.stale for i in self.items)


def _sort_key(node: Node) -> tuple[str, str, int, str]:
    return (node.project, node.asset, node.version, node.uid)


def short_names(nodes: Sequence[Node]) -> dict[tuple[str, str], str]:
    """Each asset path without its top folder (`chr/mira/tex/albedo` reads `mira/tex/albedo`)
    unless another asset in the picture would read the same; then the whole path. Shorter
    tails were tried: `mtl/hair` is unique but does not say whose hair it is."""
    split = {k: k[1].split("/") for k in {(n.project, n.asset) for n in nodes}}
    tails = Counter((size, tuple(p[-size:])) for p in split.values()
                    for size in range(1, len(p) + 1))
    assets = Counter(asset for _, asset in split)
    out = {}
    for (project, asset), parts in split.items():
        for size in range(max(1, len(parts) - 1), len(parts)):
            if tails[(size, tuple(parts[-size:]))] == 1:
                out[(project, asset)] = "/".join(parts[-size:])
                break
        else:  # the whole path; with its project when another project has the same one
            out[(project, asset)] = asset if assets[asset] == 1 else f"{project}/{asset}"
    return out


def _lines(node: Node, name: str) -> tuple[str, ...]:
    lines = [name, f"v{node.version} · {node.status}", node.kind]
    if node.start:
        lines.insert(0, "▶ start")
    if node.stale:
        lines.append("⚠ stale: newer approved")
    return tuple(lines)


def _item(node: Node, id: str, name: str) -> Item:
    return Item(node, id, name, _lines(node, name), PALETTE.get(node.kind, UNKNOWN_COLOUR))


def _validate(nodes: Sequence[Node], edges: Sequence[Edge]) -> dict[str, Node]:
    by_uid: dict[str, Node] = {}
    for node in nodes:
        if by_uid.get(node.uid, node) != node:
            raise InvalidInputError(f"version {node.uid} is given twice with different fields")
        by_uid[node.uid] = node
    for edge in edges:
        for end in (edge.source, edge.target):
            if end not in by_uid:
                raise InvalidInputError(f"edge {edge.source} -> {edge.target} "
                                        f"({edge.relation}) names {end}, which is not a node")
    return by_uid


def _parents(items: dict[str, Item], edges: list[tuple[Item, Item, Edge]]) -> dict[str, str]:
    """Member uid -> the one package whose cluster draws it: the smallest package holding it
    (the most specific), ties broken by sort order; the other holders keep their edges."""
    held: dict[str, set[str]] = defaultdict(set)
    for source, target, edge in edges:
        if edge.relation == CONTAINS and source is not target:
            held[target.node.uid].add(source.node.uid)
    size = Counter({p: 0 for ps in held.values() for p in ps})
    for packages in held.values():
        size.update(packages)
    parents: dict[str, str] = {}
    for member in sorted(held, key=lambda uid: _sort_key(items[uid].node)):
        choices = sorted(held[member], key=lambda p: (size[p], _sort_key(items[p].node)))
        for package in choices:
            if not _is_ancestor(member, package, parents):  # a cycle in input: draw it flat
                parents[member] = package
                break
    return parents


def _is_ancestor(candidate: str, uid: str, parents: dict[str, str]) -> bool:
    node: str | None = uid
    while node is not None:
        if node == candidate:
            return True
        node = parents.get(node)
    return False


def _clusters(ordered: list[Item], parents: dict[str, str],
              packages: set[str]) -> tuple[list[Cluster], list[Item]]:
    """Every package holding something is a cluster, even when its members are all drawn in
    another package's: its box still says it is a package, its edges say what it holds."""
    clusters = {i.node.uid: Cluster(i) for i in ordered if i.node.uid in packages}
    top: list[Cluster] = []
    loose: list[Item] = []
    for item in ordered:
        uid = item.node.uid
        parent = clusters.get(parents.get(uid, ""))
        if uid in clusters:
            (parent.children if parent else top).append(clusters[uid])
        elif parent:
            parent.members.append(item)
        else:
            loose.append(item)
    return top, loose


def build_scene(nodes: Sequence[Node], edges: Sequence[Edge], title: str | None) -> Scene:
    by_uid = _validate(nodes, edges)
    ordered_nodes = sorted(by_uid.values(), key=_sort_key)
    names = short_names(ordered_nodes)
    items = {n.uid: _item(n, f"n{i}", names[(n.project, n.asset)])
             for i, n in enumerate(ordered_nodes)}
    ordered = [items[n.uid] for n in ordered_nodes]
    unique_edges = sorted(set(edges), key=lambda e: (
        _sort_key(by_uid[e.source]), _sort_key(by_uid[e.target]), e.relation, e.role or ""))
    drawn = [(items[e.source], items[e.target], e) for e in unique_edges]
    holders = {s.node.uid for s, t, e in drawn if e.relation == CONTAINS and s is not t}
    top, loose = _clusters(ordered, _parents(items, drawn), holders)
    kinds = sorted({n.kind for n in ordered_nodes})
    return Scene(title, ordered, drawn, top, loose, len(drawn) <= MAX_LABELLED_EDGES,
                 [(k, PALETTE.get(k, UNKNOWN_COLOUR)) for k in kinds])


def need(module: str) -> ModuleType:
    """Import an optional drawing library, or say which pip extra brings it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ConfigError(f"drawing needs the Python package {module.split('.')[0]!r}, "
                          f"which is not installed: pip install 'legos[draw]'") from exc
