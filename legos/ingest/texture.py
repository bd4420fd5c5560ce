"""The texture ingest step, as pure functions over files: check a vendor image, decide its
colour, make a tiled, mipmapped texture with OpenImageIO's texture maker, a small thumbnail,
and the facts of each file. Knows no store: publishing records what this returns.

    result = transcode("drop/wood_albedo.png", "out/")     # out/wood_albedo.exr (+ .thumb.png)
    result.colour.to_dict()     # {'in': 'sRGB Encoded Rec.709 (sRGB)', 'out': 'ACEScg', ...}
    result.facts["texture"]     # ImageFacts(width=..., pixel_type='half', mip_levels=12, ...)
    for item in group_udims(paths): ...   # a Path, or a UdimSet for `albedo.1001.png` ...

Decisions (docs in the functions they belong to):
- output: OpenEXR, tiled 64x64, zip, mipmapped; half, except that 32-bit float sources stay
  float (an EXR already float is not degraded) and 16-bit data maps become float (half cannot
  hold 65536 steps: a height map would band). `fmt="tx"` writes OIIO's TIFF texture, which
  holds no colour-space tag and ignores half (float is written): the tag lives in the record.
- alpha is read as authored (straight, `oiio:UnassociatedAlpha`): OIIO would otherwise
  premultiply a PNG in 8 bits and lose colour where alpha is low, and a data map's RGB must
  come out bit-faithful.
- the header's colour tag is cleared on the source and set to the target space (OIIO copies
  the source's tag otherwise), then read back and checked.
- thumbnail `<stem>.thumb.png`: at most 128 px, 8-bit sRGB (colour maps converted from the
  working space; data maps shown raw), made from a small mip level; never the entry.
- refused before decoding: a missing, empty or unreadable file, an extension OIIO does not
  read, an extension that lies about the content, more than `max_pixels` pixels (default
  2**30 = 32768x32768: a decompression bomb, or more than one ingest job can hold), deep
  images; refused after decoding: a truncated file (OIIO reads a cut JPEG without an error, so
  its end marker is checked). Nothing half-written: files are made in a staging folder and
  renamed into place.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from legos.errors import IngestError
from legos.ingest.cache import CacheKey, TextureCache, cache_key, file_sha256, tool_versions
from legos.ingest.colour import ColourDecision, canonical, decide, load_config

if TYPE_CHECKING:
    import OpenImageIO

FORMATS = ("exr", "tx")
MAX_PIXELS = 1 << 30
THUMBNAIL_SIZE = 128
THUMBNAIL_SUFFIX = ".thumb.png"
TILE = 64
COMPRESSION = "zip"
UDIM = "<UDIM>"
_TAGS = ("oiio:ColorSpace", "colorInteropID", "Exif:ColorSpace")
_FLOATS = {"half", "float", "double"}
_UDIM_NAME = re.compile(r"^(?P<stem>.+)\.(?P<tile>1\d{3})\.(?P<ext>[^.]+)$")
# cache entry file names (the published names come from the source's stem)
_ENTRY_THUMB = "thumb.png"

# roles of a result's files, as the publishing side records them
SOURCE = "source"
CONTENT = "content"
THUMBNAIL = "thumbnail"
SOURCE_FOLDER = "source"  # where a version keeps the untouched source files

CacheArg = TextureCache | str | os.PathLike[str] | Literal[False] | None


@dataclass(frozen=True)
class ImageFacts:
    """What a file's header says (read without decoding pixels)."""

    width: int
    height: int
    channels: int
    pixel_type: str            # uint8, uint16, half, float, ...
    colorspace: str | None     # the config's name for the space the pixels are in
    mip_levels: int
    tiled: bool
    file_format: str           # OIIO's reader name: png, jpeg, openexr, tiff, hdr, ...

    def to_dict(self) -> dict[str, Any]:
        return {"width": self.width, "height": self.height, "channels": self.channels,
                "pixel_type": self.pixel_type, "colorspace": self.colorspace,
                "mip_levels": self.mip_levels, "tiled": self.tiled}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImageFacts:
        return cls(**data)


