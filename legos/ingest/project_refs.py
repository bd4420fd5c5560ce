"""The paths a file names, for `legos ingest project` to tell which other versions of a tree a
version depends on: USD layers (sublayers, references, payloads, texture and other asset
paths), an OBJ's `mtllib`, an MTL's texture maps, glTF/GLB images and buffers, MaterialX
filenames. Pure: reads files, writes nothing; usd-core and MaterialX load only when needed.

    found = read_references(Path("chr/hero/v002/hero.usda"))
    [(r.path, r.role) for r in found.references], found.notes
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

USD_LAYERS = (".usd", ".usda", ".usdc")  # a .usdz package names its own contents only
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # two letters at least: not a drive letter
_ORM = ("occlusion", "roughness", "metallic")

# MTL texture statements and the material input each feeds
_MTL_ROLES = {"map_kd": "base_color", "map_ka": "ambient", "map_ks": "specular",
              "map_ke": "emission", "map_ns": "shininess", "map_d": "opacity",
              "map_tr": "transparency", "map_bump": "bump", "bump": "bump", "norm": "normal",
              "map_norm": "normal", "disp": "displacement", "decal": "decal",
              "refl": "reflection", "map_pr": "roughness", "map_pm": "metallic",
              "map_ps": "sheen", "map_pc": "clearcoat"}
# MTL map options and how many values each takes (-o, -s, -t take one to three numbers)
_MTL_OPTIONS = {"-blendu": 1, "-blendv": 1, "-bm": 1, "-boost": 1, "-cc": 1, "-clamp": 1,
                "-imfchan": 1, "-mm": 2, "-texres": 1, "-type": 1, "-o": 3, "-s": 3, "-t": 3}
# glTF material slots and the role of the texture in each
_GLTF_SLOTS = {"baseColorTexture": "base_color", "metallicRoughnessTexture": "metallic_roughness",
               "normalTexture": "normal", "occlusionTexture": "occlusion",
               "emissiveTexture": "emission"}


@dataclass(frozen=True)
class Reference:
    """One path a file names: as authored, where it leads, and the input it feeds."""

    text: str           # as authored
    path: str           # absolute and normalised (a UDIM set keeps its <UDIM>)
    role: str | None    # base_color, normal, ...; None: a layer or file the kind's role names


@dataclass
class FileReferences:
    references: list[Reference] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)        # what could not be read, one line each
    prim_types: set[str] = field(default_factory=set)     # USD: the prim types it defines


def joined_role(roles: set[str]) -> str:
    """One dependency role for a file feeding several inputs (a packed ORM map: "orm")."""
    if set(roles) == set(_ORM):
        return "orm"
    return "_".join(sorted(roles))[:64].rstrip("_")


def reads_references(name: str) -> bool:
    suffix = os.path.splitext(name)[1].lower()
    return suffix in USD_LAYERS or suffix in (".obj", ".mtl", ".gltf", ".glb", ".mtlx")


def read_references(path: Path) -> FileReferences:
    """The paths `path` names (nothing for a file of a format without references)."""
    suffix = path.suffix.lower()
    found = FileReferences()
    try:
        if suffix in USD_LAYERS:
            _usd(path, found)
        elif suffix == ".obj":
            _obj(path, found)
        elif suffix == ".mtl":
            _mtl(path, found)
        elif suffix in (".gltf", ".glb"):
            _gltf(path, found)
        elif suffix == ".mtlx":
            _materialx(path, found)
    except (OSError, ValueError, UnicodeDecodeError, struct.error) as exc:
        found.notes.append(f"cannot read the paths {path.name} names: "
                           f"{' '.join(str(exc).split())}")
    return found


def _add(found: FileReferences, path: Path, text: str, role: str | None) -> None:
    if not text or _SCHEME.match(text):  # a URI (data:, http:) names no file of the tree
        return
    target = text if os.path.isabs(text) else os.path.join(path.parent, text)
    found.references.append(Reference(text, os.path.normpath(target), role))


# -- USD ---------------------------------------------------------------------------------------
_LAYER_ARCS = ("sublayer", "reference", "payload")


def _usd(path: Path, found: FileReferences) -> None:
    try:
        from pxr import Sdf, Tf
    except ImportError:
        found.notes.append(f"usd-core is not installed, so the paths {path.name} names were not "
                           "read: pip install 'legos[ingest]'")
        return
    from legos.ingest.usd_asset import _LayerReading  # the reading `ingest usd` trusts

    try:
        layer = Sdf.Layer.OpenAsAnonymous(str(path))  # never the shared registry's cached copy
    except Tf.ErrorException as exc:
        found.notes.append(f"USD cannot read {path.name}: {_first_line(exc)}")
        return
    if layer is None:
        found.notes.append(f"USD cannot read {path.name}: not a USD layer")
        return
    specs: list[Any] = []
    layer.Traverse(Sdf.Path.absoluteRootPath, specs.append)
    for spec_path in specs:
        spec = layer.GetObjectAtPath(spec_path)
        if isinstance(spec, Sdf.PrimSpec) and spec.typeName:
            found.prim_types.add(str(spec.typeName))
    for text, authored in _LayerReading(layer).paths.items():
        role = None if authored.arc in _LAYER_ARCS or not authored.roles \
            else joined_role(authored.roles)
        _add(found, path, text, role)


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


# -- OBJ and MTL ----------------------------------------------------------------------------
def _lines(path: Path) -> Any:
    """The statements of a text file (an OBJ can be large: streamed), comments dropped."""
    with open(path, "rb") as stream:
        for raw in stream:
            line = raw.decode("utf-8", "replace").strip()
            if line and not line.startswith("#"):
                yield re.sub(r"\s+#.*$", "", line)


def _obj(path: Path, found: FileReferences) -> None:
    for line in _lines(path):
        keyword, _, rest = line.partition(" ")
        if keyword != "mtllib" or not rest.strip():
            continue
        rest = rest.strip()
        # one name with spaces in it, if that is a file; else names separated by spaces
        names = [rest] if (path.parent / rest).is_file() else rest.split()
        for name in names:
            _add(found, path, name, None)


def _mtl(path: Path, found: FileReferences) -> None:
    for line in _lines(path):
        words = line.split()
        keyword = words[0].lower()
        if keyword not in _MTL_ROLES and not keyword.startswith("map_"):
            continue
        name = _mtl_file_name(words[1:])
        if name:
            role = _MTL_ROLES.get(keyword) or re.sub(r"[^a-z0-9_]", "_", keyword)[:64]
            _add(found, path, name, role)


def _mtl_file_name(words: list[str]) -> str:
    """The file name after a map statement's options (`-bm 0.5 bump.png`)."""
    i = 0
    while i < len(words) and words[i].lower() in _MTL_OPTIONS:
        most = _MTL_OPTIONS[words[i].lower()]
        i += 1
        taken = 0
        while taken < most and i < len(words) - 1 and (taken == 0 or _is_number(words[i])):
            i += 1
            taken += 1
    return " ".join(words[i:])


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# -- glTF -------------------------------------------------------------------------------------
_GLB_MAGIC = 0x46546C67   # "glTF"
_GLB_JSON = 0x4E4F534A    # "JSON"


