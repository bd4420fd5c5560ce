"""Model ingest: an OBJ/glTF/GLB/FBX/USD file becomes a USD layer (UsdPreviewSurface materials,
meshes, normals, UVs), a thumbnail and a report, converted by Blender in a separate process
(legos.ingest.blender_convert); then a ModelAsset version that depends on its textures.

    conv = convert_model("vendor/cow.obj", "work/cow")      # pure: files in, files out
    rewrite_texture_paths(conv.layer, {src: published_exr}, final_path=where_it_will_live)
    record = ingest_model(lg, "vendor/cow.obj", project="demo", asset="prop/cow")

usd-core (pxr) is imported inside the functions that need it; bpy never is.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from legos.errors import IngestError, LegosError
from legos.ingest.blender import find_blender
from legos.ingest.model_sources import MTL_MAPS, quiet_usd, scan_source
from legos.ingest.records import FAILED, OK, SKIPPED, Record, one_line

if TYPE_CHECKING:
    from legos.api import Legos

SCRIPT = Path(__file__).with_name("blender_convert.py")
ERROR_PREFIX = "legos-convert-error: "
DEFAULT_TIMEOUT = 900.0  # seconds for one conversion (import, export and thumbnail)
_PACKED_ORDER = ("occlusion", "roughness", "metallic")  # a packed ORM map reads in this order


@dataclass(frozen=True)
class ModelTexture:
    """A texture the converted layer uses, with the material inputs it feeds."""

    path: Path                  # where the file is now (the source's, or extracted)
    source: str                 # the original: a path, or `model.glb#image` when embedded
    roles: tuple[str, ...]      # material inputs, e.g. ("base_color",) or ("metallic", ...)
    materials: tuple[str, ...]
    embedded: bool = False
    colorspace: str | None = None  # the layer's sourceColorSpace (sRGB, raw, auto)

    @property
    def role(self) -> str:
        """One dependency role: the input it feeds, or the inputs joined for a packed map
        (the same spelling as USD asset ingest: `orm`, `metallic_roughness`)."""
        if not self.roles:
            return "texture"
        ordered = sorted(set(self.roles), key=lambda r: (
            _PACKED_ORDER.index(r) if r in _PACKED_ORDER else len(_PACKED_ORDER), r))
        return "orm" if ordered == list(_PACKED_ORDER) else "_".join(ordered)[:64].rstrip("_")

    @property
    def is_data(self) -> bool:
        """A data map (normal, roughness...): never colour-converted."""
        return not {"base_color", "emission", "specular_color"} & set(self.roles)

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "source": self.source, "role": self.role,
                "roles": list(self.roles), "materials": list(self.materials),
                "embedded": self.embedded, "colorspace": self.colorspace}


@dataclass
class ModelConversion:
    """The result of one conversion: a USD layer in `folder`, its thumbnail and facts."""

    source: Path
    folder: Path
    layer: Path
    thumbnail: Path | None
    converter: dict[str, str]          # {"name": "blender", "version": "5.0.1"}
    units_axes: dict[str, Any]         # source units/axes, conversion, scale, result
    textures: list[ModelTexture] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)   # meshes, polygons, bounds...
    timings: dict[str, float] = field(default_factory=dict)

    def provenance(self) -> dict[str, Any]:
        """What a ModelAsset version records about how it was made."""
        return {"step": "ingest model", "source": str(self.source),
                "converter": self.converter, "units_axes": self.units_axes,
                "textures": [{"source": t.source, "roles": list(t.roles)}
                             for t in self.textures],
                "warnings": self.warnings, "facts": self.facts}


# -- conversion -------------------------------------------------------------------------------
def convert_model(source: str | os.PathLike[str], out_dir: str | os.PathLike[str], *,
                  blender: str | os.PathLike[str] | None = None, up_axis: str = "Y",
                  layer_name: str | None = None, root_prim: str | None = None,
                  thumbnail: bool = True, timeout: float = DEFAULT_TIMEOUT) -> ModelConversion:
    """Convert a model file into `out_dir` (created; must be absent or empty): a USD layer
    (`layer_name`, default `<stem>.usda`), `thumbnail.png`, `report.json`, and `textures/`
    for images that were embedded. All or nothing: it is written aside and renamed at the end.
    Textures that are files stay where they are (the layer names them by absolute path)."""
    if up_axis not in ("Y", "Z"):
        raise IngestError(f"up axis {up_axis!r}: use Y or Z")
    scan = scan_source(source)
    found = find_blender(blender)
    out = Path(out_dir).absolute()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise IngestError(f"{out}: already exists and is not an empty folder: choose another")
    out.parent.mkdir(parents=True, exist_ok=True)
    name = layer_name or f"{scan.source.stem}.usda"
    prim = root_prim or _prim_name(scan.source.stem)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        args = [str(scan.source), str(work), "--up-axis", up_axis, "--root-prim", prim]
        if not thumbnail:
            args.append("--no-thumbnail")
        started = time.perf_counter()
        _run(found.command(SCRIPT, args), found.environment(), scan.source, timeout)
        elapsed = time.perf_counter() - started
        report = json.loads((work / "report.json").read_text())
        os.replace(work / "model.usda", work / name)
        used = _finish_layer(work / name, work, up_axis, report)
        if out.exists():
            out.rmdir()
        os.replace(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return _conversion(scan, out, name, report, used, found.found_by, elapsed)


def _prim_name(stem: str) -> str:
    import re

    name = re.sub(r"[^A-Za-z0-9_]", "_", stem)
    return name if name and not name[0].isdigit() else f"model_{name}"


def _run(command: list[str], env: dict[str, str], source: Path, timeout: float) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True,
                              errors="replace", timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise IngestError(f"{source}: Blender did not finish the conversion within "
                          f"{timeout:g} s") from None
    except OSError as exc:
        raise IngestError(f"{source}: Blender could not be started ({command[0]}: "
                          f"{exc.strerror or exc})") from None
    if done.returncode == 0:
        return
    lines = [ln.strip() for ln in (done.stderr or "").splitlines() if ln.strip()]
    ours = [ln[len(ERROR_PREFIX):] for ln in lines if ln.startswith(ERROR_PREFIX)]
    if ours:
        message = ours[-1]
        raise IngestError(message if str(source) in message else f"{source}: {message}")
    last = lines[-1] if lines else f"exit status {done.returncode}"
    raise IngestError(f"{source}: Blender failed ({last})")


def _finish_layer(layer_path: Path, work: Path, up_axis: str,
                  report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """State metersPerUnit and upAxis, mark the model a component, make extracted textures
    relative to the layer; return {texture path as authored: {"roles", "colorspace"}} as the
    layer's UsdPreviewSurface networks use them."""
    from pxr import Kind, Usd, UsdGeom, UsdUtils

    with quiet_usd():
        stage = Usd.Stage.Open(str(layer_path))
        UsdGeom.SetStageMetersPerUnit(stage, 1.0)
        UsdGeom.SetStageUpAxis(stage, UsdGeom.Tokens.y if up_axis == "Y" else UsdGeom.Tokens.z)
        default = stage.GetDefaultPrim()
        if default:
            Usd.ModelAPI(default).SetKind(Kind.Tokens.component)
        layer = stage.GetRootLayer()
        data = dict(layer.customLayerData)
        data["legos_converter"] = f"{report['converter']['name']} {report['converter']['version']}"
        layer.customLayerData = data

        def local(path: str) -> str:  # extracted images travel with the layer
            if path and os.path.isabs(path) and Path(path).is_relative_to(work):
                return "./" + Path(path).relative_to(work).as_posix()
            return path

        UsdUtils.ModifyAssetPaths(layer, local)
        layer.Save()
        used = _texture_roles(stage)
        for meta, wanted in (("metersPerUnit", 1.0), ("upAxis", up_axis)):
            if layer.pseudoRoot.GetInfo(meta) != wanted:  # checked, not trusted
                raise IngestError(f"{layer_path.name}: {meta} is "
                                  f"{layer.pseudoRoot.GetInfo(meta)!r}, not {wanted!r}")
    return used


