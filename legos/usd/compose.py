"""Authoring an assembly into a USD stage: one prim per package and per member, each member's
entry layer referenced at its exact version, looks on the models they look at, render settings
under /Render aimed at the package's camera. The layout is described in docs/usd-assembly.md.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from legos.usd.errors import UsdFileError
from legos.usd.layers import _first_error
from legos.usd.package_tree import LOOK_KIND, MODEL_KIND, Node, Tree

RENDER_SETTINGS_KIND = "RenderSettingsAsset"
CAMERA_KIND = "CameraAsset"
RENDER_SCOPE = "/Render"


@dataclass(frozen=True)
class AssemblyMember:
    """One version an assembly composes, and where."""

    prim_path: str            # its prim ("" for a department layer without a default prim)
    uri: str                  # the exact version composed: legos:/<project>/<asset>?version=N
    asset: str                # "<project>/<asset name>"
    kind: str
    slot: str                 # the slot its package holds it in ("" for what was assembled)
    entry_path: str | None    # its entry file (absolute); None for a package
    version: int = 0
    package: str = ""         # the exact URI of the package version holding it
    recorded: str = ""        # the version the package records (differs when re-chosen)
    how: str = ""             # package, reference, look, file or sublayer

    def to_json(self) -> dict[str, Any]:
        return {"prim": self.prim_path, "uri": self.uri, "asset": self.asset, "kind": self.kind,
                "slot": self.slot, "entry": self.entry_path, "version": self.version,
                "package": self.package, "recorded": self.recorded, "how": self.how}


def prim_name(text: str) -> str:
    from pxr import Tf

    return Tf.MakeValidIdentifier(text.rsplit("/", 1)[-1] or "asset")


def open_layer(path: str, uri: str) -> Any:
    from pxr import Sdf, Tf

    try:
        layer = Sdf.Layer.FindOrOpen(path)
    except Tf.ErrorException as exc:
        raise UsdFileError(f"USD cannot read {path!r}, the entry of {uri}: "
                           f"{_first_error(exc)}") from None
    if layer is None:
        raise UsdFileError(f"USD cannot read {path!r}, the entry of {uri}: check the file")
    return layer


def reference_targets(layer: Any) -> list[str | None]:
    """What to reference from a layer: its default prim (None), else each root prim by path."""
    if layer.defaultPrim and layer.GetPrimAtPath("/" + layer.defaultPrim):
        return [None]
    return [str(prim.path) for prim in layer.rootPrims]


class Composer:
    """Authors one assembly tree (or parts of it, for shots) into a stage's edit target."""

    def __init__(self, stage: Any, tree: Tree) -> None:
        self.stage = stage
        self.tree = tree
        self.members: list[AssemblyMember] = []
        self.warnings: list[str] = tree.warnings
        self.prim_of: dict[int, str] = {}          # id(node) -> its prim path
        self.render_settings: list[tuple[Node, str]] = []
        self.time_layers: list[tuple[Node, Any]] = []   # layers that may carry a time range
        self._looks: list[tuple[Node, str]] = []

    # -- naming and identity ------------------------------------------------------------------
    def _child_path(self, parent: str, name: str) -> str:
        from pxr import Sdf

        base = Sdf.Path(parent).AppendChild(prim_name(name))
        path, n = base, 1
        while self.stage.GetPrimAtPath(path):
            n += 1
            path = base.GetParentPath().AppendChild(f"{base.name}_{n}")
        return str(path)

    def _stamp(self, prim: Any, node: Node) -> None:
        version = node.version
        prim.SetAssetInfoByKey("name", version.asset)
        prim.SetAssetInfoByKey("version", str(version.number))
        prim.SetAssetInfoByKey("legos", {
            "uri": version.uri, "asset": node.asset, "version": version.number,
            "kind": version.kind, "slot": node.slot, "uid": version.uid})

    def _record(self, node: Node, path: str, how: str) -> None:
        if path:
            self.prim_of[id(node)] = path
        self.members.append(AssemblyMember(
            prim_path=path, uri=node.uri, asset=node.asset, kind=node.kind, slot=node.slot,
            entry_path=node.entry_path, version=node.version.number,
            package=node.parent.uri if node.parent is not None else "",
            recorded=node.recorded, how=how))

    # -- placing ------------------------------------------------------------------------------
    def place(self, node: Node, parent: str, name: str | None = None) -> str:
        """Author `node` (and what it holds) under `parent`; returns its prim path."""
        if node.kind == RENDER_SETTINGS_KIND and node.is_layer:
            self._render_scope()
            parent = RENDER_SCOPE
        path = self._child_path(parent, name or node.slot or node.version.asset)
        if node.is_package:
            self._package(node, path)
        elif node.kind == LOOK_KIND and node.is_layer:
            self._look_record(node, path)
        elif node.is_layer:
            self._reference(node, path)
        else:
            self._file(node, path)
        return path

    def finish(self) -> None:
        """What needs every prim in place: looks on their models, then render settings cameras."""
        for node, path in self._looks:
            self._apply_look(node, path)
        self._looks = []
        for node, path in self.render_settings:
            self._aim_camera(node, path)

    def package_prim(self, node: Node, parent: str, name: str) -> str:
        """A package's own prim (an assembly model), without its members."""
        path = self._child_path(parent, name)
        self._package_prim(node, path)
        return path

    def _package_prim(self, node: Node, path: str) -> None:
        from pxr import Kind, Usd

        prim = self.stage.DefinePrim(path, "Xform")
        Usd.ModelAPI(prim).SetKind(Kind.Tokens.assembly)
        self._stamp(prim, node)
        self._record(node, path, "package")

    def _package(self, node: Node, path: str) -> None:
        self._package_prim(node, path)
        for child in node.children:
            self.place(child, path)

    def sublayered(self, node: Node, layer: Any) -> None:
        """Record a member whose layer was sublayered as published (a shot's department)."""
        targets = reference_targets(layer)
        path = ("/" + layer.defaultPrim if targets == [None] else targets[0] or "") \
            if targets else ""
        self._record(node, path, "sublayer")
        if node.kind == RENDER_SETTINGS_KIND and path:
            self.render_settings.append((node, path))
        self.time_layers.append((node, layer))

    def _reference(self, node: Node, path: str) -> None:
        assert node.entry_path is not None
        layer = open_layer(node.entry_path, node.uri)
        prim = self.stage.DefinePrim(path)   # typeless: the referenced prim gives the type
        self._add_references(prim, node, layer)
        self._stamp(prim, node)
        self._record(node, path, "reference")
        if node.kind == RENDER_SETTINGS_KIND:
            self.render_settings.append((node, path))
        self.time_layers.append((node, layer))

    def _add_references(self, prim: Any, node: Node, layer: Any, front: bool = False) -> None:
        from pxr import Sdf, Usd

        assert node.entry_path is not None
        targets = reference_targets(layer)
        if not targets:
            self.warnings.append(f"{node.uri}: its entry layer {node.entry_path} holds no prims")
            return
        position = Usd.ListPositionFrontOfPrependList if front else \
            Usd.ListPositionBackOfPrependList
        if targets == [None] or len(targets) == 1:
            target = targets[0]
            prim.GetReferences().AddReference(
                Sdf.Reference(node.entry_path, Sdf.Path(target) if target else Sdf.Path()),
                position)
            return
        for target in targets:  # several root prims and no default: one child per root prim
            assert target is not None
            child = self.stage.DefinePrim(prim.GetPath().AppendChild(target.lstrip("/")))
            child.GetReferences().AddReference(Sdf.Reference(node.entry_path, target), position)

    def _file(self, node: Node, path: str) -> None:
        """A member whose entry is no layer (a texture, an HDR, an image): recorded, not composed."""
        from pxr import Sdf

        prim = self.stage.DefinePrim(path, "Scope")
        if node.entry_path is not None:
            attr = prim.CreateAttribute("legos:file", Sdf.ValueTypeNames.Asset, custom=True)
            attr.Set(Sdf.AssetPath(node.entry_path))
        self._stamp(prim, node)
        self._record(node, path, "file")

    def _render_scope(self) -> None:
        if not self.stage.GetPrimAtPath(RENDER_SCOPE):
            self.stage.DefinePrim(RENDER_SCOPE, "Scope")

    # -- looks --------------------------------------------------------------------------------
    def _look_record(self, node: Node, path: str) -> None:
        prim = self.stage.DefinePrim(path, "Scope")
        self._stamp(prim, node)
        self._record(node, path, "look")
        self._looks.append((node, path))

    def _model_for(self, look: Node, layer: Any) -> Node | None:
        """The model a look looks at: one it was made from, else the model its layer names
        (customLayerData legos_model), else the only model of its package; nearest first."""
        wanted = list(self.tree.look_models.get(look.version.uid, []))
        named = layer.customLayerData.get("legos_model")
        if isinstance(named, str) and named.startswith("legos:/"):
            wanted.append(named[len("legos:/"):].split("?", 1)[0])
        placed = [n for n in _below(self.tree.top) if n.kind == MODEL_KIND and n.is_layer
                  and id(n) in self.prim_of]
        scope = look.parent
        while scope is not None and wanted:
            below = {id(n) for n in _below(scope)}
            for asset in wanted:
                match = [n for n in placed if n.asset == asset and id(n) in below]
                if match:
                    return match[0]
            scope = scope.parent
        siblings = [n for n in placed if n.parent is look.parent]
        if len(siblings) == 1:
            return siblings[0]
        return placed[0] if len(placed) == 1 else None

    def _no_model_reason(self) -> str:
        """Why a look found no model: a model that is not a USD layer (an OBJ, say) has no
        prims to bind on, and the fix is to publish it as USD."""
        for node in _below(self.tree.top):
            if node.kind == MODEL_KIND and not node.is_layer:
                name = os.path.basename(node.entry_path) if node.entry_path else "no entry file"
                return (f"its model {node.uri} is not a USD layer ({name}): publish the model "
                        "as USD (e.g. `legos ingest model`)")
        return "no model of the package to bind its looks on"

    def _apply_look(self, node: Node, path: str) -> None:
        assert node.entry_path is not None
        layer = open_layer(node.entry_path, node.uri)
        model = self._model_for(node, layer)
        if model is None:
            self.warnings.append(f"{node.uri}: {self._no_model_reason()}; its layer is "
                                 f"referenced on {path} alone")
            self._add_references(self.stage.GetPrimAtPath(path), node, layer)
            return
        target = self.prim_of[id(model)]
        # stronger than the model: the look's overs (bindings, Looks scope) land on the model
        # prim, and the binding targets inside the look layer remap to it
        self._add_references(self.stage.GetPrimAtPath(target), node, layer, front=True)
        look_prim = self.stage.GetPrimAtPath(path)
        look_prim.CreateRelationship("legos:appliedTo", custom=True).SetTargets([target])

    # -- render settings ----------------------------------------------------------------------
    def _camera_for(self, node: Node) -> str | None:
        """The camera of the nearest package holding a camera member; its first Camera prim."""
        from pxr import Usd, UsdGeom

        scope = node.parent
        while scope is not None:
            for cam in (n for n in _below(scope) if n.kind == CAMERA_KIND):
                if id(cam) not in self.prim_of:
                    continue
                prim = self.stage.GetPrimAtPath(self.prim_of[id(cam)])
                for inner in Usd.PrimRange(prim):
                    if inner.IsA(UsdGeom.Camera):
                        return str(inner.GetPath())
            scope = scope.parent
        return None

    def _aim_camera(self, node: Node, path: str) -> None:
        from pxr import Usd, UsdRender

        camera = self._camera_for(node)
        settings = [p for p in Usd.PrimRange(self.stage.GetPrimAtPath(path))
                    if p.IsA(UsdRender.Settings)]
        if not settings:
            self.warnings.append(f"{node.uri}: its layer holds no RenderSettings prim")
        for prim in settings:
            if camera is None:
                self.warnings.append(f"{node.uri}: no camera member in its package for "
                                     f"{prim.GetPath()}'s camera")
                continue
            UsdRender.Settings(prim).GetCameraRel().SetTargets([camera])
            for product in Usd.PrimRange(prim):
                if product.IsA(UsdRender.Product):
                    rel = UsdRender.Product(product).GetCameraRel()
                    if rel.HasAuthoredTargets():
                        rel.SetTargets([camera])

    def settings_paths(self) -> list[str]:
        from pxr import Usd, UsdRender

        found = []
        for _, path in self.render_settings:
            found += [str(p.GetPath()) for p in Usd.PrimRange(self.stage.GetPrimAtPath(path))
                      if p.IsA(UsdRender.Settings)]
        return found


