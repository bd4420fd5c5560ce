"""Making a bundle's USD layers portable: every asset path that would leave the bundle (an
absolute path into the publish root, a legos: URI, a search path a pins directory resolves) is
rewritten to a relative path inside the bundle, with the freeze step's reading of each path.

Layers whose paths already stay inside (relative paths within the copied layout) are left
byte for byte as published.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from legos.pins.manifest import Manifest, PinnedFile
from legos.usd.dependencies import relative_under
from legos.usd.errors import UsdFileError
from legos.usd.freeze import PINNED, UNMANAGED, _Planner, _relative_reference
from legos.usd.layers import all_dependencies, export_args, is_layer_file, open_private
from legos.usd.pin_index import PinIndex


class UnportableLayerError(UsdFileError):
    """A bundled layer uses a file the bundle does not hold."""


@dataclass(frozen=True)
class Rewritten:
    path: str        # relative to the root, '/'-separated (as in the manifest)
    authored: dict[str, str]  # old asset path -> new one


def layer_files(manifest: Manifest) -> dict[str, list[str]]:
    """The USD layers a manifest pins: root-relative path -> the scopes pinning it."""
    scopes: dict[str, list[str]] = defaultdict(list)
    for scope, pin in manifest.pins():
        for file in pin.files.values():
            if is_layer_file(file.path):
                scopes[file.path].append(scope)
    return dict(scopes)


def _rewrites(manifest: Manifest, path: str, scope: str) -> dict[str, str]:
    """Old -> new asset path for the paths of one pinned layer that would leave the bundle;
    new paths are relative to the layer's own place, which is the same in the bundle."""
    planner = _Planner(PinIndex(manifest, scope))
    source = manifest.absolute(manifest_file(manifest, path))
    real = os.path.realpath(source)
    planner.reached_as[real] = source
    out = {}
    for entry in planner._layer_entries(real):
        found = entry.path
        if found.status == UNMANAGED:
            raise UnportableLayerError(
                f"{source} (pinned, a USD layer) uses {found.authored!r}, which is outside the "
                "publish root, so the bundle cannot hold it: publish it, use it from the "
                "published version, and pin again")
        if found.status != PINNED or found.target is None:
            continue  # unresolved or unmatched at the source too: kept as authored
        target = relative_under(os.path.realpath(found.target), planner.real_root)
        if target is None:  # a UDIM pattern: realpath cannot see it, the text can
            target = relative_under(found.target, manifest.root)
        if target is None:
            raise UnportableLayerError(f"{source}: {found.authored!r} leads to {found.target}, "
                                       "outside the publish root")
        if entry.original is not None and os.path.realpath(found.target) == entry.original \
                and not os.path.isabs(found.authored):
            continue  # relative (or next to the layer) inside the root: the copy keeps the layout
        out[found.authored] = _relative_reference(path, target)
    return out


def manifest_file(manifest: Manifest, path: str) -> PinnedFile:
    for _scope, pin in manifest.pins():
        for file in pin.files.values():
            if file.path == path:
                return file
    raise KeyError(path)


def make_portable(manifest: Manifest, copy_root: Path) -> list[Rewritten]:
    """Rewrite the copies under `copy_root` (one per manifest path) of the pinned layers whose
    asset paths would leave the bundle; the sources are read from the manifest's root."""
    from pxr import UsdUtils

    done = []
    for path, scopes in sorted(layer_files(manifest).items()):
        plans = {scope: _rewrites(manifest, path, scope) for scope in scopes}
        if len({tuple(sorted(p.items())) for p in plans.values()}) > 1:
            raise UnportableLayerError(
                f"layer {path} is pinned in scopes {', '.join(repr(s) for s in scopes)}, which "
                "resolve its asset paths to different files: one copy cannot hold both; "
                "bundle the scopes separately")
        rewrite = next(iter(plans.values()))
        if not rewrite:
            continue
        source = manifest.absolute(manifest_file(manifest, path))
        layer = open_private(source)
        UsdUtils.ModifyAssetPaths(layer, lambda p, rewrite=rewrite: rewrite.get(p, p))
        copy = copy_root / path
        os.chmod(copy, 0o644)
        if not layer.Export(str(copy), args=export_args(source)):
            raise UsdFileError(f"USD could not write {str(copy)!r}: check the folder")
        done.append(Rewritten(path, rewrite))
    return done


def _unresolved(layer: Path, paths: list[str]) -> set[str]:
    # usd-core reports an anchored path absolute: compare it relative to the layer instead
    here = os.path.dirname(layer)
    return {os.path.relpath(p, here) if os.path.isabs(p) else p for p in paths}


def unresolved(root: Path, manifest: Manifest) -> dict[str, set[str]]:
    """What does not resolve from each pinned layer at `root` (the publish root, before
    bundling): the bundle cannot be asked to resolve it either."""
    out = {}
    for path in layer_files(manifest):
        try:
            out[path] = _unresolved(root / path, all_dependencies(root / path).unresolved)
        except UsdFileError:
            out[path] = set()
    return out


def check_portable(root: Path, manifest: Manifest,
                   tolerated: dict[str, set[str]] | None = None) -> list[str]:
    """Open every pinned layer under `root` (the bundle's files) as usd-core does: problems when
    a layer or asset it reaches is outside `root`, or a path does not resolve (unless it did
    not at the source either: `tolerated`). Needing nothing outside the bundle, it checks the
    bundle as if the source root were gone."""
    problems = []
    real_root = os.path.realpath(root)
    for path in sorted(layer_files(manifest)):
        layer = root / path
        try:
            found = all_dependencies(layer)
        except UsdFileError as exc:
            problems.append(str(exc))
            continue
        for reached in found.layers + found.assets:
            if relative_under(os.path.realpath(reached), real_root) is None:
                problems.append(f"{layer} reaches {reached}, outside the bundle")
        known = (tolerated or {}).get(path, set())
        for missing in sorted(_unresolved(layer, found.unresolved) - known):
            problems.append(f"{layer}: {missing} does not resolve")
    return problems