def _texture_roles(stage: Any) -> dict[str, dict[str, Any]]:
    """Every UsdUVTexture file and the surface inputs it reaches (through any node)."""
    from pxr import UsdShade

    from legos.ingest.usd_asset import role_of

    consumers: dict[Any, list[tuple[Any, str]]] = defaultdict(list)
    ids: dict[Any, str] = {}
    for prim in stage.Traverse():
        shader = UsdShade.Shader(prim)
        if not shader:
            continue
        ids[prim.GetPath()] = shader.GetIdAttr().Get() or ""
        for inp in shader.GetInputs():
            for src in inp.GetConnectedSources()[0]:
                consumers[src.source.GetPath()].append((prim.GetPath(), inp.GetBaseName()))
    used: dict[str, dict[str, Any]] = {}
    for path, shader_id in ids.items():
        if shader_id != "UsdUVTexture":
            continue
        shader = UsdShade.Shader(stage.GetPrimAtPath(path))
        value = shader.GetInput("file").Get() if shader.GetInput("file") else None
        if not value or not value.path:
            continue
        roles: set[str] = set()
        todo, seen = [(path, 0)], {path}
        while todo:
            node, depth = todo.pop()
            for consumer, name in consumers.get(node, []):
                if "surface" in ids.get(consumer, "").lower() or depth >= 8:
                    roles.add(role_of(name))
                elif consumer not in seen:
                    seen.add(consumer)
                    todo.append((consumer, depth + 1))
        cs_input = shader.GetInput("sourceColorSpace")
        entry = used.setdefault(value.path, {"roles": set(), "colorspace": None})
        entry["roles"] |= roles
        entry["colorspace"] = cs_input.Get() if cs_input else None
    return used


