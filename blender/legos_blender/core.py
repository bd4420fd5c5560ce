"""What the legos extension does that needs no bpy: settings, the USD layer that names each
imported prim's legos URI, the stage's render settings, and the publishes. The operators
(operators.py) are a thin shell over this; tests run it with usd-core, without Blender.

pxr is imported inside functions: in Blender it is Blender's own USD (see `use_blender_usd`).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from legos.api import Legos
    from legos.model import Version

URI_PROPERTY = "legos_uri"      # on every imported object: the version it came from
PRIM_PROPERTY = "legos_prim"    # on every imported object: the prim it was made from
PACKAGE_PROPERTY = "legos_package_uri"            # on the scene: the version imported
SETTINGS_PROPERTY = "legos_render_settings_uri"   # on the scene: its render settings member
_USER = "userProperties:"       # Blender's USD importer makes these custom properties


def blender_site_packages(python_dir: str) -> str | None:
    """The folder of the Python packages Blender bundles (pxr, OpenImageIO, PyOpenColorIO,
    MaterialX) under `bpy.utils.system_resource("PYTHON")`."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for folder in (os.path.join(python_dir, "lib", version, "site-packages"),
                   os.path.join(python_dir, "lib", "site-packages")):  # Windows
        if os.path.isdir(folder):
            return folder
    return None


def use_blender_usd(python_dir: str) -> None:
    """Make Blender's bundled USD, OpenImageIO and OpenColorIO importable. Inside Blender they
    are already; the bpy module (pip install bpy) leaves them off sys.path. Never usd-core:
    two USD builds in one process break each other."""
    if importlib.util.find_spec("pxr") is not None:
        return
    folder = blender_site_packages(python_dir)
    if folder and folder not in sys.path:
        sys.path.append(folder)


# -- settings ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Settings:
    """The extension's preferences: empty means what the legos CLI would use."""

    store: str = ""   # "" -> $LEGOS_STORE, else the default embedded store
    root: str = ""    # "" -> $LEGOS_ROOT, else the store's recorded root
    user: str = ""    # "" -> $LEGOS_USER, else the login name
    online: bool = False  # bpy.app.online_access: whether the network may be used

    def location(self) -> str:
        """The store's location; a Neo4j one only with online access allowed (Blender's rule
        for extensions: no network unless the user allowed it)."""
        from legos.errors import ConfigError
        from legos.store.connect import is_neo4j_uri, resolve_location

        location = resolve_location(self.store or None)
        if is_neo4j_uri(location) and not self.online:
            raise ConfigError(f"the legos store {location} is a Neo4j server and Blender does "
                              "not allow online access: tick Preferences > System > Network > "
                              "Allow Online Access (or start Blender with --online-mode)")
        return location

    def open(self) -> Legos:
        import legos

        return legos.open(self.location(), self.root or os.environ.get("LEGOS_ROOT") or None)

    @property
    def user_or_none(self) -> str | None:
        return self.user or None


# -- import ----------------------------------------------------------------------------------
def _innermost(members: Iterable[Any], prim_path: str) -> Any | None:
    """The member whose prim holds `prim_path`, the deepest one for nested packages."""
    best = None
    for member in members:
        path = str(member.prim_path)
        if path and (prim_path == path or prim_path.startswith(path.rstrip("/") + "/")) and \
                (best is None or len(path) > len(str(best.prim_path))):
            best = member
    return best


def tag_layer(assembled: str | os.PathLike[str], out: str | os.PathLike[str],
              members: Iterable[Any], root_uri: str) -> str:
    """Write `out`: a layer over the assembled stage naming, on every prim Blender makes an
    object of, the legos URI it comes from (its innermost member, else the imported version)
    and its prim path, as userProperties that the importer turns into custom properties.
    The assembled layer is not touched."""
    from pxr import Sdf, Usd, UsdGeom

    members = list(members)
    base = Sdf.Layer.FindOrOpen(os.fspath(assembled))
    layer = Sdf.Layer.CreateNew(os.fspath(out))
    layer.subLayerPaths.append(os.path.abspath(assembled))
    for key in ("upAxis", "metersPerUnit", "defaultPrim", "renderSettingsPrimPath"):
        if base.pseudoRoot.HasInfo(key):  # stage metadata is read from the root layer only
            layer.pseudoRoot.SetInfo(key, base.pseudoRoot.GetInfo(key))
    stage = Usd.Stage.Open(layer)
    stage.SetEditTarget(layer)
    for prim in stage.Traverse():
        if not prim.IsA(UsdGeom.Imageable):
            continue
        path = str(prim.GetPath())
        member = _innermost(members, path)
        uri = str(member.uri) if member is not None else root_uri
        prim.CreateAttribute(_USER + URI_PROPERTY, Sdf.ValueTypeNames.String).Set(uri)
        prim.CreateAttribute(_USER + PRIM_PROPERTY, Sdf.ValueTypeNames.String).Set(path)
    layer.Save()
    return os.fspath(out)


