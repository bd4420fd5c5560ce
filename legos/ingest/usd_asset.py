"""What a USD asset is made of, for ingest: every layer it composes, every texture it uses
(also those named only inside MaterialX documents) with the material input each feeds, and
what is wrong with it, item by item. Pure: reads files, writes nothing, knows no store.

    found = analyse("vendor/Rook", asset="chr/rook")
    found.entry, sorted(found.files), {t.name: t.role for t in found.textures.values()}
    found.problems    # missing files, unreadable layers, paths leaving the folder

The layers are read one by one with Sdf (not UsdUtils.ComputeAllDependencies, which drops
UDIM tiles above 1100, returns nothing for a missing root and raises for the whole asset on
one corrupt layer); `.mtlx` files are read with the `materialx` package (usd-core has no
usdMtlx plugin).
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from legos.errors import IngestError

LAYER_EXTENSIONS = (".usd", ".usda", ".usdc")
MATERIALX_EXTENSIONS = (".mtlx",)
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".exr", ".tif", ".tiff", ".tx", ".hdr", ".tga",
                    ".bmp", ".gif", ".psd", ".dpx", ".cin", ".ktx", ".ktx2", ".webp", ".rat",
                    ".tex", ".sxr", ".pic", ".ppm", ".jp2", ".heic", ".avif")
UDIM = "<UDIM>"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # two letters at least: not a drive letter
_TILE = re.compile(r"\d{4}")

# What an item can be refused for
MISSING = "missing"        # a file it names does not exist
UNREADABLE = "unreadable"  # a layer USD cannot open, a MaterialX document that does not parse
OUTSIDE = "outside"        # a path that leaves the asset's folder (or a URI: not a file in it)

# Material inputs under the names studios search by (USD preview surface, MaterialX standard
# surface and OpenPBR spell them differently)
_ROLES = {
    "diffusecolor": "base_color", "basecolor": "base_color", "base_color": "base_color",
    "diffuse_color": "base_color", "albedo": "base_color", "diffuse": "base_color",
    "normal": "normal", "geometry_normal": "normal",
    "roughness": "roughness", "specular_roughness": "roughness",
    "metallic": "metallic", "metalness": "metallic", "base_metalness": "metallic",
    "occlusion": "occlusion", "ambient_occlusion": "occlusion",
    "opacity": "opacity", "alpha": "opacity", "geometry_opacity": "opacity",
    "displacement": "displacement", "height": "displacement",
    "emissivecolor": "emission", "emission_color": "emission", "emission": "emission",
    "specularcolor": "specular", "specular_color": "specular", "specular": "specular",
    "clearcoat": "clearcoat", "coat": "clearcoat",
    "clearcoatroughness": "clearcoat_roughness", "coat_roughness": "clearcoat_roughness",
}
_ROLE_ORDER = ("occlusion", "roughness", "metallic")  # a packed ORM map reads in this order


class UsdAssetError(IngestError):
    """A USD asset that cannot be analysed at all (no root layer, an entry that is not one)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the asset: the file or path concerned, where it is named, why."""

    path: str            # the file concerned (absolute), or the path as authored
    where: str | None    # the file naming it, relative to the asset's folder
    kind: str            # MISSING, UNREADABLE or OUTSIDE
    reason: str          # one line

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "where": self.where, "kind": self.kind, "error": self.reason}


@dataclass
class Texture:
    """A texture the asset uses: one file, or every tile of a UDIM set."""

    name: str                 # relative to the asset's folder, '/'-separated; <UDIM> for a set
    files: list[str]          # absolute source paths: the file, or the tiles in tile order
    roles: list[str] = field(default_factory=list)  # the material inputs it feeds
    colorspace: str | None = None  # as authored (USD sourceColorSpace, MaterialX colorspace)

    @property
    def role(self) -> str:
        """One dependency role: the input it feeds, or the inputs joined for a packed map."""
        if not self.roles:
            return "texture"
        ordered = sorted(set(self.roles), key=lambda r: (
            _ROLE_ORDER.index(r) if r in _ROLE_ORDER else len(_ROLE_ORDER), r))
        if ordered == list(_ROLE_ORDER):
            return "orm"
        return "_".join(ordered)[:64].rstrip("_")

    @property
    def is_udim(self) -> bool:
        return UDIM in self.name

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "files": self.files, "role": self.role, "roles": self.roles,
                "colorspace": self.colorspace}


@dataclass
class UsdAsset:
    """The analysis of a USD asset: what to publish, with which textures, and what is wrong."""

    folder: Path                   # the asset's folder: every file must lie inside it
    entry: str                     # the root layer, relative to the folder
    files: dict[str, str] = field(default_factory=dict)   # name -> source: layers, .mtlx, ...
    layers: list[str] = field(default_factory=list)       # names of the USD layers
    documents: list[str] = field(default_factory=list)    # names of the MaterialX documents
    textures: dict[str, Texture] = field(default_factory=dict)  # by name
    uses: dict[str, dict[str, str]] = field(default_factory=dict)  # file -> {authored: texture}
    problems: list[Problem] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)       # files of the folder nothing uses

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {"folder": str(self.folder), "entry": self.entry, "files": sorted(self.files),
                "layers": self.layers, "documents": self.documents,
                "textures": [t.to_json() for t in self.textures.values()],
                "problems": [p.to_json() for p in self.problems], "unused": self.unused}


def _suffix(path: str) -> str:
    return os.path.splitext(path)[1].lower()


def is_layer(path: str) -> bool:
    return _suffix(path) in LAYER_EXTENSIONS


def is_image(path: str) -> bool:
    return _suffix(path) in IMAGE_EXTENSIONS


def _under(path: str, folder: str) -> str | None:
    """`path` relative to `folder` ('/'-separated), or None when it lies outside."""
    try:
        rel = os.path.relpath(path, folder)
    except ValueError:  # another drive on Windows
        return None
    if rel == os.curdir or rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return None
    return Path(rel).as_posix()


def _first_error(exc: Exception) -> str:
    from legos.usd.layers import _first_error as usd_first_error

    return usd_first_error(exc)


def role_of(input_name: str) -> str:
    """The canonical role of a material input name (`inputs:diffuseColor` -> base_color)."""
    bare = input_name.rsplit(":", 1)[-1]
    key = bare.lower()
    if key in _ROLES:
        return _ROLES[key]
    snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", bare).lower()
    snake = re.sub(r"[^a-z0-9_]+", "_", snake).strip("_")
    if not snake or not snake[0].isalpha():
        snake = "texture_" + snake if snake else "texture"
    return _ROLES.get(snake, snake)[:64]


@dataclass
class _Authored:
    """One asset path as authored in a layer, and what it is for."""

    text: str
    arc: str                        # "sublayer", "reference", "payload", "attribute", "other"
    roles: set[str] = field(default_factory=set)
    colorspace: str | None = None


class _LayerReading:
    """The asset paths of one layer, with the material input each texture path feeds."""

    def __init__(self, layer: Any) -> None:
        from pxr import Sdf, UsdUtils

        self.paths: dict[str, _Authored] = {}
        self.identifiers: set[str] = set()   # assetInfo identifiers: names, not dependencies
        for text in layer.subLayerPaths:
            self._add(text, "sublayer")
        consumers: dict[Any, list[tuple[Any, str]]] = defaultdict(list)  # prim -> (prim, input)
        shader_ids: dict[Any, str] = {}
        textures: list[tuple[Any, str, str, Any]] = []  # (prim, attribute, path, colour space)
        colorspaces: dict[Any, str] = {}
        asset_types = (Sdf.ValueTypeNames.Asset, Sdf.ValueTypeNames.AssetArray)
        specs: list[Any] = []
        layer.Traverse(Sdf.Path.absoluteRootPath, specs.append)
        for path in specs:
            spec = layer.GetObjectAtPath(path)
            if isinstance(spec, Sdf.VariantSpec):
                spec = spec.primSpec
            if isinstance(spec, Sdf.PrimSpec):
                for ref in _list_items(spec.referenceList):
                    if ref.assetPath:
                        self._add(ref.assetPath, "reference")
                for payload in _list_items(spec.payloadList):
                    if payload.assetPath:
                        self._add(payload.assetPath, "payload")
                info = spec.assetInfo.get("identifier") if spec.assetInfo else None
                identifier = getattr(info, "path", None)
                if identifier:
                    self.identifiers.add(identifier)
            elif isinstance(spec, Sdf.AttributeSpec):
                prim = spec.path.GetPrimPath().StripAllVariantSelections()
                name = spec.name
                for target in _list_items(spec.connectionPathList):
                    source = target.GetPrimPath().StripAllVariantSelections()
                    consumers[source].append((prim, name))
                if name == "info:id" and isinstance(spec.default, str):
                    shader_ids[prim] = spec.default
                if name == "inputs:sourceColorSpace" and isinstance(spec.default, str):
                    colorspaces[prim] = spec.default
                if spec.typeName in asset_types:
                    for text in _asset_values(layer, spec):
                        textures.append((prim, name, text, None))
        for prim, name, text, _ in textures:
            roles = self._roles(prim, name, consumers, shader_ids)
            entry = self._add(text, "attribute")
            entry.roles |= roles
            cs = colorspaces.get(prim)
            if cs and cs != "auto":
                entry.colorspace = cs

        def collect(text: str) -> str:  # every path USD would rewrite: nothing unseen
            if text and text not in self.paths and text not in self.identifiers:
                self._add(text, "other")
            return text

        UsdUtils.ModifyAssetPaths(layer, collect)

    def _add(self, text: str, arc: str) -> _Authored:
        found = self.paths.get(text)
        if found is None:
            found = self.paths[text] = _Authored(text, arc)
        elif found.arc in ("other", "attribute") and arc not in ("other", "attribute"):
            found.arc = arc  # composed as a layer somewhere: follow it as one
        return found

    @staticmethod
    def _roles(prim: Any, attribute: str, consumers: dict[Any, list[tuple[Any, str]]],
               shader_ids: dict[Any, str]) -> set[str]:
        """The surface inputs a texture reaches through connections (through a normal-map or
        transform node too); an unconnected texture attribute names its own role."""
        roles: set[str] = set()
        seen = {prim}
        todo = [(prim, 0)]
        while todo:
            node, depth = todo.pop()
            for consumer, input_name in consumers.get(node, []):
                if not input_name.startswith("inputs:"):
                    continue  # a material's outputs:surface: the end of the network
                is_surface = "surface" in shader_ids.get(consumer, "").lower()
                if is_surface or not consumers.get(consumer) or depth >= 8:
                    roles.add(role_of(input_name))
                elif consumer not in seen:
                    seen.add(consumer)
                    todo.append((consumer, depth + 1))
        if not roles and attribute != "inputs:file":
            roles.add(role_of(attribute))
        return roles


def _list_items(list_op: Any) -> list[Any]:
    # prepended, appended, added and explicit items; deleted ones name nothing we need
    items = list(list_op.explicitItems) + list(list_op.prependedItems) + \
        list(list_op.appendedItems) + list(list_op.addedItems) + list(list_op.orderedItems)
    return list(dict.fromkeys(items))


def _asset_values(layer: Any, spec: Any) -> list[str]:
    """The paths of an asset (or asset array) attribute: its default and its time samples."""
    values = [spec.default] + [layer.QueryTimeSample(spec.path, t)
                               for t in layer.ListTimeSamplesForPath(spec.path)]
    out = []
    for value in values:
        if value is None:
            continue
        items = [value] if hasattr(value, "path") else list(value)
        out += [item.path for item in items if getattr(item, "path", "")]
    return out


@dataclass
class _DocumentReading:
    """The texture filenames of one MaterialX document, with the surface input each feeds."""

    paths: dict[str, _Authored]


def _read_materialx(path: str) -> _DocumentReading:
    import importlib

    mx = importlib.import_module("MaterialX")  # untyped bindings, from the ingest extra
    doc = mx.createDocument()
    mx.readFromXmlFile(doc, path)
    by_node: dict[tuple[str, str], list[Any]] = defaultdict(list)   # (scope, node) -> inputs
    by_graph: dict[tuple[str, str], list[Any]] = defaultdict(list)  # (graph, output) -> inputs
    files: list[Any] = []
    for element in doc.traverseTree():
        if not element.isA(mx.Input):
            continue
        if element.getType() == "filename":
            files.append(element)
        scope = element.getParent().getParent()
        if element.getNodeName():
            by_node[(scope.getNamePath(), element.getNodeName())].append(element)
        if element.getNodeGraphString():
            by_graph[(element.getNodeGraphString(), element.getOutputString() or "out")].append(
                element)
    outputs: dict[tuple[str, str], list[Any]] = defaultdict(list)  # nodes feeding graph outputs
    for element in doc.traverseTree():
        if element.isA(mx.Output) and element.getNodeName():
            parent = element.getParent()
            outputs[(parent.getNamePath(), element.getNodeName())].append(element)

    def roles_from(node: Any) -> set[str]:
        roles: set[str] = set()
        todo, seen = [node], {node.getNamePath()}
        while todo:
            current = todo.pop()
            scope = current.getParent().getNamePath()
            ports = list(by_node.get((scope, current.getName()), []))
            for out in outputs.get((scope, current.getName()), []):
                ports += by_graph.get((current.getParent().getName(), out.getName()), [])
            for port in ports:
                consumer = port.getParent()
                downstream = by_node.get((consumer.getParent().getNamePath(), consumer.getName()))
                is_surface = consumer.getType() in ("surfaceshader", "displacementshader",
                                                    "volumeshader", "material")
                if is_surface or not (downstream or outputs.get(
                        (consumer.getParent().getNamePath(), consumer.getName()))):
                    roles.add(role_of(port.getName()))
                elif consumer.getNamePath() not in seen:
                    seen.add(consumer.getNamePath())
                    todo.append(consumer)
        return roles

    found: dict[str, _Authored] = {}
    for element in files:
        text = element.getResolvedValueString()  # with any fileprefix applied
        if not text:
            continue
        entry = found.setdefault(text, _Authored(text, "attribute"))
        entry.roles |= roles_from(element.getParent())
        space = element.getActiveColorSpace()
        if space and element.getAttribute("colorspace"):
            entry.colorspace = space  # only an input's own tag: the document default is vague
    return _DocumentReading(found)


class _Analysis:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.real_folder = os.path.realpath(folder)
        self.result = UsdAsset(folder=folder, entry="")
        self.opened: dict[str, Any] = {}   # name -> layer (or None when it failed)
        self.reported: set[tuple[str, str]] = set()

    # -- reading -------------------------------------------------------------------------
    def open_layer(self, name: str) -> Any:
        from pxr import Sdf, Tf

        if name in self.opened:
            return self.opened[name]
        path = str(self.folder / name)
        layer = None
        try:
            layer = Sdf.Layer.OpenAsAnonymous(path)
            if layer is None:
                self.problem(path, None, UNREADABLE, f"USD cannot read {name}: not a USD layer")
        except Tf.ErrorException as exc:
            self.problem(path, None, UNREADABLE, f"USD cannot read {name}: {_first_error(exc)}")
        self.opened[name] = layer
        return layer

    def problem(self, path: str, where: str | None, kind: str, reason: str) -> None:
        if (path, kind) not in self.reported:
            self.reported.add((path, kind))
            self.result.problems.append(Problem(path, where, kind, reason))

    # -- resolving -------------------------------------------------------------------------
    def resolve(self, text: str, where: str) -> tuple[str, str] | None:
        """(name in the folder, absolute path) of a path authored in `where`, or None after
        reporting why it cannot be used."""
        shown = f"@{text}@ in {where}"
        if _SCHEME.match(text):
            self.problem(text, where, OUTSIDE,
                         f"{shown} is a URI, not a file of the asset: refused")
            return None
        anchor = (self.folder / where).parent
        absolute = os.path.normpath(text if os.path.isabs(text) else os.path.join(anchor, text))
        name = _under(absolute, str(self.folder))
        real = os.path.realpath(absolute.replace(UDIM, "1001")) if UDIM in absolute \
            else os.path.realpath(absolute)
        if UDIM in absolute:
            real = os.path.join(os.path.dirname(real), os.path.basename(absolute))
        if name is None or _under(real, self.real_folder) is None:
            self.problem(absolute, where, OUTSIDE,
                         f"{shown} leads to {absolute}, outside the asset's folder "
                         f"{self.folder}: refused (ingest the folder that holds every file, "
                         "with --entry for the root layer)")
            return None
        if UDIM in name:
            if not self.tiles(absolute):
                self.problem(absolute, where, MISSING,
                             f"{shown}: no UDIM tile matches {name} (1001, 1002, ...)")
                return None
        elif not os.path.isfile(absolute):
            what = "does not exist" if not os.path.exists(absolute) else "is not a file"
            self.problem(absolute, where, MISSING, f"{shown}: {name} {what}")
            return None
        return name, absolute

    @staticmethod
    def tiles(pattern: str) -> list[str]:
        """Every tile of a UDIM set, by globbing: ComputeAllDependencies drops those above 1100."""
        folder, base = os.path.split(pattern)
        head, _, tail = base.partition(UDIM)
        try:
            names = os.listdir(folder)
        except OSError:
            return []
        found = [n for n in names if n.startswith(head) and n.endswith(tail)
                 and len(n) == len(head) + 4 + len(tail) and _TILE.fullmatch(n[len(head):-len(tail)
                                                                                 or None])]
        return [os.path.join(folder, n) for n in sorted(found)]

    # -- walking ---------------------------------------------------------------------------
    def walk(self, entry: str) -> None:
        result = self.result
        result.entry = entry
        todo = [entry]
        seen = {entry}
        while todo:
            name = todo.pop(0)
            absolute = str(self.folder / name)
            result.files[name] = absolute
            if is_layer(name):
                result.layers.append(name)
                layer = self.open_layer(name)
                if layer is None:
                    continue
                paths = _LayerReading(layer).paths
            else:
                result.documents.append(name)
                try:
                    paths = _read_materialx(absolute).paths
                except Exception as exc:  # the bindings raise their own ExceptionParseError
                    self.problem(absolute, None, UNREADABLE,
                                 f"MaterialX cannot read {name}: {str(exc).strip() or exc}")
                    continue
            for text, authored in paths.items():
                target = self.resolve(text, name)
                if target is None:
                    continue
                target_name, target_path = target
                composed = authored.arc in ("sublayer", "reference", "payload")
                if is_image(target_name) and not composed:
                    self.add_texture(name, text, target_name, target_path, authored)
                elif (is_layer(target_name) or _suffix(target_name) in MATERIALX_EXTENSIONS) \
                        and target_name not in seen:
                    seen.add(target_name)
                    todo.append(target_name)
                elif not (is_layer(target_name) or _suffix(target_name) in MATERIALX_EXTENSIONS):
                    result.files[target_name] = target_path  # e.g. a .usdz, a volume, audio

    def add_texture(self, where: str, text: str, name: str, path: str,
                    authored: _Authored) -> None:
        texture = self.result.textures.get(name)
        if texture is None:
            files = self.tiles(path) if UDIM in name else [path]
            texture = self.result.textures[name] = Texture(name, files)
        texture.roles = sorted(set(texture.roles) | authored.roles)
        if authored.colorspace and texture.colorspace is None:
            texture.colorspace = authored.colorspace
        self.result.uses.setdefault(where, {})[text] = name

    # -- the root layer ---------------------------------------------------------------------
    def composed_targets(self, name: str) -> set[str]:
        layer = self.open_layer(name)
        if layer is None:
            return set()
        out = set()
        for text, authored in _LayerReading(layer).paths.items():
            if authored.arc not in ("sublayer", "reference", "payload") or _SCHEME.match(text):
                continue
            anchor = (self.folder / name).parent
            target = _under(os.path.normpath(os.path.join(anchor, text)), str(self.folder))
            if target is not None and target != name:
                out.add(target)
        return out


def _layer_files(folder: Path) -> list[str]:
    found = []
    for directory, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for n in names:
            if is_layer(n) and not n.startswith("."):
                found.append(Path(os.path.relpath(os.path.join(directory, n), folder)).as_posix())
    return sorted(found)


def _all_files(folder: Path) -> list[str]:
    found = []
    for directory, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [Path(os.path.relpath(os.path.join(directory, n), folder)).as_posix()
                  for n in names if not n.startswith(".")]
    return sorted(found)


def _root_layer(analysis: _Analysis, candidates: list[str], asset: str | None) -> str:
    """The layer no other layer composes; among several, the one named like the folder or the
    asset; else the caller must say (--entry)."""
    referenced: set[str] = set()
    readable = [n for n in candidates if analysis.open_layer(n) is not None]
    for name in readable:
        referenced |= analysis.composed_targets(name)
    roots = [n for n in readable if n not in referenced] or readable
    if len(roots) == 1:
        return roots[0]
    wanted = {analysis.folder.name.lower()}
    if asset:
        wanted.add(asset.rsplit("/", 1)[-1].lower())
    named = [n for n in roots if Path(n).stem.lower() in wanted]
    if len(named) == 1:
        return named[0]
    if not roots:
        raise UsdAssetError(f"{analysis.folder} holds no USD layer that USD can read: "
                            "give a folder with a .usd, .usda or .usdc root layer")
    shown = ", ".join(roots[:6]) + (", ..." if len(roots) > 6 else "")
    raise UsdAssetError(f"{len(roots)} layers of {analysis.folder} could be the root layer "
                        f"({shown}): name it with --entry (entry=)")


def analyse(path: str | os.PathLike[str], *, asset: str | None = None,
            entry: str | None = None) -> UsdAsset:
    """Analyse a USD asset given as its root layer or its folder. The folder (the root layer's
    own folder, for a file) bounds the asset: a path leading out of it is refused. `entry`
    names the root layer inside a folder; `asset` helps choose among several candidates.
    Problems are collected item by item; only an asset with no root layer at all raises."""
    given = Path(path).expanduser().absolute()
    if not given.exists():
        raise UsdAssetError(f"USD asset {str(given)!r} does not exist: check the path")
    if given.is_dir():
        folder = given
    else:
        if entry is not None:
            raise UsdAssetError(f"--entry names a layer inside a folder, but {str(given)!r} is "
                                "a file: give its folder with --entry, or the file alone")
        if not is_layer(given.name):
            raise UsdAssetError(f"{str(given)!r} is not a USD layer (.usd, .usda, .usdc): give a "
                                "root layer or the asset's folder")
        folder, entry = given.parent, given.name
    analysis = _Analysis(folder)
    if entry is not None:
        wanted = Path(entry.replace(os.sep, "/").removeprefix("./")).as_posix()
        if os.path.isabs(entry):
            wanted = _under(os.path.normpath(entry), str(folder)) or entry
        if not is_layer(wanted) or not (folder / wanted).is_file():
            raise UsdAssetError(f"entry {entry!r} is not a USD layer in {folder}: name a .usd, "
                                ".usda or .usdc file relative to the folder")
        chosen = wanted
    else:
        candidates = _layer_files(folder)
        if not candidates:
            raise UsdAssetError(f"{folder} holds no USD layer (.usd, .usda, .usdc): give the "
                                "asset's folder or its root layer")
        chosen = _root_layer(analysis, candidates, asset)
    analysis.walk(chosen)
    result = analysis.result
    if given.is_dir():
        used = set(result.files) | {f for t in result.textures.values() for f in
                                    (_under(p, str(folder)) or p for p in t.files)}
        result.unused = [n for n in _all_files(folder) if n not in used]
    return result
