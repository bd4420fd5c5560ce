"""A package version (or one asset version) as a USD stage: every member's entry file
referenced at its exact version, one prim per member under one prim per package, with the
legos identity of each in assetInfo; lights, cameras and render settings composed, so the stage
is everything needed to render. What Blender's import and Houdini's LOP helper call.

    with legos.open() as lg:
        assembly = legos.usd.assemble(lg, "legos:/lk/prop/spot/lookdev?version=1")
        assembly.save("spot.usda")                       # absolute paths: opens anywhere
        legos.usd.assemble(lg, uri, select="latest")      # the latest of everything
        legos.usd.assemble_into(hou.pwd().editableStage(), lg, uri, pins="sh0040.json")

The stage layout (where prims land, how looks bind, shots' sublayers) is docs/usd-assembly.md.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from legos.errors import InvalidInputError
from legos.usd.compose import (
    RENDER_SCOPE,
    AssemblyMember,
    Composer,
    open_layer,
    set_stage_info,
    stage_metrics,
    time_range,
)
from legos.usd.errors import UsdFileError
from legos.usd.layers import is_layer_file
from legos.usd.package_tree import Choice, Node, Tree, load_tree
from legos.usd.retarget import Retarget, Wanted, retarget
from legos.usd.shot import SHOT_KIND, compose_shot, set_shot_time

if TYPE_CHECKING:
    from legos.api import Legos
    from legos.pins.manifest import Manifest
    from legos.selection import Selector
    from legos.store.base import Transaction

LAYER_DATA_KEY = "legos_assembly"   # customLayerData: {top prim: {uri, choice, members}}


@dataclass
class Assembly:
    """An assembled stage and what it composes. `save(path)` writes it as a layer whose asset
    paths are absolute (a shot's generated department layers are written beside it)."""

    stage: Any                                  # a pxr Usd.Stage
    uri: str                                    # the exact version assembled
    prim_path: str                              # its prim
    members: list[AssemblyMember]               # the top first, then every member, in tree order
    retargeted: list[Retarget] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    department_layers: dict[str, Any] = field(default_factory=dict)  # shots: department -> layer

    def member(self, asset: str) -> AssemblyMember:
        """The (first) member of an asset ("<project>/<asset name>")."""
        for member in self.members:
            if member.asset == asset:
                return member
        raise KeyError(asset)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the stage's root layer to `path` (.usda, .usd or .usdc), atomically; a shot's
        department layers go beside it as `<name>.<department>.usda`. Returns the path."""
        from pxr import Sdf

        target = Path(path).expanduser().absolute()
        if not is_layer_file(str(target)):
            raise UsdFileError(f"{str(target)!r} is no USD layer name: give a .usda, .usd or "
                               ".usdc file")
        if not target.parent.is_dir():
            raise UsdFileError(f"folder {str(target.parent)!r} does not exist: create it first")
        out = Sdf.Layer.CreateAnonymous(target.suffix)
        out.TransferContent(self.stage.GetRootLayer())
        if self.department_layers:
            renamed = {}
            for department, layer in self.department_layers.items():
                file = target.with_name(f"{target.stem}.{department}.usda")
                _export(layer, file)
                renamed[layer.identifier] = str(file)
            paths = [renamed.get(p, p) for p in out.subLayerPaths]
            offsets = list(out.subLayerOffsets)
            del out.subLayerPaths[:]
            for i, sub in enumerate(paths):
                out.subLayerPaths.append(sub)
                out.subLayerOffsets[i] = offsets[i]
        _export(out, target)
        return target

    def to_json(self) -> dict[str, Any]:
        return {"uri": self.uri, "prim": self.prim_path,
                "members": [m.to_json() for m in self.members],
                "retargeted": [r.to_json() for r in self.retargeted],
                "warnings": list(self.warnings)}


def _export(layer: Any, target: Path) -> None:
    temporary = target.with_name(f".{target.stem}.{os.getpid()}.tmp{target.suffix}")
    args = {"format": "usda"} if target.suffix.lower() == ".usd" else {}
    if not layer.Export(str(temporary), args=args):
        temporary.unlink(missing_ok=True)
        raise UsdFileError(f"USD could not write {str(target)!r}: check the folder")
    os.replace(temporary, target)


def assemble(lg: Legos, uri: str, *, pins: str | os.PathLike[str] | Manifest | None = None,
             select: str | Selector | None = None) -> Assembly:
    """The package (or asset) version `uri` as a new in-memory stage: see assemble_into."""
    from pxr import Usd

    stage = Usd.Stage.CreateInMemory()
    return assemble_into(stage, lg, uri, pins=pins, select=select)


def assemble_into(stage: Any, lg: Legos, uri: str, *,
                  pins: str | os.PathLike[str] | Manifest | None = None,
                  select: str | Selector | None = None, parent: str = "/") -> Assembly:
    """Assemble the version `uri` into `stage` (its edit target) under `parent`.

    `pins`: a pin manifest (path or Manifest) whose pinned versions replace the members' (it
    must pin this package). `select`: a selector (`latest`, `approved`, `tag:hero`, ...) that
    re-chooses every member, and every file a member layer names, by its asset. A shot package
    becomes one sublayer per department (legos.usd.shot). Everything is read and checked before
    the stage is touched: a bad URI, manifest or entry file raises and authors nothing."""
    from pxr import Sdf

    from legos.uri import parse_reference

    parsed = parse_reference(uri)
    choice = _choice(pins, select)
    if not Sdf.Path.IsValidPathString(parent) or not Sdf.Path(parent).IsAbsolutePath():
        raise InvalidInputError(f"parent {parent!r} is not an absolute prim path, e.g. /world")
    tree = load_tree(lg, parsed, choice)
    for node in tree.top.walk():  # every layer readable before anything is authored
        if node.is_layer:
            open_layer(str(node.entry_path), node.uri)

    composer = Composer(stage, tree)
    generated: dict[str, Any] = {}
    if tree.top.kind == SHOT_KIND:
        top_path, generated = compose_shot(composer, parent)
    else:
        top_path = composer.place(tree.top, parent, tree.top.version.asset)
    composer.finish()

    settings = composer.settings_paths()
    if settings:
        set_stage_info(stage, "renderSettingsPrimPath", settings[0])
    timed = tree.top.kind == SHOT_KIND and set_shot_time(stage, lg, tree.top, composer.warnings)
    if not timed and not stage.HasAuthoredMetadata("startTimeCode"):
        span = time_range(composer.time_layers)
        if span is not None:
            set_stage_info(stage, "startTimeCode", span[0])
            set_stage_info(stage, "endTimeCode", span[1])
            if span[2]:
                set_stage_info(stage, "timeCodesPerSecond", span[2])
    meters, axis = stage_metrics(composer.time_layers, composer.warnings)
    if meters is not None and not stage.HasAuthoredMetadata("metersPerUnit"):
        set_stage_info(stage, "metersPerUnit", meters)
    if axis is not None and not stage.HasAuthoredMetadata("upAxis"):
        set_stage_info(stage, "upAxis", axis)
    if parent == "/" and not stage.HasDefaultPrim() and not top_path.startswith(RENDER_SCOPE + "/"):
        set_stage_info(stage, "defaultPrim", top_path.lstrip("/"))

    roots = [top_path] + ([RENDER_SCOPE] if stage.GetPrimAtPath(RENDER_SCOPE) else [])
    roots += [m.prim_path for m in composer.members if m.how == "sublayer" and m.prim_path]
    moved = retarget(stage, lg, roots, _wanted(tree, choice), composer.warnings)
    _record_layer_data(stage, top_path, tree.top, choice, composer.members)
    return Assembly(stage=stage, uri=tree.top.uri, prim_path=top_path,
                    members=composer.members, retargeted=moved, warnings=composer.warnings,
                    department_layers=generated)


def _choice(pins: str | os.PathLike[str] | Manifest | None,
            select: str | Selector | None) -> Choice:
    from legos.pins.manifest import Manifest, read
    from legos.selection import as_selector

    if pins is not None and select is not None:
        raise InvalidInputError("give pins or select, not both: pins already name every version")
    manifest = pins if isinstance(pins, Manifest) else read(pins) if pins is not None else None
    selector = as_selector(select) if select is not None else None
    if selector is not None and selector.exact:
        selector = None  # exact: the versions the package records
    return Choice(manifest, selector)


def _wanted(tree: Tree, choice: Choice) -> Wanted:
    """Which version of an asset the stage should show, for files member layers name: the
    pinned one, the selected one, else the package's own member of that asset (when the
    package holds exactly one version of it)."""
    manifest, selector = choice.manifest, choice.selector
    if manifest is not None:
        def pinned(tx: Transaction, assets: list[str]) -> dict[str, str]:
            return {a: pin.uid for a in assets if (pin := manifest.lookup(a)) is not None}
        return pinned
    if selector is not None:
        from legos.selection import select_many

        def selected(tx: Transaction, assets: list[str]) -> dict[str, str]:
            return select_many(tx, assets, selector) if assets else {}
        return selected
    held: dict[str, set[str]] = {}
    for node in tree.top.walk():
        held.setdefault(node.asset, set()).add(node.version.uid)
    members = {asset: next(iter(uids)) for asset, uids in held.items() if len(uids) == 1}

    def recorded(tx: Transaction, assets: list[str]) -> dict[str, str]:
        return {a: members[a] for a in assets if a in members}
    return recorded


def _record_layer_data(stage: Any, top_path: str, top: Node, choice: Choice,
                       members: list[AssemblyMember]) -> None:
    """What was assembled, in the edit target layer's customLayerData (readable without legos)."""
    layer = stage.GetEditTarget().GetLayer()
    data = dict(layer.customLayerData)
    assemblies = dict(data.get(LAYER_DATA_KEY, {}))
    assemblies[top_path] = {"uri": top.uri, "choice": choice.describe(),
                            "members": {m.prim_path: m.uri for m in members if m.prim_path}}
    data[LAYER_DATA_KEY] = assemblies
    layer.customLayerData = data
