"""Which file of a version a URI means: `rep=usd` (a format), `rep=tex/a.png` (a name), or the
version's main file when no `rep` is given."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import TypeVar

from legos.errors import NotFoundError
from legos.model.representation import guess_format

T = TypeVar("T")

# When a version has several files and no `rep` is asked for, the first format present wins.
MAIN_FORMATS = ("usd", "usdz", "abc", "gltf", "fbx", "obj", "exr", "tx", "tiff", "png", "jpg",
                "hdr", "mtlx", "json")


class RepresentationNotFoundError(NotFoundError):
    pass


class MissingFileError(NotFoundError):
    """A version's file is not where the store or the manifest says it is."""


def check_exists(path: str, uri: str, root: str, mapped: bool = False) -> None:
    """Raise when the file a URI resolved to is not there: never hand out a path to nothing."""
    if not os.path.isfile(path):
        where = ("mapped there by --root / root=" if mapped else
                 "is it mounted here? if elsewhere, pass --root / root= with its mount")
        raise MissingFileError(
            f"{uri} resolves to {path}, which does not exist: the publish root is {root} "
            f"({where}); or the file was removed: restore it")


def pick_file(files: Mapping[str, T], rep: str | None, asset: str, where: str) -> str:
    """The name of the file in `files` (name -> anything) that `rep` selects."""
    if not files:
        raise RepresentationNotFoundError(
            f"{where} has no files to resolve to: resolve one of its members (`legos contents`)")
    if rep is not None and rep in files:
        return rep
    candidates = sorted(files)
    if rep is not None:
        candidates = [n for n in candidates if guess_format(n) == rep]
        if not candidates:
            raise RepresentationNotFoundError(
                f"{where} has no {rep!r} file: it has {', '.join(sorted(files))}; use rep= with "
                "one of those names or formats")
    elif len(candidates) > 1:
        for fmt in MAIN_FORMATS:
            of_format = [n for n in candidates if guess_format(n) == fmt]
            if of_format:
                candidates = of_format
                break
    if len(candidates) == 1:
        return candidates[0]
    # Several: the top-level file named after the asset (prop/rook -> Rook.usd) is the main one.
    stem = asset.rsplit("/", 1)[-1].lower()
    top = [n for n in candidates if "/" not in n]
    named = [n for n in top if PurePosixPath(n).stem.lower() == stem]
    if len(named) == 1:
        return named[0]
    if len(top) == 1:
        return top[0]
    raise RepresentationNotFoundError(
        f"{where} has several files that could be meant ({', '.join(candidates[:6])}"
        f"{', ...' if len(candidates) > 6 else ''}): add rep=<file name> to the URI")
