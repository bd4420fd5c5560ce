"""Publishing a USD asset (`legos ingest usd`): every texture it uses as a TextureAsset
version, then one version (a ModelAsset unless told) holding its layers with their layout,
its entry the root layer, depending on those texture versions with the material input as role.

The published layers and MaterialX documents name the published texture files by relative
paths (from each published file to the texture's published file, through the publish root),
so the whole root can move and the asset still composes. Layers are rewritten on copies
(UsdUtils.ModifyAssetPaths on a private layer, keeping each file's encoding); nothing under
the source folder changes. After publishing, the root layer is opened from the publish root:
any path usd-core cannot resolve (or a MaterialX filename that is not there) fails the item.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from legos.errors import IngestError, LegosError
from legos.ingest.records import FAILED, OK, SKIPPED, Record, one_line
from legos.ingest.usd_asset import (
    MISSING,
    Texture,
    UsdAsset,
    analyse,
    is_image,
    is_layer,
)
from legos.layout import relative_folder
from legos.model import validate_asset_name, validate_project_code

if TYPE_CHECKING:
    from legos.api import Legos

@dataclass
class PreparedTexture:
    """What the texture step hands over for one texture's version."""

    files: list[str]                      # to publish (source, transcoded texture, ...)
    entry: str | None = None              # the published name of the texture to reference
    thumbnail: str | None = None
    facts: dict[str, dict[str, Any]] | None = None
    provenance: dict[str, Any] | None = None
    colorspace: dict[str, Any] | None = None   # {"in", "out", "rule"}
    notes: list[str] = field(default_factory=list)


TextureStep = Callable[[Texture, Path], PreparedTexture]


def untouched(texture: Texture, workdir: Path) -> PreparedTexture:
    """The texture's source files as they are (where no texture step is installed)."""
    return PreparedTexture(files=list(texture.files), provenance={
        "source": texture.files, "transcoded": False},
        notes=["published untouched: the texture step (legos.ingest.texture) is not available"])


# Colour spaces as USD (sourceColorSpace) and MaterialX spell them, in the pinned config's names
_AUTHORED_SPACES = {"raw": "Raw", "srgb": "sRGB - Texture", "srgb_texture": "sRGB - Texture",
                    "lin_rec709": "Linear Rec.709 (sRGB)", "acescg": "ACEScg",
                    "lin_ap1": "ACEScg"}


def _colour_hints(texture: Texture) -> tuple[str | None, str | None]:
    """(colour space, role) to hand the texture step: the space the file is authored in,
    where the layer says so; a role the colour rules know (a packed map of data inputs reads
    as data)."""
    from legos.ingest.colour import DATA_ROLES

    authored = texture.colorspace
    space = _AUTHORED_SPACES.get(authored.lower(), authored) if authored else None
    roles = texture.roles or []
    if roles and all(r in DATA_ROLES for r in roles):
        return space, roles[0]
    colour = [r for r in roles if r not in DATA_ROLES]
    return space, colour[0] if colour else None


def transcoded(texture: Texture, workdir: Path) -> PreparedTexture:
    """The texture step (legos.ingest.texture) on one texture or UDIM set: the transcoded
    texture is the entry, the untouched source kept under source/, a thumbnail beside."""
    from legos.ingest import texture as step

    space, role = _colour_hints(texture)
    out = workdir / f"{len(list(workdir.glob('*'))) if workdir.exists() else 0:04d}"
    sources = out / "source"
    sources.mkdir(parents=True)
    for file in texture.files:
        shutil.copyfile(file, sources / os.path.basename(file))
    facts: dict[str, dict[str, Any]] = {}
    if texture.is_udim:
        udims = step.group_udims(texture.files)
        if len(udims) != 1 or not isinstance(udims[0], step.UdimSet):
            raise IngestError(f"{texture.name}: its tiles are not one UDIM set")
        result: Any = step.transcode_udim(udims[0], out, colorspace=space, role=role)
        entry = result.texture.name
        for tile in result.tiles.values():
            facts[tile.texture.name] = tile.facts[step.CONTENT].to_dict()
            facts[f"source/{tile.source.name}"] = tile.facts[step.SOURCE].to_dict()
        provenance: dict[str, Any] = {
            "tiles": {str(n): t.provenance for n, t in result.tiles.items()}}
    else:
        result = step.transcode(texture.files[0], out, colorspace=space, role=role)
        entry = result.texture.name
        facts[entry] = result.facts[step.CONTENT].to_dict()
        facts[f"source/{result.source.name}"] = result.facts[step.SOURCE].to_dict()
        provenance = dict(result.provenance)
    thumbnail = result.thumbnail
    if thumbnail is not None:  # published as the version's thumbnail, not a content file
        kept = workdir / f"{out.name}.thumb.png"
        os.replace(thumbnail, kept)
        thumbnail = kept
    colour = result.colour.to_dict()
    provenance.update(colorspace=colour, source=texture.files, reused=result.reused)
    notes = ["reused an earlier transcode (same source, config and settings)"] \
        if result.reused else []
    return PreparedTexture(files=[str(out)], entry=entry,
                           thumbnail=str(thumbnail) if thumbnail else None, facts=facts,
                           provenance=provenance, colorspace=colour, notes=notes)