def _conversion(scan: Any, out: Path, name: str, report: dict[str, Any],
                used: dict[str, dict[str, Any]], found_by: str,
                elapsed: float) -> ModelConversion:
    """The ModelConversion of a finished folder: textures as the layer uses them, and what was
    left out said as warnings."""
    work = os.path.dirname(report["layer"])
    by_path = {t["path"] if not t["embedded"] else "./" + Path(
        os.path.relpath(t["path"], work)).as_posix(): t for t in report["textures"]}
    textures = []
    for authored, info in sorted(used.items()):
        blender_side = by_path.get(authored, {})
        embedded = bool(blender_side.get("embedded"))
        textures.append(ModelTexture(
            path=Path(os.path.normpath(out / authored)), roles=tuple(sorted(info["roles"])),
            source=f"{scan.source}#{blender_side.get('image')}" if embedded else authored,
            materials=tuple(blender_side.get("materials", ())), embedded=embedded,
            colorspace=info["colorspace"]))
    warnings = list(scan.warnings) + list(report["warnings"])
    kept = {str(t.path) for t in textures}
    for authored, t in by_path.items():
        if authored not in used:
            warnings.append(f"{t['image']} ({', '.join(t['roles'])}) has no UsdPreviewSurface "
                            "input: not carried into the layer")
    for statement, image in scan.mtl_maps:
        if str(image) not in kept and not MTL_MAPS.get(statement.lower()):
            warnings.append(f"{statement} {image.name}: Blender's OBJ importer has no material "
                            "input for it: left out")
    units = dict(report["units_axes"])
    if scan.metrics:
        units["source_metrics"] = scan.metrics
    facts = {k: report[k] for k in ("meshes", "polygons", "materials", "bounds")}
    timings = dict(report["timings"], total_s=round(elapsed, 3))
    converter = dict(report["converter"], found_by=found_by)
    thumb = out / "thumbnail.png" if report.get("thumbnail") else None
    return ModelConversion(source=scan.source, folder=out, layer=out / name, thumbnail=thumb,
                           converter=converter, units_axes=units, textures=textures,
                           warnings=warnings, facts=facts, timings=timings)