@dataclass(frozen=True)
class TextureResult:
    """One transcoded texture: its files (source, texture, thumbnail), colour and facts."""

    source: Path
    texture: Path
    thumbnail: Path | None
    colour: ColourDecision
    facts: dict[str, ImageFacts]        # by role: source, content, thumbnail
    cache_key: str
    reused: bool
    provenance: dict[str, Any] = field(hash=False)

    def files(self) -> list[tuple[Path, str]]:
        """(path, role) of each file a version holds; the texture (role content) is the entry."""
        out = [(self.texture, CONTENT), (self.source, SOURCE)]
        if self.thumbnail is not None:
            out.append((self.thumbnail, THUMBNAIL))
        return out

    def layout(self) -> dict[str, tuple[Path, str, ImageFacts]]:
        """Published name -> (file, role, facts) for the version's content files: the texture
        under its own name (the entry), the untouched source under `source/` (a source EXR
        and the transcoded EXR share a name). The thumbnail is published apart."""
        return {self.texture.name: (self.texture, CONTENT, self.facts[CONTENT]),
                f"{SOURCE_FOLDER}/{self.source.name}": (self.source, SOURCE, self.facts[SOURCE])}

    def to_dict(self) -> dict[str, Any]:
        return {"source": str(self.source), "texture": str(self.texture),
                "thumbnail": str(self.thumbnail) if self.thumbnail else None,
                "colorspace": self.colour.to_dict(), "reused": self.reused,
                "cache_key": self.cache_key,
                "facts": {role: f.to_dict() for role, f in self.facts.items()},
                "provenance": self.provenance}


# ---------------------------------------------------------------------------------- checks

def _oiio() -> Any:
    import OpenImageIO

    return OpenImageIO


def _extensions() -> dict[str, set[str]]:
    """OIIO's readers by extension: {'png': {'png'}, 'tif': {'tiff'}, ...}."""
    found: dict[str, set[str]] = {}
    for entry in _oiio().get_string_attribute("extension_list").split(";"):
        fmt, _, exts = entry.partition(":")
        for ext in exts.split(","):
            found.setdefault(ext.lower(), set()).add(fmt)
    return found


def _oiio_error(default: str) -> str:
    message = _oiio().geterror().strip().splitlines()
    return message[-1] if message else default


def probe(path: str | os.PathLike[str], *, max_pixels: int = MAX_PIXELS) -> tuple[ImageFacts, str | None]:
    """Check a source from its header and return its facts and the colour tag its header holds.

    Raises IngestError for anything that cannot become a texture, before any pixel is decoded.
    """
    path = Path(path)
    try:
        real = path.resolve(strict=True)
    except RuntimeError:  # Python < 3.13 reports a symlink loop so
        raise IngestError(f"{path}: a symlink loop, not an image") from None
    except OSError as exc:
        raise IngestError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not real.is_file():
        raise IngestError(f"{path}: not a file")
    if real.stat().st_size == 0:
        raise IngestError(f"{path}: an empty (zero-byte) file, not an image")
    ext = path.suffix.lower().lstrip(".")
    readers = _extensions().get(ext)
    if not readers or ext in {"null", "nul", "term"}:
        raise IngestError(f"{path}: .{ext or '(no extension)'} is not an image format legos "
                          f"can ingest (OpenImageIO reads exr, tif, png, jpg, hdr, tga, ...)")
    oiio = _oiio()
    hint = oiio.ImageSpec()
    hint.attribute("oiio:UnassociatedAlpha", 1)
    inp = oiio.ImageInput.open(str(real), hint)
    if inp is None:
        raise IngestError(f"{path}: not a readable {ext} image ({_oiio_error('unknown error')})")
    try:
        if inp.format_name() not in readers:
            raise IngestError(f"{path}: named .{ext} but holds {inp.format_name()} data "
                              f"(a mislabelled file): rename it to its real extension")
        spec = inp.spec()
        pixels = spec.width * spec.height * max(spec.depth, 1)
        if spec.width <= 0 or spec.height <= 0:
            raise IngestError(f"{path}: its header claims {spec.width}x{spec.height} pixels")
        if pixels > max_pixels:
            raise IngestError(
                f"{path}: {spec.width}x{spec.height} is {pixels:,} pixels, above the limit of "
                f"{max_pixels:,} (a decompression bomb, or too large for one ingest job): "
                f"raise max_pixels if it is real")
        if spec.deep:
            raise IngestError(f"{path}: a deep image, not a texture")
        levels = 1
        while inp.seek_subimage(0, levels):
            levels += 1
        tag = spec.get_string_attribute("oiio:ColorSpace") or None
        facts = ImageFacts(width=spec.width, height=spec.height, channels=spec.nchannels,
                           pixel_type=str(spec.format), colorspace=tag, mip_levels=levels,
                           tiled=spec.tile_width > 0, file_format=inp.format_name())
    finally:
        inp.close()
    return facts, tag