def publish_prepared(lg: Legos, prepared: PreparedTexture, record: Record, *, project: str,
                     asset: str, provenance: dict[str, Any], comment: str,
                     user: str | None) -> Any:
    """Publish a prepared texture as the next version of `asset` (nothing new when the latest
    has the same content) and fill its record; None when the publish failed (the record says
    why)."""
    try:
        version = lg.publish(
            project, asset, kind="TextureAsset", files=prepared.files, entry=prepared.entry,
            thumbnail=prepared.thumbnail, facts=prepared.facts,
            provenance={**(prepared.provenance or {}), **provenance}, comment=comment,
            user=user, skip_unchanged=True)
    except LegosError as exc:
        record.status, record.error = FAILED, one_line(exc)
        return None
    record.status, record.uri = OK, version.uri
    if prepared.colorspace is not None:
        record.extra["colorspace"] = prepared.colorspace
    if prepared.notes:
        record.extra["notes"] = prepared.notes
    return version


# Blender's bundled OCIO (2.4) lacks the pinned config; use its own newest studio config
_FALLBACK_CONFIG = "ocio://studio-config-latest"


def recorded(texture: Texture, workdir: Path) -> PreparedTexture:
    """The texture's source files untouched, with the colour space its pixels are in decided
    by the colour rules and recorded (facts and provenance): where this OpenImageIO's texture
    maker cannot be trusted (Blender's bundled 3.0 tags an ACEScg EXR as lin_rec709)."""
    from legos.ingest import colour, texture as step

    space, role = _colour_hints(texture)
    try:
        config = colour.load_config().ref
    except IngestError:
        config = colour.load_config(_FALLBACK_CONFIG).ref
    facts: dict[str, dict[str, Any]] = {}
    decision = None
    for file in texture.files:
        found, tag = step.probe(file)
        decision = colour.decide(Path(file), is_float=found.pixel_type in step._FLOATS,
                                 colorspace=space, ocio_config=config, role=role,
                                 header_colorspace=tag, file_format=found.file_format)
        facts[os.path.basename(file)] = step._replace(found, colorspace=decision.source).to_dict()
    assert decision is not None  # a texture has a file
    recorded_space = {"in": decision.source, "out": decision.source,
                      "rule": f"{decision.rule} (published untouched)"}
    entry = os.path.basename(texture.name) if texture.is_udim else \
        os.path.basename(texture.files[0])
    return PreparedTexture(
        files=list(texture.files), entry=entry, facts=facts, colorspace=recorded_space,
        provenance={"source": texture.files, "transcoded": False, "colorspace": recorded_space,
                    "ocio_config": config},
        notes=["published untouched with its colour space recorded: this OpenImageIO's "
               "texture maker is older than 3.2 or lacks the pinned OCIO config"])


def _maker_is_current() -> bool:
    """OpenImageIO 3.2+ with the pinned OCIO config: the transcode legos tests."""
    import OpenImageIO as oiio

    from legos.ingest import colour

    version = str(getattr(oiio, "__version__", None) or oiio.VERSION_STRING)
    if tuple(int(p) for p in version.split(".")[:2] if p.isdigit()) < (3, 2):
        return False
    try:
        colour.load_config()
    except IngestError:
        return False
    return True


def default_texture_step() -> TextureStep:
    """The texture step where OpenImageIO (3.2+) and OpenColorIO are installed; the sources
    untouched with their colour space recorded where the texture maker is older (Blender's
    bundled one); else the sources as they are (said on every texture record)."""
    import importlib.util

    if any(importlib.util.find_spec(m) is None for m in ("OpenImageIO", "PyOpenColorIO")):
        return untouched
    return transcoded if _maker_is_current() else recorded


