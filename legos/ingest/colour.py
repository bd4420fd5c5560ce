"""The colour rules of texture ingest, in one place: which OCIO config, which colour space a
source is read in, which one it is written in, and the rule that chose them.

    d = decide("vendor/wood_albedo.png", is_float=False)
    d.source, d.target, d.rule   # 'sRGB Encoded Rec.709 (sRGB)', 'ACEScg', 'default:integer-is-srgb'

The first rule that answers wins:
  1. explicit      `--colorspace` / `colorspace=` (checked against the config)
  2. data-map      a data map recognised from its file name (normal, roughness, metallic, height,
                   displacement, bump, opacity, mask, ambient occlusion, packed ORM/ARM, ...) or
                   from the material input it feeds (`role=`): read and written as the config's
                   data space (Raw), never converted
  3. filename      a colour space of the config named in the file name (`neutral.ACEScg.exr`)
  4. header        an EXR/TIFF header tag the config knows (OIIO only guesses for 8-bit formats;
                   a legos-made EXR says lin_ap1_scene, and is not converted twice)
  5. file-rules    a rule of the config's FileRules other than its catch-all Default (in the
                   pinned ACES config: `*.exr` is ACES2065-1, the ACES container convention)
  6. default       legos defaults studios expect where the config has only its Default rule:
                   8/16-bit images are sRGB ("sRGB - Texture"), float images are linear with
                   Rec.709 primaries ("Linear Rec.709 (sRGB)": HDRIs and vendor EXR/HDR maps
                   are, and OIIO tags .hdr so)
Colour maps are written in the config's `scene_linear` role (ACEScg in the pinned config).
Names are the config's canonical ones ("sRGB - Texture" is recorded as its name,
"sRGB Encoded Rec.709 (sRGB)").
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from legos.errors import IngestError

if TYPE_CHECKING:
    import PyOpenColorIO

# Both OIIO's built-in OCIO (2.5) and opencolorio 2.6 know this one; `-latest` and
# `ocio://default` mean different configs in each (LIBRARY-NOTES.md)
DEFAULT_CONFIG = "ocio://studio-config-v4.0.0_aces-v2.0_ocio-v2.5"

# File-name tokens of maps that hold data, not colour (lower case, whole tokens)
DATA_TOKENS = frozenset({
    "normal", "normals", "nor", "nrm", "nrml", "norm", "normalgl", "normaldx", "norgl", "nordx",
    "nmap",
    "rough", "roughness", "rgh", "gloss", "glossiness", "shininess",
    "metal", "metallic", "metalness",
    "disp", "displace", "displacement", "height", "heightmap", "hgt", "bump", "bumpmap",
    "opacity", "alpha", "transparency", "mask", "masks", "matte", "cutout",
    "ao", "occlusion", "ambientocclusion", "cavity", "curvature", "thickness",
    "orm", "arm", "rma", "mra", "rmo", "packed", "id", "matid", "vector", "flow", "position",
})
# Tokens of colour maps: vendors put the map type last (`robot_arm_diffuse`, `stool_arm_1k`),
# so the token nearest the end of either kind decides
COLOUR_TOKENS = frozenset({
    "diffuse", "diff", "dif", "albedo", "alb", "basecolor", "basecolour", "color", "colour",
    "col", "bc", "emission", "emissive", "emit", "subsurface", "sss", "sheen", "tint",
})
_DATA_PAIRS = {"ambientocclusion", "norgl", "nordx", "normalgl", "normaldx", "basecolor"}
# Material inputs (legos.ingest roles) that read data
DATA_ROLES = frozenset({
    "normal", "roughness", "metallic", "occlusion", "opacity", "displacement",
    "clearcoat_roughness", "bump", "height", "mask",
})
_SRGB_TEXTURE = ("sRGB - Texture", "srgb_tx", "srgb_texture", "Utility - sRGB - Texture")
_LINEAR_REC709 = ("Linear Rec.709 (sRGB)", "lin_rec709_srgb", "lin_srgb", "Utility - Linear - sRGB")
_HEADER_FORMATS = {"openexr", "tiff"}  # formats whose colour tag OIIO reads, never guesses
_TOKEN = re.compile(r"[A-Za-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@dataclass(frozen=True)
class ColourDecision:
    """How one texture is read and written. `source`/`target` are config colour space names."""

    source: str
    target: str
    rule: str
    config: str          # the config's name or path as given
    is_data: bool = False

    @property
    def converts(self) -> bool:
        return not self.is_data and self.source != self.target

    def to_dict(self) -> dict[str, str]:
        return {"in": self.source, "out": self.target, "rule": self.rule}


@dataclass(frozen=True)
class ConfigInfo:
    """An OCIO config and what identifies it in a cache key and in provenance."""

    ref: str              # what OIIO is handed: an ocio:// URI or a file path
    name: str
    cache_id: str
    file_sha256: str | None
    ocio_version: str
    config: Any           # PyOpenColorIO.Config

    def identity(self) -> dict[str, str | None]:
        return {"ref": self.ref, "name": self.name, "cache_id": self.cache_id,
                "file_sha256": self.file_sha256}


_configs: dict[str, ConfigInfo] = {}


def config_ref(ocio_config: str | os.PathLike[str] | None = None) -> str:
    """The config to use: the one given, else $OCIO, else the pinned built-in ACES config."""
    if ocio_config:
        return os.fspath(ocio_config)
    return os.environ.get("OCIO") or DEFAULT_CONFIG


def load_config(ocio_config: str | os.PathLike[str] | None = None) -> ConfigInfo:
    ref = config_ref(ocio_config)
    seen = ref
    if not ref.startswith("ocio://"):
        path = Path(ref)
        if not path.is_file():
            raise IngestError(f"OCIO config {ref!r} is not a file: give a config path or an "
                              f"ocio:// built-in name (default {DEFAULT_CONFIG})")
        seen = f"{path.resolve()}@{path.stat().st_mtime_ns}"  # an edited config is read again
    if seen in _configs:
        return _configs[seen]
    import PyOpenColorIO as ocio

    file_sha = None
    if not ref.startswith("ocio://"):
        ref = str(Path(ref).resolve())
        file_sha = hashlib.sha256(Path(ref).read_bytes()).hexdigest()
    try:
        cfg = ocio.Config.CreateFromFile(ref)
        cfg.validate()
    except Exception as exc:  # OCIO raises its own Exception type with the reason
        raise IngestError(f"OCIO config {ref!r} cannot be loaded: {exc}") from None
    info = ConfigInfo(ref=ref, name=cfg.getName() or Path(ref).stem, cache_id=cfg.getCacheID(),
                      file_sha256=file_sha, ocio_version=ocio.__version__, config=cfg)
    _configs[seen] = info
    return info


def canonical(cfg: PyOpenColorIO.Config, name: str) -> str | None:
    """The config's own name for a colour space, role, alias or interop id (None if unknown)."""
    space = cfg.getColorSpace(name)
    if space is None and cfg.hasRole(name):
        space = cfg.getColorSpace(cfg.getRoleColorSpace(name))
    if space is None:  # an interop id (lin_ap1_scene) that is not also an alias
        for each in cfg.getColorSpaces():
            if each.getInteropID() == name:
                return str(each.getName())
        return None
    return str(space.getName())