def image_facts(path: str | os.PathLike[str], ocio_config: str | None = None) -> ImageFacts:
    """The facts of an image file, its colour tag named as the OCIO config names it."""
    facts, tag = probe(path, max_pixels=1 << 62)
    if tag:
        name = canonical(load_config(ocio_config).config, tag)
        facts = _replace(facts, colorspace=name or tag)
    return facts


def _replace(facts: ImageFacts, **changes: Any) -> ImageFacts:
    return ImageFacts(**{**facts.__dict__, **changes})


def _jpeg_is_whole(path: Path) -> bool:
    """A JPEG ends with its EOI marker after its last scan (libjpeg pads a cut file with grey
    and OIIO reports no error). Entropy-coded data stuffs 0xFF, so FFD9 there is the marker."""
    data = path.read_bytes()
    last_scan = data.rfind(b"\xff\xda")
    return last_scan >= 0 and data.find(b"\xff\xd9", last_scan) >= 0


def _read(path: Path, facts: ImageFacts) -> OpenImageIO.ImageBuf:
    oiio = _oiio()
    hint = oiio.ImageSpec()
    hint.attribute("oiio:UnassociatedAlpha", 1)
    buf = oiio.ImageBuf(str(path.resolve()), 0, 0, hint)
    if not buf.read(0, 0, True) or buf.has_error:
        reason = buf.geterror().strip().splitlines() if buf.has_error else []
        raise IngestError(f"{path}: the image is damaged or truncated "
                          f"({reason[-1] if reason else _oiio_error('read failed')})")
    if facts.file_format == "jpeg" and not _jpeg_is_whole(path):
        raise IngestError(f"{path}: a truncated JPEG (its end marker is missing)")
    return buf


# ------------------------------------------------------------------------------- making

def output_pixel_type(source_type: str, decision: ColourDecision, fmt: str) -> str:
    """half by default; float where half would lose what the source holds."""
    if fmt == "tx":
        return "float"  # OIIO's TIFF texture writes float whatever is asked (LIBRARY-NOTES.md)
    if source_type in ("float", "double"):
        return "float"
    if decision.is_data and source_type in ("uint16", "int16", "uint32", "int32"):
        return "float"
    return "half"


def _make_texture(buf: Any, out: Path, configspec: Any) -> bool:
    """OIIO's texture maker (a seam the tests spy on to see that a cache hit makes nothing)."""
    oiio = _oiio()
    return bool(oiio.ImageBufAlgo.make_texture(oiio.MakeTxTexture, buf, str(out), configspec))


def texture_spec(decision: ColourDecision, pixel_type: str, config_ref: str) -> Any:
    """The texture maker's settings (the same ones the benchmark hands OIIO directly)."""
    oiio = _oiio()
    spec = oiio.ImageSpec()
    spec.format = oiio.TypeDesc(pixel_type)
    spec.tile_width = spec.tile_height = TILE
    spec.tile_depth = 1
    spec.attribute("compression", COMPRESSION)
    if decision.converts:
        spec.attribute("maketx:incolorspace", decision.source)
        spec.attribute("maketx:outcolorspace", decision.target)
        spec.attribute("maketx:colorconfig", config_ref)
    return spec