# -- texture paths ----------------------------------------------------------------------------
def rewrite_texture_paths(layer: str | os.PathLike[str],
                          mapping: Mapping[Any, str | os.PathLike[str]], *,
                          final_path: str | os.PathLike[str] | None = None,
                          colorspaces: Mapping[Any, str] | None = None) -> int:
    """Point the layer's texture asset paths at new files: `mapping` is {file the layer uses
    now: file to use}, both absolute. The new paths are relative to where the layer will live
    (`final_path`, default where it is), so the folder tree can move. `colorspaces` {new file:
    colour-space name} sets each path's colorSpace metadata and the UsdUVTexture's
    sourceColorSpace (`raw`: the file is linear or data, `sRGB` when the name says so).
    Returns how many paths were rewritten; saves the layer."""
    from pxr import Sdf

    sdf_layer = Sdf.Layer.FindOrOpen(os.fspath(layer))
    if sdf_layer is None:
        raise IngestError(f"{layer}: USD cannot open it")
    here = Path(sdf_layer.realPath).parent
    anchor = Path(final_path).absolute().parent if final_path else here
    targets = {os.path.normpath(os.path.abspath(k)): Path(v).absolute()
               for k, v in mapping.items()}
    spaces = {os.path.normpath(os.path.abspath(k)): v for k, v in (colorspaces or {}).items()}
    specs: list[Any] = []
    sdf_layer.Traverse(Sdf.Path.absoluteRootPath, specs.append)
    count = 0
    for path in specs:
        spec = sdf_layer.GetObjectAtPath(path)
        if not isinstance(spec, Sdf.AttributeSpec) or spec.typeName != Sdf.ValueTypeNames.Asset:
            continue
        value = spec.default
        if not isinstance(value, Sdf.AssetPath) or not value.path:
            continue
        current = os.path.normpath(os.path.join(here, value.path))
        target = targets.get(current)
        if target is None:
            continue
        relative = Path(os.path.relpath(target, anchor)).as_posix()
        spec.default = Sdf.AssetPath(relative if relative.startswith("../") else "./" + relative)
        count += 1
        space = spaces.get(str(target))
        if space:
            spec.colorSpace = space
            owner = sdf_layer.GetPrimAtPath(path.GetPrimPath())
            source_space = owner.attributes.get("inputs:sourceColorSpace") if owner else None
            if source_space is not None:
                source_space.default = "sRGB" if "srgb" in space.lower().replace(" ", "") \
                    and "linear" not in space.lower() else "raw"
    sdf_layer.Save()
    return count


def unresolved_paths(layer: str | os.PathLike[str]) -> list[str]:
    """The asset paths a layer names that do not resolve (usd-core's own dependency walk)."""
    from pxr import Sdf, UsdUtils

    with quiet_usd():
        _, _, unresolved = UsdUtils.ComputeAllDependencies(Sdf.AssetPath(os.fspath(layer)))
    return [str(u) for u in unresolved]


# -- publishing -------------------------------------------------------------------------------
def _entry_path(version: Any) -> str:
    """Absolute path of the file a texture version is referenced by (its entry)."""
    found = version.entry_file
    if found is not None:
        return str(found.path)
    rep = next(iter(version.representations))  # a UDIM set: its entry is `name.<UDIM>.ext`
    return rep.path[: len(rep.path) - len(rep.name)] + (version.entry or rep.name)