def _first(cfg: PyOpenColorIO.Config, names: tuple[str, ...], what: str) -> str:
    for name in names:
        found = canonical(cfg, name)
        if found:
            return found
    raise IngestError(f"the OCIO config {cfg.getName()!r} has no colour space for {what} "
                      f"(looked for {', '.join(names)}): give --colorspace")


def data_space(cfg: PyOpenColorIO.Config) -> str:
    if cfg.hasRole("data"):
        return str(canonical(cfg, "data"))
    for space in cfg.getColorSpaces():
        if space.isData():
            return str(space.getName())
    return _first(cfg, ("Raw", "raw", "Utility - Raw"), "data maps")


def working_space(cfg: PyOpenColorIO.Config) -> str:
    return _first(cfg, ("scene_linear", "ACEScg", "lin_ap1_scene"), "the working space")


def name_tokens(path: str | os.PathLike[str]) -> list[str]:
    """Lower-case words of a file's stem: `WoodFloor_Roughness_4K.1001` -> wood, floor, ..."""
    stem = Path(path).name.split(".", 1)[0]
    words = _TOKEN.findall(_CAMEL.sub(" ", stem))
    return [w.lower() for w in words]


def data_token(path: str | os.PathLike[str]) -> str | None:
    """The file-name token that makes a file a data map, if any (a colour token nearer the end
    of the name wins: `robot_arm_diffuse` is colour, `stool_arm_1k` is data)."""
    tokens = name_tokens(path)
    # "nor_gl", "ambient_occlusion", "base_color" spread over two tokens
    words = [a + b if a + b in _DATA_PAIRS else a
             for a, b in zip(tokens, tokens[1:] + [""], strict=True)]
    for word in reversed(words):
        if word in DATA_TOKENS:
            return word
        if word in COLOUR_TOKENS:
            return None
    return None