def _thumbnail(texture: Path, out: Path, decision: ColourDecision, config_ref: str) -> None:
    import numpy as np

    oiio = _oiio()
    inp = oiio.ImageInput.open(str(texture))
    level = 0
    if inp is not None:  # the smallest mip level still at least THUMBNAIL_SIZE wide or high
        while inp.seek_subimage(0, level + 1) and max(inp.spec().width, inp.spec().height) >= THUMBNAIL_SIZE:
            level += 1
        inp.close()
    src = oiio.ImageBuf(str(texture), 0, level)
    spec = src.spec()
    scale = min(1.0, THUMBNAIL_SIZE / max(spec.width, spec.height))
    width, height = max(1, round(spec.width * scale)), max(1, round(spec.height * scale))
    # bilinear from a mip level at most twice as large (already filtered); resize's filters
    # cost up to a second here for nothing a thumbnail shows
    small = oiio.ImageBufAlgo.resample(src, True,
                                       roi=oiio.ROI(0, width, 0, height, 0, 1, 0, spec.nchannels))
    if small.nchannels > 4:
        small = oiio.ImageBufAlgo.channels(small, (0, 1, 2, 3))
    config = load_config(config_ref).config
    display = canonical(config, "sRGB - Texture")
    if not decision.is_data and display and display != decision.target:
        # with PyOpenColorIO on 128 px: OIIO's colorconvert loads the config on every call
        cpu = config.getProcessor(decision.target, display).getDefaultCPUProcessor()
        values = small.get_pixels(oiio.FLOAT)
        colour = np.ascontiguousarray(np.repeat(values[..., :1], 3, axis=-1)
                                      if values.shape[-1] < 3 else values[..., :3])
        cpu.applyRGB(colour)
        values[..., :min(3, values.shape[-1])] = colour[..., :min(3, values.shape[-1])]
        small = oiio.ImageBuf(oiio.ImageSpec(width, height, values.shape[-1], "float"))
        small.set_pixels(oiio.ROI(), values)
    small.specmod().erase_attribute("oiio:ColorSpace")
    small.set_write_format(oiio.UINT8)
    if not small.write(str(out)):
        raise IngestError(f"{texture}: its thumbnail could not be written ({small.geterror()})")


def _make(source: Path, facts: ImageFacts, decision: ColourDecision, args: dict[str, Any],
          folder: Path, fmt: str) -> tuple[Path, Path, ImageFacts, ImageFacts]:
    """Make the texture and its thumbnail in `folder`; check the header written."""
    buf = _read(source, facts)
    for tag in _TAGS:  # or OIIO copies the source's tag (LIBRARY-NOTES.md)
        buf.specmod().erase_attribute(tag)
    buf.specmod().attribute("oiio:ColorSpace", decision.target)
    texture = folder / f"texture.{fmt}"
    spec = texture_spec(decision, args["pixel_type"], decision.config)
    if not _make_texture(buf, texture, spec):
        raise IngestError(f"{source}: the texture maker failed ({_oiio_error('no reason given')})")
    made = image_facts(texture, decision.config)
    if fmt == "exr" and made.colorspace != decision.target:
        raise IngestError(f"{source}: the texture's header says {made.colorspace!r}, not "
                          f"{decision.target!r} (OpenImageIO {tool_versions()['OpenImageIO']})")
    if fmt == "tx":  # TIFF textures keep no tag: the record says it
        made = _replace(made, colorspace=decision.target)
    thumb = folder / _ENTRY_THUMB
    _thumbnail(texture, thumb, decision, decision.config)
    thumb_facts = _replace(image_facts(thumb), colorspace=None if decision.is_data else
                           canonical(load_config(decision.config).config, "sRGB - Texture"))
    return texture, thumb, made, thumb_facts


# ------------------------------------------------------------------------------ transcode

def _resolve_cache(cache: CacheArg) -> TextureCache | None:
    if cache is False:
        return None
    if isinstance(cache, TextureCache):
        return cache
    return TextureCache(cache)


def _place(src: Path, dest: Path) -> None:
    """Put a finished file at `dest` in one step (a hard link to the cache where possible)."""
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.part")
    tmp.unlink(missing_ok=True)
    try:
        os.link(src, tmp)
    except OSError:
        shutil.copyfile(src, tmp)
    os.replace(tmp, dest)