@dataclass(frozen=True)
class RenderSettings:
    """The stage's UsdRender.Settings, as the lookdev content authors them."""

    prim_path: str
    resolution: tuple[int, int] | None = None
    camera: str | None = None     # prim path of the camera
    samples: int | None = None    # int cycles:samples
    seed: int | None = None       # int cycles:seed
    denoise: bool | None = None   # bool cycles:use_denoising (OIDN's output may vary by CPU)


def render_settings(stage: Any) -> RenderSettings | None:
    """The render settings prim at the stage's renderSettingsPrimPath (None without one)."""
    from pxr import UsdRender

    path = stage.GetMetadata("renderSettingsPrimPath")
    if not path:
        return None
    settings = UsdRender.Settings.Get(stage, path)
    if not settings:
        return None
    resolution = settings.GetResolutionAttr().Get() if settings.GetResolutionAttr() else None
    targets = settings.GetCameraRel().GetForwardedTargets() if settings.GetCameraRel() else []

    def integer(name: str) -> int | None:
        attr = settings.GetPrim().GetAttribute(name)
        value = attr.Get() if attr else None
        return int(value) if value is not None else None

    def flag(name: str) -> bool | None:
        attr = settings.GetPrim().GetAttribute(name)
        value = attr.Get() if attr else None
        return bool(value) if value is not None else None

    return RenderSettings(
        prim_path=str(path),
        resolution=(int(resolution[0]), int(resolution[1])) if resolution is not None else None,
        camera=str(targets[0]) if targets else None,
        samples=integer("cycles:samples"), seed=integer("cycles:seed"),
        denoise=flag("cycles:use_denoising"))


def render_settings_uri(members: Iterable[Any], settings: RenderSettings | None) -> str | None:
    """The member version the render settings come from."""
    members = list(members)
    if settings is not None:
        member = _innermost(members, settings.prim_path)
        if member is not None:
            return str(member.uri)
    found = [m for m in members if getattr(m, "kind", None) == "RenderSettingsAsset"]
    return str(found[0].uri) if len(found) == 1 else None


# -- publish ---------------------------------------------------------------------------------
def finding_line(finding: Any) -> str:
    """A legos.hooks.Finding as one line of a report."""
    return f"{finding.level}: {finding}"


class PublishFailed(Exception):
    """A publish from Blender that did not happen: why, and every finding of the publish
    hooks (legos.hooks.Finding: the errors that stopped it, warnings, infos)."""

    def __init__(self, message: str, findings: Iterable[Any] = ()) -> None:
        super().__init__(message)
        self.findings = list(findings)


@dataclass
class Published:
    version: Version
    textures: list[str] = field(default_factory=list)   # texture version URIs
    findings: list[Any] = field(default_factory=list)   # the hooks' warnings and infos


def publish_export(lg: Legos, folder: str | os.PathLike[str], entry: str, *, project: str,
                   asset: str, kind: str, comment: str = "", user: str | None = None,
                   thumbnail: str | os.PathLike[str] | None = None,
                   blend: str | os.PathLike[str] | None = None) -> Published:
    """Publish a folder Blender's USD export wrote (`entry` its root layer, textures beside):
    every texture through the ingest texture step as a TextureAsset version the new version
    depends on, the layer re-pointed at the published textures (legos.ingest.usd_publish),
    the .blend kept as `source/<name>.blend`, and the thumbnail."""
    from legos import hooks
    from legos.errors import LegosError
    from legos.ingest.usd_publish import ingest_usd

    extra = {f"source/{Path(blend).name}": blend} if blend else None
    comment = comment or f"published from Blender ({Path(blend).name if blend else entry})"
    with hooks.collect() as findings:
        try:
            record = ingest_usd(lg, folder, project=project, asset=asset, kind=kind,
                                entry=entry, comment=comment, user=user, thumbnail=thumbnail,
                                extra_files=extra)
        except LegosError as exc:
            raise PublishFailed(str(exc), findings) from exc
    if record.failed:
        raise PublishFailed(record.error or "the publish failed", findings)
    version = lg.show(str(record.uri))
    textures = [t.uri for t in record.extra.get("textures", []) if t.uri]
    return Published(version, textures, findings)


def publish_render(lg: Legos, image: str | os.PathLike[str], *, project: str, asset: str,
                   package_uri: str, render_settings_uri: str | None = None,
                   comment: str = "", user: str | None = None,
                   thumbnail: str | os.PathLike[str] | None = None,
                   provenance: dict[str, Any] | None = None) -> Published:
    """Publish a rendered image as the next RenderAsset version, depending on the package
    version it was rendered from (role "package") and on its render settings member
    (role "render_settings")."""
    from legos import hooks
    from legos.errors import LegosError

    dependencies = [("package", package_uri)]
    if render_settings_uri:
        dependencies.append(("render_settings", render_settings_uri))
    with hooks.collect() as findings:
        try:
            version = lg.publish(project, asset, kind="RenderAsset", files=[image],
                                 dependencies=dependencies, comment=comment, user=user,
                                 thumbnail=thumbnail, provenance=provenance)
        except LegosError as exc:
            raise PublishFailed(str(exc), findings) from exc
    return Published(version, [], findings)