def texture_asset_names(textures: list[Texture], prefix: str) -> dict[str, str]:
    """An asset name per texture: PREFIX/<file stem>, with parent folders added where two
    textures share a stem (cards/Fancy/XNeg.png, cards/Utah/XNeg.png)."""
    def stem(name: str) -> str:
        base = PurePosixPath(name).name.replace(".<UDIM>", "")
        return base.rsplit(".", 1)[0] if "." in base else base

    def clean(segment: str) -> str:
        out = "".join(c if c.isalnum() or c in "_-." else "_" for c in segment).strip(".")
        return out if out and out[0].isalnum() else f"t{out}"

    depth = {t.name: 0 for t in textures}
    while True:
        names = {}
        for t in textures:
            parents = list(PurePosixPath(t.name).parent.parts)[::-1][:depth[t.name]][::-1]
            names[t.name] = "/".join(clean(p) for p in [*parents, stem(t.name)])
        by_folded: dict[str, list[str]] = {}
        for source, name in names.items():
            by_folded.setdefault(name.lower(), []).append(source)
        clashes = [s for group in by_folded.values() if len(group) > 1 for s in group]
        grown = False
        for source in clashes:
            if depth[source] < len(PurePosixPath(source).parent.parts):
                depth[source] += 1
                grown = True
        if not clashes or not grown:
            break
    return {source: f"{prefix}/{name}" for source, name in names.items()}


def _relative(from_file: str, to_file: str) -> str:
    rel = Path(os.path.relpath(to_file, os.path.dirname(from_file) or ".")).as_posix()
    return rel if rel.startswith("../") else "./" + rel  # a bare name would be a search path


def _texture_path(version: Any) -> str:
    """Root-relative path of the file a texture version is referenced by (its entry; a UDIM
    set's entry is `name.<UDIM>.ext`)."""
    rep = next(iter(version.representations))
    folder = rep.path[: len(rep.path) - len(rep.name)]
    return folder + (version.entry or rep.name)


def _write_materialx(source: str, destination: Path, rewrite: dict[str, str]) -> None:
    import importlib

    mx = importlib.import_module("MaterialX")
    doc = mx.createDocument()
    mx.readFromXmlFile(doc, source)
    for element in doc.traverseTree():
        if element.isA(mx.Input) and element.getType() == "filename":
            resolved = element.getResolvedValueString()  # the fileprefix applied
            element.setValueString(rewrite.get(resolved, resolved))
    for element in doc.traverseTree():  # every value is whole now: prefixes would double it
        if element.hasAttribute("fileprefix"):
            element.removeAttribute("fileprefix")
    if doc.hasAttribute("fileprefix"):
        doc.removeAttribute("fileprefix")
    mx.writeToXmlFile(doc, str(destination))


def _stage(found: UsdAsset, staging: Path, rewrites: dict[str, dict[str, str]]) -> None:
    """Copies of the asset's files under `staging`, layout kept, texture paths rewritten."""
    from pxr import UsdUtils

    from legos.usd.layers import export_args, open_private

    for name, source in found.files.items():
        destination = staging / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        rewrite = rewrites.get(name)
        if not rewrite:
            shutil.copyfile(source, destination)
        elif is_layer(name):
            layer = open_private(source)
            UsdUtils.ModifyAssetPaths(layer, lambda p, r=rewrite: r.get(p, p))
            if not layer.Export(str(destination), args=export_args(source)):
                raise LegosError(f"USD could not write a copy of {name} in {staging}")
        else:
            _write_materialx(source, destination, rewrite)


def _verify(version: Any, found: UsdAsset) -> list[str]:
    """What does not resolve in the published asset: paths usd-core cannot resolve from the
    root layer, and MaterialX filenames that are not there."""
    import importlib

    from legos.usd.layers import all_dependencies

    entry = next(r.path for r in version.representations if r.name == version.entry)
    problems = [f"{p} does not resolve" for p in all_dependencies(entry).unresolved]
    mx = importlib.import_module("MaterialX")
    for rep in version.representations:
        if rep.name not in found.documents:
            continue
        doc = mx.createDocument()
        mx.readFromXmlFile(doc, rep.path)
        for element in doc.traverseTree():
            if element.isA(mx.Input) and element.getType() == "filename":
                value = element.getResolvedValueString()
                target = os.path.join(os.path.dirname(rep.path), value)
                if "<UDIM>" not in value and not os.path.isfile(target):
                    problems.append(f"{value} in {rep.name} does not resolve")
    return problems


