"""The registry of asset kinds: built-ins plus whatever plugins add through entry points.

A plugin advertises a callable in the `legos.asset_kinds` entry-point group that returns a list
of `AssetKind` (or None to opt out, e.g. when its host application is missing). A plugin that
fails to load is recorded in `load_failures()` instead of breaking legos.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from importlib.metadata import entry_points

from legos.errors import InvalidInputError, UnknownKindError

ENTRY_POINT_GROUP = "legos.asset_kinds"
_KIND_NAME = re.compile(r"^[A-Z][A-Za-z0-9]{2,63}\Z")


@dataclass(frozen=True)
class AssetKind:
    name: str
    description: str
    default_role: str          # the role a dependency on this kind gets when none is given
    is_package: bool = False   # packages hold member versions (CONTAINS)
    # whether a version must hold files (a texture without an image is a mistake); None: all
    # but packages, whose content is their members
    needs_files: bool | None = None

    def __post_init__(self) -> None:
        if self.needs_files is None:
            object.__setattr__(self, "needs_files", not self.is_package)


def builtin_kinds() -> list[AssetKind]:
    return [
        AssetKind("ModelAsset", "geometry: a model or a set of USD layers", "model"),
        AssetKind("TextureAsset", "an image used by a material", "texture"),
        AssetKind("MaterialAsset", "a shading network", "material"),
        AssetKind("LookBindingAsset", "material bindings of a model", "look_binding"),
        AssetKind("LightRigAsset", "a light rig", "light_rig"),
        AssetKind("CameraAsset", "a camera or camera rig", "camera"),
        AssetKind("RenderSettingsAsset", "render settings", "render_settings"),
        AssetKind("HdrAsset", "an HDR environment map", "hdr"),
        AssetKind("RenderAsset", "rendered images (a QC render, a comp)", "render"),
        AssetKind("FileAsset", "any other file", "source"),
        AssetKind("LookDevPackage", "a model with its looks, ready for QC", "lookdev", True),
        AssetKind("CharacterPackage", "everything that makes a character", "character", True),
        AssetKind("ShotPackage", "everything a shot renders with", "shot", True),
        AssetKind("AssetPackage", "a generic collection of assets", "package", True),
    ]


class KindRegistry:
    def __init__(self) -> None:
        self._kinds: dict[str, AssetKind] = {}
        self._failures: dict[str, str] = {}
        self._loaded = False
        self._lock = threading.Lock()

    def register(self, kind: AssetKind) -> None:
        if not _KIND_NAME.match(kind.name):
            raise InvalidInputError(
                f"asset kind name {kind.name!r} is not valid: use CamelCase, e.g. 'GroomAsset'"
            )
        self._kinds[kind.name] = kind

    def _load(self) -> None:
        with self._lock:
            if self._loaded:
                return
            for kind in builtin_kinds():
                self.register(kind)
            for ep in entry_points(group=ENTRY_POINT_GROUP):
                if ep.value == "legos.kinds:builtin_kinds":
                    continue
                try:
                    provided = ep.load()()
                    for kind in provided or ():
                        self.register(kind)
                except Exception as exc:  # a broken plugin must not break legos
                    self._failures[ep.name] = f"{type(exc).__name__}: {exc}"
            self._loaded = True

    def get(self, name: str) -> AssetKind:
        self._load()
        try:
            return self._kinds[name]
        except KeyError:
            known = ", ".join(sorted(self._kinds))
            raise UnknownKindError(
                f"unknown asset kind {name!r}: use one of {known}, "
                f"or register it through the '{ENTRY_POINT_GROUP}' entry point"
            ) from None

    def all(self) -> list[AssetKind]:
        self._load()
        return sorted(self._kinds.values(), key=lambda k: k.name)

    def load_failures(self) -> dict[str, str]:
        self._load()
        return dict(self._failures)


registry = KindRegistry()
