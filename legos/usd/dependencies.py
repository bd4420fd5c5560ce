"""Dependency analysis of a USD file: every layer and asset it reaches, and the legos version
each belongs to (by its path under the publish root, else by content for copies of published files).

    for dep in analyse_dependencies(lg, "shot.usda"):
        print(dep.path, dep.uri or dep.copy_of or "unmanaged")
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from legos.files import sha256_of
from legos.uri import format_uri
from legos.usd.layers import all_dependencies

if TYPE_CHECKING:
    from legos.api import Legos


@dataclass(frozen=True)
class ReachedFile:
    """A file a USD file reaches (a layer, an asset, or a path USD could not resolve), and the
    legos version it belongs to. (A version's own inputs are legos.model.Dependency.)"""

    path: str                   # resolved absolute path; for an unresolved one, as USD reports it
    type: str                   # "layer", "asset" or "unresolved"
    uri: str | None = None      # the version this file belongs to (it lies in the publish root)
    rep: str | None = None      # its representation name in `uri` (or in `copy_of`)
    copy_of: str | None = None  # a version holding a file with the same content (a copy)

    @property
    def managed(self) -> bool:
        return self.uri is not None

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "type": self.type, "uri": self.uri, "managed": self.managed,
                "copy_of": self.copy_of, "rep": self.rep}


def relative_under(path: str, root: str) -> str | None:
    """`path` relative to `root` ('/'-separated), or None when it lies outside."""
    try:
        rel = os.path.relpath(path, root)
    except ValueError:  # another drive on Windows
        return None
    if rel == os.curdir or rel.startswith(os.pardir + os.sep) or rel == os.pardir:
        return None
    return Path(rel).as_posix()


def analyse_dependencies(lg: Legos, path: str | os.PathLike[str],
                         pins_dir: str | os.PathLike[str] | None = None) -> list[ReachedFile]:
    """Every layer (the file itself first) and asset `path` needs, each mapped to its legos
    version; then the paths USD could not resolve. With `pins_dir`, search-path references
    resolve through that pins directory (see legos.usd.pins_dir)."""
    context = None
    if pins_dir is not None:
        from legos.usd.pins_dir import resolver_context

        context = resolver_context(pins_dir)
    found = all_dependencies(path, context)
    entries = [(p, "layer") for p in found.layers] + [(p, "asset") for p in found.assets]

    # Symlinks (a pins directory, a mount alias) must not hide that a file is published.
    root = lg.root_or_none
    real_root = os.path.realpath(root) if root is not None else None
    rel_of = {}
    for file, _ in entries:
        rel = relative_under(os.path.realpath(file), real_root) if real_root else None
        if rel is not None:
            rel_of[file] = rel
    owners: dict[str, dict[str, Any]] = {}
    if rel_of:
        rows = lg.store.read(lambda tx: tx.query("usd/versions_of_files",
                                                 paths=sorted(set(rel_of.values()))))
        owners = {row["path"]: row for row in rows}

    # Files outside the root (or unknown inside it) may be copies: match them by content.
    hash_of = {file: sha256_of(Path(file)) for file, _ in entries
               if rel_of.get(file) not in owners and os.path.isfile(file)}
    originals: dict[str, dict[str, Any]] = {}
    if hash_of:
        rows = lg.store.read(lambda tx: tx.query("usd/versions_of_hashes",
                                                 hashes=sorted(set(hash_of.values()))))
        for row in rows:  # ordered by asset and number: the first is the earliest publish
            originals.setdefault(row["sha256"], row)

    out = []
    for file, kind in entries:
        owner = owners.get(rel_of.get(file, ""))
        if owner is not None:
            out.append(ReachedFile(file, kind, _uri(owner), owner["name"]))
            continue
        original = originals.get(hash_of.get(file, ""))
        if original is not None:
            out.append(ReachedFile(file, kind, None, original["name"], _uri(original)))
        else:
            out.append(ReachedFile(file, kind))
    out.extend(ReachedFile(p, "unresolved") for p in found.unresolved)
    return out


def _uri(row: dict[str, Any]) -> str:
    return format_uri(row["project"], row["asset"], row["number"])