def transcode(source: str | os.PathLike[str], out_dir: str | os.PathLike[str], *,
              colorspace: str | None = None, ocio_config: str | os.PathLike[str] | None = None,
              fmt: str = "exr", cache: CacheArg = None, role: str | None = None,
              max_pixels: int = MAX_PIXELS, name: str | None = None,
              decision: ColourDecision | None = None) -> TextureResult:
    """Transcode one image into `out_dir`: `<stem>.<fmt>` and `<stem>.thumb.png`.

    `cache`: a TextureCache or its folder; None for the default one; False for none.
    `role`: the material input it feeds, if known (a data role keeps it raw).
    `name`: the stem of the files written (default: the source's).
    `decision`: a colour decision made already (a UDIM set decides once for every tile).
    """
    if fmt not in FORMATS:
        raise IngestError(f"texture format {fmt!r} is not one of {', '.join(FORMATS)}")
    src = Path(source)
    facts, tag = probe(src, max_pixels=max_pixels)
    if decision is None:
        decision = decide(src, is_float=facts.pixel_type in _FLOATS, colorspace=colorspace,
                          ocio_config=ocio_config, role=role, header_colorspace=tag,
                          file_format=facts.file_format)
    stem = name or src.name.rsplit(".", 1)[0]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    texture_path = out / f"{stem}.{fmt}"
    thumb_path = out / f"{stem}{THUMBNAIL_SUFFIX}"
    if texture_path.resolve() == src.resolve() or thumb_path.resolve() == src.resolve():
        raise IngestError(f"{src}: transcoding into {out} would overwrite the source: "
                          f"choose another output folder")

    config = load_config(decision.config)
    args = {"format": fmt, "pixel_type": output_pixel_type(facts.pixel_type, decision, fmt),
            "tile": [TILE, TILE], "compression": COMPRESSION, "alpha": "straight",
            "thumbnail": THUMBNAIL_SIZE}
    key = cache_key(source_sha256=file_sha256(src), config=config, decision=decision, args=args)
    store = _resolve_cache(cache)
    source_facts = _replace(facts, colorspace=decision.source)

    entry = store.get(key.value) if store else None
    reused = entry is not None
    if entry is None:
        staging = store.staging() if store else Path(tempfile.mkdtemp(prefix=".legos-ingest-", dir=out))
        try:
            texture, thumb, made, thumb_facts = _make(src, facts, decision, args, staging, fmt)
            if store is not None:
                meta = {"files": {CONTENT: texture.name, THUMBNAIL: thumb.name},
                        "facts": {CONTENT: made.to_dict() | {"file_format": made.file_format},
                                  THUMBNAIL: thumb_facts.to_dict() | {"file_format": "png"}},
                        "colour": decision.to_dict(), "provenance": _provenance(key),
                        "source_name": src.name}
                entry = store.put(key.value, staging, meta)
            else:
                _place(texture, texture_path)
                _place(thumb, thumb_path)
        finally:
            if store is None or entry is None:
                shutil.rmtree(staging, ignore_errors=True)
    if entry is not None:
        made = ImageFacts.from_dict(entry.meta["facts"][CONTENT])
        thumb_facts = ImageFacts.from_dict(entry.meta["facts"][THUMBNAIL])
        _place(entry.file(entry.meta["files"][CONTENT]), texture_path)
        _place(entry.file(entry.meta["files"][THUMBNAIL]), thumb_path)
    return TextureResult(source=src, texture=texture_path, thumbnail=thumb_path, colour=decision,
                         facts={SOURCE: source_facts, CONTENT: made, THUMBNAIL: thumb_facts},
                         cache_key=key.value, reused=reused, provenance=_provenance(key))


def _provenance(key: CacheKey) -> dict[str, Any]:
    """What a version records to reproduce and audit its ingest."""
    return {"cache_key": key.value, **key.inputs}


# ----------------------------------------------------------------------------------- UDIM

@dataclass(frozen=True)
class UdimSet:
    """The tiles of one UDIM texture: `albedo.1001.png`, `albedo.1002.png`, ..."""

    folder: Path
    stem: str
    ext: str
    tiles: dict[int, Path]

    @property
    def pattern(self) -> Path:
        return self.folder / f"{self.stem}.{UDIM}.{self.ext}"


