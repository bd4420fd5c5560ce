"""The entry file of a version: the one file a URI without `rep=` resolves to.

Chosen at publish (`--entry`, `entry=`), else inferred from the files: the only one; for USD,
the root layer (the layer no other layer of the version references; among several, the one
named like its folder or asset); else the main format named like the asset. When nothing
tells, publishing asks for `--entry` rather than guessing at resolve time.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from legos.errors import InvalidInputError
from legos.files import SourceFile
from legos.model.representation import guess_format

USD_LAYERS = (".usd", ".usda", ".usdc", ".usdz")
# Without USD to tell, the first format present wins (then the file named like the asset).
MAIN_FORMATS = ("usd", "usdz", "abc", "gltf", "fbx", "obj", "exr", "tx", "tiff", "png", "jpg",
                "hdr", "mtlx", "json")


class EntryError(InvalidInputError):
    """No entry file can be told apart: the caller must name one."""


UDIM = "<UDIM>"
_TILE = re.compile(r"^(?P<stem>.*)\.(?P<tile>1\d{3})\.(?P<ext>[^./]+)$")


def udim_set(names: Sequence[str]) -> str | None:
    """`albedo.<UDIM>.png` when `names` are the tiles of one UDIM set (two or more), else None."""
    patterns = set()
    for name in names:
        found = _TILE.match(name)
        if found is None:
            return None
        patterns.add(f"{found['stem']}.{UDIM}.{found['ext']}")
    return patterns.pop() if len(patterns) == 1 and len(names) > 1 else None


def udim_tiles(pattern: str, names: Sequence[str]) -> list[str]:
    """The names that are tiles of the UDIM `pattern`."""
    stem, _, ext = pattern.partition(f".{UDIM}.")
    return [n for n in names if (m := _TILE.match(n)) and m["stem"] == stem and m["ext"] == ext]


def choose(sources: Sequence[SourceFile], asset: str, given: str | None,
           kind: str = "") -> str | None:
    """The entry's published name among `sources` (None for a version with no files). The
    tiles of one UDIM set make a texture's entry `name.<UDIM>.ext`."""
    names = [s.name for s in sources]
    if given is not None:
        wanted = given.replace(os.sep, "/").removeprefix("./")
        if UDIM in wanted and udim_tiles(wanted, names):
            return wanted
        if wanted not in names:
            raise EntryError(
                f"entry {given!r} is not one of the files published: "
                f"{', '.join(sorted(names)[:8])}{', ...' if len(names) > 8 else ''}")
        return wanted
    if len(names) <= 1:
        return names[0] if names else None
    tiles = udim_set(names) if kind == "TextureAsset" else None
    if tiles is not None:
        return tiles
    layers = [s for s in sources if PurePosixPath(s.name).suffix.lower() in USD_LAYERS]
    if layers:
        return _root_layer(layers, asset)
    return choose_by_name(names, asset)


def _named_like(names: Sequence[str], asset: str) -> list[str]:
    """Files named after the asset (chr/knight -> Knight.usd) or after the top folder they
    were published from (Knight/Knight.usd)."""
    wanted = {asset.rsplit("/", 1)[-1].lower()}
    wanted |= {n.split("/", 1)[0].lower() for n in names if "/" in n}
    return [n for n in names if PurePosixPath(n).stem.lower() in wanted]


def _root_layer(layers: Sequence[SourceFile], asset: str) -> str:
    referenced = _referenced_layers(layers)
    roots = [s.name for s in layers if s.source.resolve() not in referenced]
    if len(roots) == 1:
        return roots[0]
    candidates = roots or [s.name for s in layers]
    named = _named_like(candidates, asset)
    if len(named) == 1:
        return named[0]
    top = [n for n in candidates if "/" not in n]
    if len(top) == 1 and not named:
        return top[0]
    raise EntryError(
        f"{len(candidates)} USD layers could be the root of this version "
        f"({', '.join(sorted(candidates)[:6])}{', ...' if len(candidates) > 6 else ''}): "
        "name it with --entry (entry=)")


def _referenced_layers(layers: Sequence[SourceFile]) -> set[Path]:
    """The source files that some layer of the version composes (sublayer, reference,
    payload). Without usd-core, nothing is known to be referenced."""
    try:
        from pxr import Sdf
    except ImportError:
        return set()
    found: set[Path] = set()
    for layer_file in layers:
        try:
            layer = Sdf.Layer.FindOrOpen(str(layer_file.source))
        except Exception:  # Tf.ErrorException: not a layer USD can read
            layer = None  # it composes nothing; the publish itself is not USD's to refuse
        if layer is None:
            continue
        for path in layer.GetCompositionAssetDependencies():
            if not path or "://" in path or path.startswith("@"):
                continue
            target = Path(path) if os.path.isabs(path) else layer_file.source.parent / path
            found.add(target.resolve())
    return found


def choose_by_name(names: Sequence[str], asset: str) -> str:
    """The main file by names alone: the only one, else the first main format present, the one
    named like the asset or the folder it came from, else the only top-level one."""
    if len(names) == 1:
        return names[0]
    candidates = list(names)
    for fmt in MAIN_FORMATS:
        of_format = [n for n in names if guess_format(n) == fmt]
        if of_format:
            candidates = of_format
            break
    if len(candidates) == 1:
        return candidates[0]
    named = _named_like(candidates, asset)
    if len(named) == 1:
        return named[0]
    top = [n for n in candidates if "/" not in n]
    if len(top) == 1:
        return top[0]
    raise EntryError(
        f"{len(names)} files and none of them is plainly the main one "
        f"({', '.join(sorted(candidates)[:6])}{', ...' if len(candidates) > 6 else ''}): name "
        "it with --entry (entry=)")