def _gltf(path: Path, found: FileReferences) -> None:
    if path.suffix.lower() == ".glb":
        with open(path, "rb") as stream:
            magic, _version, _length = struct.unpack("<III", stream.read(12))
            size, kind = struct.unpack("<II", stream.read(8))
            if magic != _GLB_MAGIC or kind != _GLB_JSON:
                raise ValueError("not a binary glTF (no glTF header and JSON chunk)")
            document = json.loads(stream.read(size))
    else:
        document = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        raise ValueError("not a glTF document (no JSON object)")
    roles: dict[int, set[str]] = {}
    textures = document.get("textures") or []
    for material in document.get("materials") or []:
        slots = dict(material or {})
        slots.update((material or {}).get("pbrMetallicRoughness") or {})
        for slot, role in _GLTF_SLOTS.items():
            index = (slots.get(slot) or {}).get("index")
            if isinstance(index, int) and 0 <= index < len(textures):
                source = (textures[index] or {}).get("source")
                if isinstance(source, int):
                    roles.setdefault(source, set()).add(role)
    for i, image in enumerate(document.get("images") or []):
        uri = (image or {}).get("uri")
        if isinstance(uri, str):
            _add(found, path, unquote(uri), joined_role(roles[i]) if i in roles else "texture")
    for buffer in document.get("buffers") or []:
        uri = (buffer or {}).get("uri")
        if isinstance(uri, str):
            _add(found, path, unquote(uri), None)


# -- MaterialX --------------------------------------------------------------------------------
def _materialx(path: Path, found: FileReferences) -> None:
    if importlib.util.find_spec("MaterialX") is None:  # the ingest extra
        found.notes.append(f"MaterialX is not installed, so the files {path.name} names were "
                           "not read: pip install 'legos[ingest]'")
        return
    from legos.ingest.usd_asset import _read_materialx

    try:
        reading = _read_materialx(str(path))
    except Exception as exc:  # MaterialX raises its own exception types
        found.notes.append(f"MaterialX cannot read {path.name}: {_first_line(exc)}")
        return
    for text, authored in reading.paths.items():
        _add(found, path, text, joined_role(authored.roles) if authored.roles else "texture")
