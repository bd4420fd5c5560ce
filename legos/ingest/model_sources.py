"""What a model file names before Blender reads it: the .mtl files and `map_*` images of an
OBJ, the buffers and images of a glTF/GLB (with KTX2 variants and their fallbacks), the
metrics of a USD stage. Pure Python (no bpy): a missing, escaping or corrupt reference is a
clean IngestError in milliseconds, before a Blender process is started.
"""

from __future__ import annotations

import json
import os
import shlex
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from legos.errors import IngestError

MODEL_EXTENSIONS = (".obj", ".gltf", ".glb", ".fbx", ".usd", ".usda", ".usdc", ".usdz")

# MTL texture statements and the material input Blender's OBJ importer gives each
# (None: the importer has no input for it)
MTL_MAPS = {
    "map_kd": "base_color", "map_ks": "specular", "map_ns": "roughness", "map_d": "opacity",
    "map_ke": "emission", "map_bump": "normal", "bump": "normal", "norm": "normal",
    "map_pr": "roughness", "map_pm": "metallic", "refl": "metallic", "disp": "displacement",
    "map_ka": None, "decal": None, "map_tr": "opacity",
}
# options of MTL texture statements and how many values each takes
_MTL_OPTIONS = {"-blendu": 1, "-blendv": 1, "-bm": 1, "-boost": 1, "-cc": 1, "-clamp": 1,
                "-imfchan": 1, "-mm": 2, "-o": 3, "-s": 3, "-t": 3, "-texres": 1, "-type": 1}


@dataclass
class SourceScan:
    """What the source names: files it needs (absolute), MTL maps and what to say about it."""

    source: Path
    format: str
    files: list[Path] = field(default_factory=list)
    mtl_maps: list[tuple[str, Path]] = field(default_factory=list)  # (statement, image)
    warnings: list[str] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)  # USD: metersPerUnit, upAxis


def scan_source(source: str | os.PathLike[str]) -> SourceScan:
    """Check a model file and what it names; raise IngestError naming the first problem."""
    path = Path(source)
    try:
        path = path.resolve(strict=True)
    except FileNotFoundError:
        raise IngestError(f"{source}: no such file") from None
    except (RuntimeError, OSError) as exc:  # a symlink loop, a permission problem
        raise IngestError(f"{source}: cannot be read ({exc})") from None
    if not path.is_file():
        raise IngestError(f"{source}: not a file")
    ext = path.suffix.lower()
    if ext not in MODEL_EXTENSIONS:
        raise IngestError(
            f"{source}: unsupported model format {ext or '(no extension)'}: use one of "
            f"{', '.join(MODEL_EXTENSIONS)}")
    if path.stat().st_size == 0:
        raise IngestError(f"{source}: the file is empty")
    scan = SourceScan(path, ext.lstrip("."))
    if ext == ".obj":
        _scan_obj(scan)
    elif ext in (".gltf", ".glb"):
        _scan_gltf(scan)
    elif ext == ".fbx":
        _scan_fbx(scan)
    else:
        _scan_usd(scan)
    return scan


def _inside(scan: SourceScan, named: str, base: Path, where: Path) -> Path:
    """A path named by `where`, resolved against `base`; it must exist inside the source's
    folder (a model's files travel with it: `../../etc/passwd` is refused)."""
    folder = scan.source.parent
    raw = Path(named.replace("\\", "/"))
    try:
        target = (base / raw).resolve(strict=True)
    except FileNotFoundError:
        raise IngestError(f"{scan.source}: {named!r} named by {where.name} is missing "
                          f"(looked for {base / raw})") from None
    except (RuntimeError, OSError) as exc:
        raise IngestError(f"{scan.source}: {named!r} named by {where.name} cannot be read "
                          f"({exc})") from None
    if not target.is_relative_to(folder):
        raise IngestError(f"{scan.source}: {named!r} named by {where.name} lies outside the "
                          f"model's folder {folder}: copy it beside the model")
    if not target.is_file():
        raise IngestError(f"{scan.source}: {named!r} named by {where.name} is not a file")
    return target


def _lines(path: Path) -> list[list[str]]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise IngestError(f"{path}: cannot be read ({exc})") from None
    if "\x00" in text[:4096]:
        raise IngestError(f"{path}: binary data where text was expected (not an OBJ/MTL file)")
    return [line.split() for line in text.splitlines() if line.strip()
            and not line.lstrip().startswith("#")]


def _mtl_image(words: list[str]) -> str:
    """The file name of an MTL texture statement, after its options."""
    i = 1
    while i < len(words) and words[i].lower() in _MTL_OPTIONS:
        i += 1 + _MTL_OPTIONS[words[i].lower()]
    return " ".join(words[i:])


def _scan_obj(scan: SourceScan) -> None:
    lines = _lines(scan.source)
    if not any(w[0] in ("v", "f") for w in lines):
        raise IngestError(f"{scan.source}: no vertex or face statement (not an OBJ file?)")
    for words in lines:
        if words[0] != "mtllib" or len(words) < 2:
            continue
        text = " ".join(words[1:])
        names = [text] if (scan.source.parent / text).exists() else shlex.split(text)
        for name in names:
            mtl = _inside(scan, name, scan.source.parent, scan.source)
            scan.files.append(mtl)
            for statement in _lines(mtl):
                key = statement[0].lower()
                if key in MTL_MAPS and len(statement) > 1:
                    image = _inside(scan, _mtl_image(statement), mtl.parent, mtl)
                    scan.files.append(image)
                    scan.mtl_maps.append((statement[0], image))