def _below(node: Node) -> Iterable[Node]:
    """A package's members, breadth first (its own members before its packages' members)."""
    queue = list(node.children)
    while queue:
        current = queue.pop(0)
        yield current
        queue.extend(current.children)


def time_range(layers: Iterable[tuple[Node, Any]]) -> tuple[float, float, float | None] | None:
    """(start, end, time codes per second) from the members' layers: the cameras' if any
    carries a range, else every layer's; None when none does."""
    pairs = list(layers)
    cameras = [(n, lay) for n, lay in pairs if n.kind == CAMERA_KIND and lay.HasStartTimeCode()]
    chosen = cameras or [(n, lay) for n, lay in pairs if lay.HasStartTimeCode()]
    if not chosen:
        return None
    start = min(lay.startTimeCode for _, lay in chosen)
    end = max(lay.endTimeCode if lay.HasEndTimeCode() else lay.startTimeCode
              for _, lay in chosen)
    rates = [lay.timeCodesPerSecond for _, lay in chosen if lay.HasTimeCodesPerSecond()]
    return start, end, rates[0] if rates else None


def set_stage_info(stage: Any, key: str, value: Any) -> None:
    """Stage metadata (time codes, renderSettingsPrimPath, defaultPrim) where USD allows it:
    the root layer when it is the edit target; else on the edit target's own layer (a Houdini
    LOP edits its active layer, and USD refuses stage metadata there)."""
    layer = stage.GetEditTarget().GetLayer()
    if layer in (stage.GetRootLayer(), stage.GetSessionLayer()):
        stage.SetMetadata(key, value)
    else:
        layer.pseudoRoot.SetInfo(key, value)


def stage_metrics(layers: Iterable[tuple[Node, Any]],
                  warnings: list[str]) -> tuple[float | None, str | None]:
    """(metersPerUnit, upAxis) for the assembled stage, from the members' layers: a reference
    never rescales, so the stage must say what units its geometry is in, or an importer assumes
    USD's default (centimetres) and a metre-scale model comes in 100 times too small. Models
    decide first; a disagreement is warned about, never silently averaged."""
    pairs = sorted(layers, key=lambda pair: pair[0].kind != MODEL_KIND)
    picked: dict[str, tuple[Any, str]] = {}
    for node, layer in pairs:
        for key in ("metersPerUnit", "upAxis"):
            if not layer.pseudoRoot.HasInfo(key):
                continue
            value = layer.pseudoRoot.GetInfo(key)
            if key not in picked:
                picked[key] = (value, node.uri)
            elif picked[key][0] != value:
                warnings.append(f"{node.uri} says {key} = {value}, {picked[key][1]} says "
                                f"{picked[key][0]}: the stage takes {picked[key][0]}")
    meters, axis = picked.get("metersPerUnit"), picked.get("upAxis")
    return (float(meters[0]) if meters else None, str(axis[0]) if axis else None)