def ingest_model(lg: Legos, source: str | os.PathLike[str], *, project: str, asset: str,
                 textures_prefix: str | None = None,
                 blender: str | os.PathLike[str] | None = None, dry_run: bool = False,
                 comment: str = "", user: str | None = None, up_axis: str = "Y",
                 texture_step: Any = None, timeout: float = DEFAULT_TIMEOUT) -> Record:
    """Ingest a model file as a ModelAsset version of `asset` whose entry is a USD layer:
    every texture its materials use becomes a TextureAsset version (PREFIX/<file stem>,
    default ASSET/tex) through the texture step, the model depends on each with the material
    input as role, and the published layer names the published texture files by paths
    relative to itself. Returns the record ("textures": one record per texture); never raises
    for bad input: the record fails with a one-line reason."""
    from legos.ingest.usd_asset import Texture
    from legos.ingest.usd_publish import (
        default_texture_step,
        publish_prepared,
        texture_asset_names,
    )
    from legos.layout import relative_folder
    from legos.model import validate_asset_name, validate_project_code

    kind = "ModelAsset"
    record = Record(str(source), FAILED, kind=kind, extra={"textures": [], "warnings": []})
    if dry_run:
        record.extra["dry_run"] = True
    with tempfile.TemporaryDirectory(prefix="legos-ingest-model-") as work:
        try:
            validate_project_code(project)
            validate_asset_name(asset)
            prefix = textures_prefix or f"{asset}/tex"
            validate_asset_name(prefix)
            name = f"{asset.rsplit('/', 1)[-1]}.usda"
            conv = convert_model(source, Path(work) / "model", blender=blender,
                                 up_axis=up_axis, layer_name=name, timeout=timeout,
                                 root_prim=_prim_name(asset.rsplit("/", 1)[-1]))
        except LegosError as exc:
            record.error = one_line(exc)
            return record
        folder = conv.source.parent
        as_usd = {t.path: Texture(
            name=(Path(t.path).relative_to(conv.folder) if t.embedded else
                  Path(t.path).relative_to(folder) if Path(t.path).is_relative_to(folder)
                  else Path(Path(t.path).name)).as_posix(),
            files=[str(t.path)], roles=list(t.roles), colorspace=t.colorspace)
            for t in conv.textures}
        names = texture_asset_names(list(as_usd.values()), prefix)
        records = {t.path: Record(t.source, SKIPPED, kind="TextureAsset",
                                  extra={"asset": names[as_usd[t.path].name], "role": t.role})
                   for t in conv.textures}
        record.extra.update(textures=list(records.values()), warnings=conv.warnings,
                            converter=conv.converter, units_axes=conv.units_axes,
                            timings=conv.timings)
        if dry_run:
            record.status, record.uri = OK, f"legos:/{project}/{asset}"
            for tex in records.values():
                tex.status, tex.uri = OK, f"legos:/{project}/{tex.extra['asset']}"
            return record

        step = texture_step or default_texture_step()
        dependencies: list[tuple[str, str]] = []
        targets: dict[str, str] = {}
        spaces: dict[str, str] = {}
        for texture in conv.textures:
            tex, usd_texture = records[texture.path], as_usd[texture.path]
            try:
                prepared = step(usd_texture, Path(work) / "textures")
            except LegosError as exc:
                tex.status, tex.error = FAILED, one_line(exc)
                continue
            version = publish_prepared(
                lg, prepared, tex, project=project, asset=tex.extra["asset"],
                provenance={"ingest": "model", "source": texture.source, "role": texture.role,
                            "used_by": f"legos:/{project}/{asset}"},
                comment=comment or f"ingested from {texture.source}", user=user)
            if version is None:
                continue
            if prepared.colorspace is not None and prepared.colorspace.get("out"):
                spaces[_entry_path(version)] = prepared.colorspace["out"]
            dependencies.append((texture.role, version.uri))
            targets[str(texture.path)] = _entry_path(version)
        failed = [t for t in records.values() if t.failed]
        if failed:
            record.error = (f"texture {failed[0].source} failed: {failed[0].error}"
                            + (f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""))
            return record
        # Where the layer will live: version folders of one template lie at one depth, so
        # the way up from any number's folder is the same (0 is never a real number)
        final = lg.root / relative_folder(lg.template, project, asset, kind, 0) / name
        try:
            rewrite_texture_paths(conv.layer, targets, final_path=final, colorspaces=spaces)
            version = lg.publish(
                project, asset, kind=kind, files=[conv.layer], entry=name,
                thumbnail=conv.thumbnail, dependencies=dependencies, user=user,
                comment=comment or f"ingested from {conv.source}",
                provenance={**conv.provenance(), "ingest": "model",
                            "rewritten": {k: os.path.relpath(v, lg.root)
                                          for k, v in targets.items()}})
        except LegosError as exc:
            record.error = one_line(exc)
            return record
    record.uri = version.uri
    entry = version.entry_file
    unresolved = unresolved_paths(entry.path) if entry else ["(no entry file)"]
    if unresolved:
        record.error = (f"{version.uri} was published but does not resolve on its own: "
                        f"{'; '.join(unresolved[:3])} (a legos bug: please report it)")
        return record
    record.status = OK
    return record