def _glb_json(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    if len(data) < 20 or data[:4] != b"glTF":
        raise IngestError(f"{path}: not a GLB file (no 'glTF' header)")
    _, length = struct.unpack_from("<II", data, 4)
    chunk_length, chunk_type = struct.unpack_from("<II", data, 12)
    if length > len(data) or chunk_type != 0x4E4F534A or 20 + chunk_length > len(data):
        raise IngestError(f"{path}: truncated or corrupt GLB (header says {length} bytes, "
                          f"the file has {len(data)})")
    try:
        found = json.loads(data[20:20 + chunk_length])
    except ValueError as exc:
        raise IngestError(f"{path}: corrupt GLB JSON chunk ({exc})") from None
    if not isinstance(found, dict):
        raise IngestError(f"{path}: corrupt GLB JSON chunk (not an object)")
    return found


def _scan_gltf(scan: SourceScan) -> None:
    if scan.format == "glb":
        doc = _glb_json(scan.source)
    else:
        try:
            doc = json.loads(scan.source.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise IngestError(f"{scan.source}: not valid glTF JSON ({exc})") from None
        if not isinstance(doc, dict):
            raise IngestError(f"{scan.source}: not valid glTF JSON (not an object)")
    if not str(doc.get("asset", {}).get("version", "")).startswith("2"):
        raise IngestError(f"{scan.source}: not a glTF 2.0 file (asset.version is "
                          f"{doc.get('asset', {}).get('version')!r})")
    images = doc.get("images", [])
    for kind in ("buffers", "images"):
        for item in doc.get(kind, []):
            uri = item.get("uri") if isinstance(item, dict) else None
            if uri and not uri.startswith("data:"):
                scan.files.append(_inside(scan, unquote(uri), scan.source.parent, scan.source))
    required = set(doc.get("extensionsRequired", []))
    for i, texture in enumerate(doc.get("textures", [])):
        basisu = texture.get("extensions", {}).get("KHR_texture_basisu")
        if basisu is None:
            continue
        ktx2 = _image_name(images, basisu.get("source"))
        if texture.get("source") is None:
            raise IngestError(
                f"{scan.source}: texture {i} exists only as KTX2 ({ktx2}, KHR_texture_basisu"
                f"{', required' if 'KHR_texture_basisu' in required else ''}), which Blender "
                "cannot read, and has no PNG/JPEG fallback")
        scan.warnings.append(
            f"texture {i}: its KTX2 variant {ktx2} (KHR_texture_basisu) is not used; the "
            f"PNG/JPEG fallback {_image_name(images, texture['source'])} is")


def _image_name(images: list[Any], index: Any) -> str:
    if isinstance(index, int) and 0 <= index < len(images):
        image = images[index]
        return image.get("uri") or image.get("name") or f"images[{index}] (embedded)"
    return f"images[{index}]"


def _scan_fbx(scan: SourceScan) -> None:
    with scan.source.open("rb") as f:
        head = f.read(64)
    if head.startswith(b"Kaydara FBX Binary"):
        return
    if b"FBX" in head:
        raise IngestError(f"{scan.source}: ASCII FBX is not supported by Blender's importer: "
                          "save it as binary FBX")
    raise IngestError(f"{scan.source}: not an FBX file (no FBX header)")


@contextmanager
def quiet_usd() -> Iterator[None]:
    """USD's warnings go to a delegate while it lives, not to stderr: what matters is in our
    answers already."""
    from pxr import UsdUtils

    quiet = UsdUtils.CoalescingDiagnosticDelegate()
    try:
        yield
    finally:
        del quiet


def _scan_usd(scan: SourceScan) -> None:
    """The stage's own metrics (recorded as the source units/axes) and its dependencies."""
    from pxr import Sdf, Tf, Usd, UsdGeom, UsdUtils

    with quiet_usd():
        try:
            stage = Usd.Stage.Open(str(scan.source), load=Usd.Stage.LoadAll)
        except Tf.ErrorException as exc:
            message = str(exc).strip().splitlines()[-1]
            raise IngestError(f"{scan.source}: USD cannot open it ({message})") from None
        if stage is None:
            raise IngestError(f"{scan.source}: USD cannot open it")
        scan.metrics = {
            "metersPerUnit": UsdGeom.GetStageMetersPerUnit(stage),
            "upAxis": str(UsdGeom.GetStageUpAxis(stage)),
            "authored": stage.GetRootLayer().pseudoRoot.HasInfo("metersPerUnit"),
        }
        if scan.format == "usdz":
            return  # its files are inside the package
        _, _, unresolved = UsdUtils.ComputeAllDependencies(Sdf.AssetPath(str(scan.source)))
    if unresolved:
        raise IngestError(f"{scan.source}: {len(unresolved)} path(s) it names do not resolve, "
                          f"e.g. {unresolved[0]}")
