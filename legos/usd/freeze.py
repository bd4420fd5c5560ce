"""Freezing a USD asset to a pin set: a copy of its layers in which every asset path names the
pinned file, so that it renders the same anywhere, with no resolver setup and no database.

    result = freeze("shot.usda", legos.pins.manifest.read("sh0040.json"), "frozen/sh0040")
    result.output          # frozen/sh0040/shot.usda

Only layers whose paths change are copied (always the root one); every other layer and every
texture is used in place, by absolute path. Copies name each other by relative paths, so the
output folder can move. usd-core's own localisers are not used: they break when two relative
paths reach one file (see LIBRARY-NOTES).
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from legos.pins.manifest import Manifest
from legos.usd.dependencies import relative_under
from legos.usd.errors import (
    FreezeVerificationError,
    MissingPinnedFileError,
    OutputFolderError,
    UsdFileError,
)
from legos.usd.layers import (
    all_dependencies,
    check_usd_file,
    export_args,
    is_layer_file,
    open_private,
)
from legos.usd.output_folder import check_output, install, staging_beside
from legos.usd.pin_index import UDIM, PinIndex, PinnedTarget

MARKER = "legos-freeze.json"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # two letters at least: not a drive letter

# What became of one authored path:
PINNED = "pinned"          # now names a pinned file
UNMANAGED = "unmanaged"    # names a file outside the publish root; kept (absolute in a copy)
UNRESOLVED = "unresolved"  # names a file that does not exist; kept (absolute in a copy)
UNMATCHED = "unmatched"    # a search path or URI no pin matches; kept as authored


@dataclass(frozen=True)
class FrozenPath:
    layer: str             # the source layer it is authored in
    authored: str
    status: str
    target: str | None     # the file it names now (absolute); None when kept as authored
    uri: str | None = None  # the pin it was frozen to

    def to_json(self) -> dict[str, Any]:
        return {"layer": self.layer, "authored": self.authored, "status": self.status,
                "target": self.target, "uri": self.uri}


@dataclass
class FreezeResult:
    output: Path                                         # the frozen root layer
    folder: Path
    copies: dict[str, str] = field(default_factory=dict)  # source layer -> copy (relative)
    paths: list[FrozenPath] = field(default_factory=list)

    @property
    def left_alone(self) -> list[FrozenPath]:
        return [p for p in self.paths if p.status != PINNED]

    def to_json(self) -> dict[str, Any]:
        return {"output": str(self.output), "folder": str(self.folder), "copies": self.copies,
                "paths": [p.to_json() for p in self.paths]}


@dataclass(frozen=True)
class _Entry:
    path: FrozenPath
    original: str | None   # real path it resolved to before freezing; None: it did not
    hit: PinnedTarget | None = None


def _exists(path: str) -> bool:
    if UDIM in path:
        return bool(glob.glob(glob.escape(path).replace(UDIM, "[0-9]" * 4)))
    return os.path.exists(path)


class _Planner:
    """Walks the layers the frozen asset will reach and decides what each path becomes."""

    def __init__(self, index: PinIndex) -> None:
        self.index = index
        self.real_root = os.path.realpath(index.manifest.root)
        self.entries: dict[str, list[_Entry]] = {}   # layer (real path) -> its paths
        self.reached_as: dict[str, str] = {}         # layer -> the path it anchors from
        self.pinned_layers: dict[str, tuple[str, int, str]] = {}  # layer -> (asset, version, rep)

    def walk(self, root_file: str) -> str:
        root = os.path.realpath(root_file)
        self.reached_as[root] = root_file
        todo = [root]
        while todo:
            layer = todo.pop()
            found = self._layer_entries(layer)
            self.entries[layer] = found
            for entry in found:
                target = entry.path.target
                if target and entry.path.status != UNRESOLVED and is_layer_file(target):
                    key = os.path.realpath(target)
                    if entry.hit is not None:
                        hit = entry.hit
                        self.pinned_layers.setdefault(key, (hit.pin.asset, hit.pin.version, hit.rep))
                    if key not in self.reached_as:
                        self.reached_as[key] = target
                        todo.append(key)
        return root

    def _layer_entries(self, layer: str) -> list[_Entry]:
        from pxr import UsdUtils

        private = open_private(self.reached_as[layer])
        authored: list[str] = []

        def collect(path: str) -> str:  # reads every asset path, changes none
            authored.append(path)
            return path

        UsdUtils.ModifyAssetPaths(private, collect)
        anchor = os.path.dirname(self.reached_as[layer])
        return [self._map(p, layer, anchor) for p in dict.fromkeys(authored) if p]

    def _map(self, text: str, layer: str, anchor: str) -> _Entry:
        context = f"authored as @{text}@ in {layer}"
        if text.startswith("legos:"):
            return self._pinned(text, layer, self.index.by_uri(text, context), None)
        if _SCHEME.match(text):
            return _Entry(FrozenPath(layer, text, UNMATCHED, None), None)
        if not text.startswith(("./", "../")) and not os.path.isabs(text):
            hit = self.index.by_search_path(text, context)
            if hit is not None:
                return self._pinned(text, layer, hit, None)
            # USD tries a search path next to its layer first: so do we
            if not _exists(os.path.join(anchor, text)):
                return _Entry(FrozenPath(layer, text, UNMATCHED, None), None)
        absolute = os.path.normpath(os.path.join(anchor, text))
        real = os.path.realpath(absolute)
        rel = relative_under(real, self.real_root)
        if rel is not None:
            hit = self.index.owner(rel, context)
            if hit is None:
                raise self.index.unpinned(rel, context)
            return self._pinned(text, layer, hit, real)
        status = UNMANAGED if _exists(absolute) else UNRESOLVED
        return _Entry(FrozenPath(layer, text, status, absolute), real)

    def _pinned(self, text: str, layer: str, hit: PinnedTarget, original: str | None) -> _Entry:
        if not _exists(hit.path):
            raise MissingPinnedFileError(
                f"pinned file {hit.path!r} of {hit.pin.uri} does not exist (authored as @{text}@ "
                f"in {layer}): is the publish root {self.index.manifest.root!r} mounted here?")
        return _Entry(FrozenPath(layer, text, PINNED, hit.path, hit.pin.uri), original, hit)

    def layers_to_copy(self, root: str) -> set[str]:
        """The root, every layer with a path that now names another file, and, until nothing
        changes, every layer naming a copied one (its path must then name the copy)."""
        def changes(entry: _Entry) -> bool:
            p = entry.path
            return p.status == PINNED and (
                entry.original is None or os.path.realpath(p.target or "") != entry.original)

        copied = {root} | {layer for layer, found in self.entries.items() if any(map(changes, found))}
        grew = True
        while grew:
            grew = False
            for layer, found in self.entries.items():
                if layer not in copied and any(
                        e.path.target and os.path.realpath(e.path.target) in copied for e in found):
                    copied.add(layer)
                    grew = True
        return copied


def _copy_names(copied: set[str], root: str, planner: _Planner) -> dict[str, str]:
    """Readable, distinct names inside the output folder: the root by its name, a pinned
    layer as <project>/<asset>/vNNN/<file>, a local one by its path next to the root."""
    names: dict[str, str] = {}
    used: set[str] = set()
    root_dir = os.path.dirname(root)
    for layer in [root] + sorted(copied - {root}):
        if layer == root:
            name = os.path.basename(root)
        elif layer in planner.pinned_layers:
            asset, version, rep = planner.pinned_layers[layer]
            name = f"{asset}/v{version:03d}/{rep}"
        else:
            name = relative_under(layer, root_dir) or f"_external/{os.path.basename(layer)}"
        stem, ext = os.path.splitext(name)
        candidate, n = name, 2
        while candidate in used or candidate == MARKER:
            candidate, n = f"{stem}_{n}{ext}", n + 1
        used.add(candidate)
        names[layer] = candidate
    return names


def _relative_reference(from_copy: str, to_copy: str) -> str:
    rel = Path(os.path.relpath(to_copy, os.path.dirname(from_copy) or ".")).as_posix()
    return rel if rel.startswith("../") else "./" + rel  # a bare name would be a search path


def _write_copy(layer: str, planner: _Planner, names: dict[str, str], copied: set[str],
                folder: Path) -> None:
    from pxr import UsdUtils

    rewrite = {}
    for entry in planner.entries[layer]:
        p = entry.path
        if p.target is None:
            continue
        key = os.path.realpath(p.target)
        rewrite[p.authored] = (_relative_reference(names[layer], names[key])
                               if key in copied and is_layer_file(p.target) else p.target)
    private = open_private(planner.reached_as[layer])
    UsdUtils.ModifyAssetPaths(private, lambda p: rewrite.get(p, p))
    destination = folder / names[layer]
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        written = private.Export(str(destination), args=export_args(planner.reached_as[layer]))
    except OSError as exc:
        raise OutputFolderError(f"cannot write {str(destination)!r}: {exc.strerror}") from None
    if not written:
        raise OutputFolderError(f"USD could not write {str(destination)!r}: check the folder")


def _verify(output: Path, planner: _Planner) -> None:
    """Re-open the frozen copy from disk: everything must resolve that resolved before, and
    nothing in the publish root may be reached that the manifest does not pin."""
    expected: set[str] = set()
    for entries in planner.entries.values():
        for entry in entries:
            if entry.path.status == UNMATCHED:
                expected.add(entry.path.authored)
            elif entry.path.status == UNRESOLVED and entry.path.target is not None:
                expected.add(entry.path.target)
    index = planner.index
    pinned = {os.path.realpath(index.manifest.absolute(f))
              for pin in index.visible.values() for f in pin.files.values()}
    found = all_dependencies(output)
    problems = [f"{p} does not resolve" for p in found.unresolved if p not in expected]
    for path in found.layers + found.assets:
        real = os.path.realpath(path)
        if relative_under(real, planner.real_root) is not None and real not in pinned:
            problems.append(f"{path} is in the publish root but not pinned")
    if problems:
        raise FreezeVerificationError(
            f"the frozen copy {str(output)!r} does not stand on its own: {'; '.join(problems[:5])}"
            " (did a file change meanwhile? if not, it is a legos bug: please report it)")


def freeze(source: str | os.PathLike[str], manifest: Manifest,
           out: str | os.PathLike[str], scope: str = "") -> FreezeResult:
    """Write a frozen copy of `source` into the folder `out`, pinned to `manifest` as seen from
    `scope`; raises when a needed asset is not pinned, and checks the copy before placing it."""
    root_file = check_usd_file(source)
    if not is_layer_file(str(root_file)):
        raise UsdFileError(f"{str(root_file)!r} is not a USD layer to freeze: "
                           "give a .usd, .usda or .usdc file")
    folder = Path(out).expanduser().absolute()
    check_output(folder, MARKER)
    index = PinIndex(manifest, scope)
    planner = _Planner(index)
    root = planner.walk(str(root_file))
    copied = planner.layers_to_copy(root)
    names = _copy_names(copied, root, planner)

    staging = staging_beside(folder)
    try:
        for layer in copied:
            _write_copy(layer, planner, names, copied, staging)
        result = FreezeResult(
            output=folder / names[root], folder=folder,
            copies={layer: names[layer] for layer in sorted(copied)},
            paths=[e.path for layer in sorted(planner.entries) for e in planner.entries[layer]])
        record = {"schema": "legos.freeze/1", "source": str(root_file), "scope": scope,
                  "manifest": {"name": manifest.name, "uid": manifest.uid,
                               "hash": manifest.content_hash(),
                               "path": str(manifest.path) if manifest.path else None},
                  **{k: v for k, v in result.to_json().items() if k not in ("output", "folder")},
                  "output": names[root]}
        (staging / MARKER).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        _verify(staging / names[root], planner)
        install(staging, folder, MARKER)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result
