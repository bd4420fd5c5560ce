"""Which exact versions an assembly composes: a package version's members level by level
(nested packages nest), each taken as recorded, from a pin manifest, or re-chosen by a selector.
The store side of legos.usd.assemble; no usd-core here.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from legos import catalog
from legos.errors import UnknownKindError, VersionNotFoundError
from legos.model import Version
from legos.model.representation import THUMBNAIL
from legos.pins.files import RepresentationNotFoundError, check_exists, pick_file, tile_path
from legos.pins.resolver import NotPinnedError
from legos.selection import Selector, select_many
from legos.uri import AssetURI, format_uri
from legos.usd.errors import NoEntryFileError

if TYPE_CHECKING:
    from legos.api import Legos
    from legos.pins.manifest import Manifest
    from legos.store.base import Transaction

# what an assembly references as a layer (a .usdz package's root layer too)
COMPOSED_EXTENSIONS = (".usd", ".usda", ".usdc", ".usdz")
LOOK_KIND = "LookBindingAsset"
MODEL_KIND = "ModelAsset"


def is_package_kind(kind: str) -> bool:
    from legos.kinds import registry

    try:
        return bool(registry.get(kind).is_package)
    except UnknownKindError:  # a plugin's kind that is not installed here: a plain asset
        return False


@dataclass(eq=False)
class Node:
    """One version of the assembly: the top, a member, or a member of a nested package."""

    version: Version
    slot: str                       # the slot its package holds it in ("" for the top)
    recorded: str                   # the member version its package records (exact URI)
    parent: Node | None = field(default=None, repr=False)
    children: list[Node] = field(default_factory=list)
    entry_path: str | None = None   # the entry file (absolute), for a version that is no package
    rep: str | None = None          # the URI's rep= for the top version

    @property
    def asset(self) -> str:
        return f"{self.version.project}/{self.version.asset}"

    @property
    def uri(self) -> str:
        return self.version.uri

    @property
    def kind(self) -> str:
        return self.version.kind

    @property
    def is_package(self) -> bool:
        return is_package_kind(self.version.kind)

    @property
    def is_layer(self) -> bool:
        return self.entry_path is not None and \
            os.path.splitext(self.entry_path)[1].lower() in COMPOSED_EXTENSIONS

    def walk(self) -> Iterable[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Choice:
    """How member versions are chosen: as recorded, by a pin manifest, or by a selector."""

    manifest: Manifest | None = None
    selector: Selector | None = None

    def describe(self) -> str:
        if self.manifest is not None:
            return f"pins {self.manifest.path or self.manifest.name}"
        return f"select {self.selector}" if self.selector is not None else "exact"


@dataclass
class Tree:
    top: Node
    warnings: list[str]
    look_models: dict[str, list[str]]   # a look version's uid -> asset paths of models it was made from


def load_tree(lg: Legos, uri: AssetURI, choice: Choice) -> Tree:
    """The assembly's versions, read in one transaction; then every entry file is checked."""
    root = lg.root

    def work(tx: Transaction) -> Tree:
        warnings: list[str] = []
        top_uid = _top_uid(tx, uri, choice)
        top_version = catalog.versions_by_uid(tx, [top_uid], root)[top_uid]
        top = Node(top_version, "", top_version.uri, rep=uri.rep)
        picks: dict[str, str | None] = {}
        frontier = [top] if top.is_package else []
        while frontier:
            uids = sorted({n.version.uid for n in frontier})
            rows = tx.query("usd/members", uids=uids)
            chosen = _choose(tx, rows, choice, picks, warnings)
            versions = catalog.versions_by_uid(tx, sorted(set(chosen.values())), root) \
                if chosen else {}
            by_package: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for row in rows:
                by_package[row["package"]].append(row)
            following = []
            for node in frontier:
                for row in by_package[node.version.uid]:
                    version = versions[chosen[row["uid"]]]
                    recorded = format_uri(row["project"], row["asset"], row["number"])
                    child = Node(version, row["slot"] or row["asset"].rsplit("/", 1)[-1],
                                 recorded, parent=node)
                    node.children.append(child)
                    if child.is_package:
                        if _in_ancestry(child):
                            warnings.append(f"{child.uri} holds (through its members) a version "
                                            f"of {child.asset} itself: not assembled again")
                        else:
                            following.append(child)
            frontier = following
        looks = [n.version.uid for n in top.walk() if n.kind == LOOK_KIND]
        look_models: dict[str, list[str]] = defaultdict(list)
        if looks:
            for row in tx.query("usd/inputs", uids=looks):
                if row["kind"] == MODEL_KIND:
                    look_models[row["uid"]].append(f"{row['project']}/{row['asset']}")
        return Tree(top, warnings, dict(look_models))

    tree = lg.store.read(work)
    for node in tree.top.walk():
        if not node.is_package:
            node.entry_path = entry_path(node.version, root, node.rep)
    return tree