@dataclass(frozen=True)
class UdimResult:
    """A transcoded UDIM set: one result per tile, referenced as `<stem>.<UDIM>.<fmt>`."""

    udims: UdimSet
    texture: Path              # the pattern, e.g. out/albedo.<UDIM>.exr
    thumbnail: Path | None     # of the first tile, named for the set
    colour: ColourDecision
    tiles: dict[int, TextureResult]

    @property
    def reused(self) -> bool:
        return all(t.reused for t in self.tiles.values())

    def files(self) -> list[tuple[Path, str]]:
        out = [(p, role) for t in self.tiles.values() for p, role in t.files() if role != THUMBNAIL]
        if self.thumbnail is not None:
            out.append((self.thumbnail, THUMBNAIL))
        return out

    def layout(self) -> dict[str, tuple[Path, str, ImageFacts]]:
        """As TextureResult.layout, for every tile (the entry is `<stem>.<UDIM>.<fmt>`)."""
        return {name: each for tile in self.tiles.values() for name, each in tile.layout().items()}

    def to_dict(self) -> dict[str, Any]:
        return {"source": str(self.udims.pattern), "texture": str(self.texture),
                "thumbnail": str(self.thumbnail) if self.thumbnail else None,
                "colorspace": self.colour.to_dict(), "reused": self.reused,
                "tiles": {str(n): t.to_dict() for n, t in self.tiles.items()}}


def udim_tile(path: str | os.PathLike[str]) -> tuple[str, int, str] | None:
    """(stem, tile, extension) of a UDIM tile's name (`albedo.1001.png`), else None."""
    found = _UDIM_NAME.match(Path(path).name)
    if not found or not 1001 <= int(found["tile"]) <= 1999:
        return None
    return found["stem"], int(found["tile"]), found["ext"]


def group_udims(paths: Iterable[str | os.PathLike[str]]) -> list[Path | UdimSet]:
    """Single files stay as they are; `<stem>.<1001-1999>.<ext>` files of one folder become
    one UdimSet (in the order each first appears)."""
    items: list[Path | tuple[Path, str, str]] = []
    sets: dict[tuple[Path, str, str], dict[int, Path]] = {}
    for each in paths:
        path = Path(each)
        tile = udim_tile(path)
        if tile is None:
            items.append(path)
            continue
        group = (path.parent, tile[0], tile[2])
        if group not in sets:
            sets[group] = {}
            items.append(group)
        sets[group][tile[1]] = path
    return [UdimSet(i[0], i[1], i[2], dict(sorted(sets[i].items()))) if isinstance(i, tuple) else i
            for i in items]


def transcode_udim(udims: UdimSet, out_dir: str | os.PathLike[str], *,
                   colorspace: str | None = None,
                   ocio_config: str | os.PathLike[str] | None = None, fmt: str = "exr",
                   cache: CacheArg = None, role: str | None = None,
                   max_pixels: int = MAX_PIXELS) -> UdimResult:
    """Transcode every tile of a UDIM set with one colour decision (made on the first tile)."""
    first = next(iter(udims.tiles.values()))
    facts, tag = probe(first, max_pixels=max_pixels)
    decision = decide(udims.pattern, is_float=facts.pixel_type in _FLOATS, colorspace=colorspace,
                      ocio_config=ocio_config, role=role, header_colorspace=tag,
                      file_format=facts.file_format)
    out = Path(out_dir)
    tiles = {n: transcode(p, out, fmt=fmt, cache=cache, max_pixels=max_pixels, decision=decision)
             for n, p in udims.tiles.items()}
    thumb = out / f"{udims.stem}{THUMBNAIL_SUFFIX}"
    first_thumb = next(iter(tiles.values())).thumbnail
    for result in tiles.values():  # one thumbnail for the set, named for it
        if result.thumbnail is not None and result.thumbnail != first_thumb:
            result.thumbnail.unlink(missing_ok=True)
    if first_thumb is not None:
        os.replace(first_thumb, thumb)
    tiles = {n: _without_thumbnail(t) for n, t in tiles.items()}
    return UdimResult(udims=udims, texture=out / f"{udims.stem}.{UDIM}.{fmt}", thumbnail=thumb,
                      colour=decision, tiles=tiles)


def _without_thumbnail(result: TextureResult) -> TextureResult:
    facts = {k: v for k, v in result.facts.items() if k != THUMBNAIL}
    return TextureResult(source=result.source, texture=result.texture, thumbnail=None,
                         colour=result.colour, facts=facts, cache_key=result.cache_key,
                         reused=result.reused, provenance=result.provenance)