def _named_space(cfg: PyOpenColorIO.Config, path: str) -> tuple[str, str] | None:
    """A colour space named by a dot-separated part of the file name (`neutral.ACEScg.exr`);
    underscore-separated words are not read, as aliases such as `none` or `aces` are words."""
    parts = Path(path).name.split(".")[1:-1]
    for part in reversed(parts):  # the part nearest the extension names the encoding
        found = canonical(cfg, part) if len(part) > 2 and not part.isdigit() else None
        if found:
            return part, found
    return None


def decide(path: str | os.PathLike[str], *, is_float: bool, colorspace: str | None = None,
           ocio_config: str | os.PathLike[str] | None = None, role: str | None = None,
           header_colorspace: str | None = None, file_format: str | None = None
           ) -> ColourDecision:
    """Choose the input and output colour space of one texture (see the module's rules)."""
    info = load_config(ocio_config)
    cfg = info.config
    name = os.fspath(path)
    data = data_space(cfg)
    work = working_space(cfg)

    def colour(source: str, rule: str) -> ColourDecision:
        if cfg.getColorSpace(source).isData():
            return ColourDecision(source, source, rule, info.ref, is_data=True)
        return ColourDecision(source, work, rule, info.ref)

    if colorspace:
        found = canonical(cfg, colorspace)
        if found is None:
            raise IngestError(f"colour space {colorspace!r} is not in the OCIO config "
                              f"{info.name!r}: give one of its names (e.g. 'sRGB - Texture', "
                              f"'ACEScg', 'Raw')")
        return colour(found, "explicit")
    if role and role.lower() in DATA_ROLES:
        return ColourDecision(data, data, f"data-map:role={role.lower()}", info.ref, True)
    token = data_token(name)
    if token:
        return ColourDecision(data, data, f"data-map:{token}", info.ref, is_data=True)
    named = _named_space(cfg, name)
    if named:
        return colour(named[1], f"filename:{named[0]}")
    if header_colorspace and file_format in _HEADER_FORMATS:
        found = canonical(cfg, header_colorspace)
        if found:
            return colour(found, f"header:{header_colorspace}")
    if not cfg.filepathOnlyMatchesDefaultRule(name):
        rules = cfg.getFileRules()
        space, index = _from_file_rules(cfg, name)
        return colour(str(canonical(cfg, space) or space), f"file-rules:{rules.getName(index)}")
    if is_float:
        return colour(_first(cfg, _LINEAR_REC709, "float images"), "default:float-is-linear")
    return colour(_first(cfg, _SRGB_TEXTURE, "8/16-bit images"), "default:integer-is-srgb")


def _from_file_rules(cfg: PyOpenColorIO.Config, name: str) -> tuple[str, int]:
    found = cfg.getColorSpaceFromFilepath(name)
    if isinstance(found, tuple):  # the binding returns (name, rule index)
        return str(found[0]), int(found[1])
    rules = cfg.getFileRules()
    return str(found), rules.getIndexForRule(rules.getName(rules.getNumEntries() - 1))