def _in_ancestry(node: Node) -> bool:
    above = node.parent
    while above is not None:
        if above.asset == node.asset:
            return True
        above = above.parent
    return False


def _top_uid(tx: Transaction, uri: AssetURI, choice: Choice) -> str:
    manifest = choice.manifest
    if manifest is None:
        return catalog.select_uid(tx, uri)
    pin = manifest.lookup(uri.path)
    name = manifest.path or manifest.name
    if pin is None:
        raise NotPinnedError(
            f"manifest {str(name)!r} does not pin {uri.asset_uri()} (it was pinned from "
            f"{manifest.source or 'another package'}): pin this package with `legos pin "
            f"{uri} -o FILE`, or assemble without --pins")
    if uri.version is not None and uri.version != pin.version:
        raise NotPinnedError(
            f"{uri} asks for v{uri.version} but manifest {str(name)!r} pins v{pin.version}: "
            "drop version= to take the pinned one")
    if not tx.query("versions/get", uids=[pin.uid]):
        raise VersionNotFoundError(
            f"manifest {str(name)!r} pins {pin.uri}, which this store does not hold: use "
            "the store the manifest was pinned from")
    return pin.uid


def _choose(tx: Transaction, rows: list[dict[str, Any]], choice: Choice,
            picks: dict[str, str | None], warnings: list[str]) -> dict[str, str]:
    """Recorded member uid -> the uid to compose instead (itself when nothing re-chooses)."""
    chosen = {row["uid"]: row["uid"] for row in rows}
    path_of = {row["uid"]: f"{row['project']}/{row['asset']}" for row in rows}
    if choice.manifest is not None:
        for uid, path in path_of.items():
            pin = choice.manifest.lookup(path)
            if pin is None:
                name = choice.manifest.path or choice.manifest.name
                raise NotPinnedError(
                    f"manifest {str(name)!r} does not pin legos:/{path}, a member of what it "
                    f"pins: pin the package again with `legos pin`")
            chosen[uid] = pin.uid
        missing = sorted(set(chosen.values()) - {r["uid"] for r in tx.query(
            "versions/get", uids=sorted(set(chosen.values())))})
        if missing:
            raise VersionNotFoundError(
                f"the manifest pins {len(missing)} version(s) this store does not hold: use the "
                "store the manifest was pinned from")
        return chosen
    if choice.selector is None:
        return chosen
    wanted = sorted({p for p in path_of.values() if p not in picks})
    if wanted:
        found = select_many(tx, wanted, choice.selector)
        for path in wanted:
            picks[path] = found.get(path)
            if picks[path] is None:
                warnings.append(f"no version of legos:/{path} matches {str(choice.selector)!r}: "
                                "the package's own version is assembled")
    for uid, path in path_of.items():
        chosen[uid] = picks.get(path) or uid
    return chosen


def entry_path(version: Version, root: Path, rep: str | None = None) -> str:
    """The absolute path of a version's entry file (or of its `rep`), which must exist."""
    files = {r.name: r.path for r in version.representations if r.role != THUMBNAIL}
    if not files:
        raise NoEntryFileError(
            f"{version.uri} has no files, so there is no entry file to compose: publish a "
            "version with its files, or assemble the package that holds it")
    try:
        name = pick_file(files, rep, version.asset, version.uri, version.entry)
    except RepresentationNotFoundError as exc:
        raise NoEntryFileError(
            f"{version.uri} has no entry file: {exc} (or publish it again with --entry)"
        ) from None
    path = tile_path(files, name)
    check_exists(path, version.uri, str(root))
    return os.path.normpath(path)