def ingest_usd(lg: Legos, path: str | os.PathLike[str], *, project: str, asset: str,
               textures_prefix: str | None = None, entry: str | None = None,
               kind: str = "ModelAsset", dry_run: bool = False, comment: str = "",
               user: str | None = None, texture_step: TextureStep | None = None,
               thumbnail: str | os.PathLike[str] | None = None,
               extra_files: Mapping[str, str | os.PathLike[str]] | None = None) -> Record:
    """Ingest a USD asset (a root layer or a folder) as `asset` in `project`; returns its
    record, with one record per texture under "textures". Never raises for bad input: the
    record fails with a one-line reason, and each problem is listed under "problems".
    `thumbnail` is kept with the version; `extra_files` {published name: file} are published
    beside the asset's own files (a DCC's source scene, `source/scene.blend`)."""
    record = Record(str(path), FAILED, kind=kind, extra={"entry": None, "textures": [],
                                                          "problems": []})
    if dry_run:
        record.extra["dry_run"] = True
    started = time.perf_counter()
    try:
        validate_project_code(project)
        validate_asset_name(asset)
        prefix = textures_prefix or f"{asset}/tex"
        validate_asset_name(prefix)
        found = analyse(path, asset=asset, entry=entry)
    except LegosError as exc:
        record.error = one_line(exc)
        return record
    record.extra.update(entry=found.entry, files=sorted(found.files),
                        problems=[p.to_json() for p in found.problems],
                        analysis_s=round(time.perf_counter() - started, 3))
    textures = list(found.textures.values())
    names = texture_asset_names(textures, prefix)
    texture_records = {t.name: Record(t.files[0] if len(t.files) == 1 else
                                      str(found.folder / t.name), SKIPPED, kind="TextureAsset",
                                      extra={"asset": names[t.name], "role": t.role})
                       for t in textures}
    missing = [Record(p.path, FAILED, kind="TextureAsset", error=p.reason,
                      extra={"asset": None, "role": None})
               for p in found.problems if p.kind == MISSING and is_image(p.path)]
    record.extra["textures"] = list(texture_records.values()) + missing
    if found.problems:
        more = len(found.problems) - 1
        record.error = found.problems[0].reason + (
            f" (and {more} more problem(s))" if more else "")
        for tex in texture_records.values():
            tex.error = "not ingested: the USD asset has problems"
        return record
    if dry_run:
        record.status, record.uri = OK, f"legos:/{project}/{asset}"
        for tex in texture_records.values():
            tex.status, tex.uri = OK, f"legos:/{project}/{tex.extra['asset']}"
        return record

    step = texture_step or default_texture_step()
    published_after = datetime.now(timezone.utc)
    dependencies: list[tuple[str, str]] = []
    published: dict[str, str] = {}   # texture name -> root-relative path of its file
    root = str(lg.root)
    with tempfile.TemporaryDirectory(prefix="legos-ingest-usd-") as work:
        workdir = Path(work)
        for texture in textures:
            tex = texture_records[texture.name]
            try:
                prepared = step(texture, workdir / "textures")
            except LegosError as exc:
                tex.status, tex.error = FAILED, one_line(exc)
                continue
            version = publish_prepared(
                lg, prepared, tex, project=project, asset=names[texture.name],
                provenance={"ingest": "usd", "used_by": f"legos:/{project}/{asset}",
                            "role": texture.role},
                comment=comment or f"ingested from {texture.name}", user=user)
            if version is None:
                continue
            dependencies.append((texture.role, version.uri))
            published[texture.name] = os.path.relpath(_texture_path(version), root)
        failed = [t for t in texture_records.values() if t.failed]
        if failed:
            record.error = (f"texture {failed[0].source} failed: {failed[0].error}"
                            + (f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""))
            return record

        # Every published file of the asset names its textures through the publish root; the
        # version folder's number does not change the way up (folders of a template hold no
        # '/'), and 0 is never a real number, so no common folder is assumed
        folder = relative_folder(lg.template, project, asset, kind, 0)
        rewrites = {where: {text: _relative(f"{folder}/{where}", published[name])
                            for text, name in uses.items()}
                    for where, uses in found.uses.items()}
        staging = workdir / "asset"
        try:
            _stage(found, staging, rewrites)
            for name, file in (extra_files or {}).items():
                if name in found.files or (staging / name).exists():
                    raise IngestError(f"{name}: a file of the USD asset has that name: publish "
                                      "the extra file under another name")
                (staging / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(file, staging / name)
            version = lg.publish(
                project, asset, kind=kind, files=[staging], entry=found.entry,
                thumbnail=thumbnail,
                dependencies=dependencies, comment=comment or f"ingested from {found.folder}",
                user=user, skip_unchanged=True,
                provenance={"ingest": "usd", "source": str(found.folder), "entry": found.entry,
                            "unused": found.unused, "rewritten": rewrites})
        except LegosError as exc:
            record.error = one_line(exc)
            return record
    record.uri = version.uri
    unresolved = _verify(version, found)
    if unresolved:
        record.error = (f"{version.uri} was published but does not resolve on its own: "
                        f"{'; '.join(unresolved[:3])} (a legos bug: please report it)")
        return record
    # the same layers and texture versions as the latest version: nothing new was published
    record.status = SKIPPED if version.created_at < published_after else OK
    return record
