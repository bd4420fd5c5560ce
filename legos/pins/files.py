"""Which file of a version a URI means: `rep=usd` (a format), `rep=tex/a.png` (a name), or the
version's main file when no `rep` is given."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TypeVar

from legos.entry import UDIM, EntryError, choose_by_name as choose_entry_name, udim_tiles
from legos.errors import NotFoundError
from legos.model.representation import THUMBNAIL, THUMBNAIL_NAME, guess_format

T = TypeVar("T")



class RepresentationNotFoundError(NotFoundError):
    pass


class MissingFileError(NotFoundError):
    """A version's file is not where the store or the manifest says it is."""


def check_exists(path: str, uri: str, root: str, mapped: bool = False) -> None:
    """Raise when the file a URI resolved to is not there: never hand out a path to nothing.
    A UDIM set (`albedo.<UDIM>.png`) is there when its tiles are."""
    if UDIM in path:
        folder, _, pattern = path.rpartition("/")
        present = os.listdir(folder) if os.path.isdir(folder) else []
        if udim_tiles(pattern, present):
            return
    if not os.path.isfile(path):
        where = ("mapped there by --root / root=" if mapped else
                 "is it mounted here? if elsewhere, pass --root / root= with its mount")
        raise MissingFileError(
            f"{uri} resolves to {path}, which does not exist: the publish root is {root} "
            f"({where}); or the file was removed: restore it")


def tile_path(files: Mapping[str, str], name: str) -> str:
    """The path of `name` in a name -> path mapping; for a UDIM set, its tiles' path with the
    tile number as `<UDIM>`."""
    if name in files:
        return files[name]
    tiles = udim_tiles(name, list(files))
    if not tiles:
        raise RepresentationNotFoundError(f"no file {name!r}")
    path = files[tiles[0]]
    folder, _, _ = path.rpartition("/")
    return f"{folder}/{name.rpartition('/')[2]}" if folder else name.rpartition("/")[2]


def pick_file(files: Mapping[str, T], rep: str | None, asset: str, where: str,
              entry: str | None = None) -> str:
    """The name of the file in `files` (name -> anything) that `rep` selects: a name, a format
    (`usd`, `png`: never the thumbnail), `thumbnail`, or without rep the version's entry.
    Versions from before entry files fall back to the main file named like the asset."""
    if not files:
        raise RepresentationNotFoundError(
            f"{where} has no files to resolve to: resolve one of its members (`legos contents`)")
    if rep is not None and rep in files:
        return rep
    if rep == THUMBNAIL:
        if THUMBNAIL_NAME in files:
            return THUMBNAIL_NAME
        raise RepresentationNotFoundError(f"{where} has no thumbnail")
    content = sorted(n for n in files if n != THUMBNAIL_NAME)
    if rep is None:
        if entry is not None and (entry in files or udim_tiles(entry, list(files))):
            return entry
        try:
            return choose_entry_name(content, asset) if content else ""
        except EntryError:
            raise RepresentationNotFoundError(
                f"{where} has several files that could be meant ({', '.join(content[:6])}"
                f"{', ...' if len(content) > 6 else ''}): add rep=<file name> to the URI"
            ) from None
    candidates = [n for n in content if guess_format(n) == rep]
    if not candidates:
        raise RepresentationNotFoundError(
            f"{where} has no {rep!r} file: it has {', '.join(content)}; use rep= with one of "
            "those names or formats")
    if len(candidates) == 1:
        return candidates[0]
    if entry in candidates:
        return entry
    try:
        return choose_entry_name(candidates, asset)
    except EntryError:
        raise RepresentationNotFoundError(
            f"{where} has several {rep!r} files ({', '.join(candidates[:6])}"
            f"{', ...' if len(candidates) > 6 else ''}): add rep=<file name> to the URI"
        ) from None
