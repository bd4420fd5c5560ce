"""Bundles: every file a pin set needs, copied under a new root (another site, an archive, a
vendor delivery), with the relocated manifest beside them; and the check that a manifest's
files are all there and unchanged.

A bundle stands on its own: USD layers whose asset paths would reach outside it (an absolute
path into the publish root, a legos: URI, a pinned search path) are rewritten to relative paths
inside it (legos.usd.relocate), recorded in the manifest with their published hashes, and every
layer is opened from the bundle to check that nothing outside it is needed."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from legos.errors import LegosError
from legos.files import copy_with_hash, remove_tree, sha256_of
from legos.pins.manifest import Manifest, PinnedFile

MANIFEST_NAME = "manifest.json"
FILES_DIR = "files"


class BundleError(LegosError):
    pass


def bundle(manifest: Manifest, destination: str | os.PathLike[str],
           root: str | os.PathLike[str] | None = None) -> Manifest:
    """Copy the pinned files to `destination/files/...` and write `destination/manifest.json`;
    `root` is where the manifest's publish root is mounted here, when elsewhere.

    The copy is built beside the destination and renamed into place, so a failed bundle leaves
    nothing behind."""
    if root is not None:
        manifest = dataclasses.replace(manifest, root=os.path.expanduser(os.fspath(root)))
    target = Path(destination).resolve()
    if target.exists() and any(target.iterdir()):
        raise BundleError(f"bundle folder {target} is not empty: choose a new folder")
    building = target.with_name(f".{target.name}.partial")
    remove_tree(building)
    try:
        seen: set[str] = set()
        for _scope, pin in manifest.pins():
            for file in pin.files.values():
                if file.path in seen:
                    continue
                seen.add(file.path)
                source = Path(manifest.absolute(file))
                if not source.is_file():
                    raise BundleError(f"{source} (of {pin.uri}) is missing from the publish "
                                      "root: restore it before bundling")
                copied = copy_with_hash(source, building / FILES_DIR / file.path)
                if copied.sha256 != file.sha256:
                    raise BundleError(f"{source} (of {pin.uri}) no longer matches its published "
                                      "hash: the publish root was altered; restore the file")
        relocated = dataclasses.replace(manifest, root=str(target / FILES_DIR), path=None,
                                        scopes={s: dict(p) for s, p in manifest.scopes.items()})
        _make_usd_portable(manifest, relocated, building / FILES_DIR)
        relocated.write(building / MANIFEST_NAME)
        if target.exists():
            target.rmdir()
        os.replace(building, target)
    except BaseException:
        remove_tree(building)
        raise
    relocated.path = target / MANIFEST_NAME
    return relocated


def _make_usd_portable(source: Manifest, relocated: Manifest, files: Path) -> None:
    """Rewrite the copied USD layers that would reach outside the bundle, record their new
    hashes (and the published ones), and open each layer from the bundle to check it."""
    from legos.usd.layers import is_layer_file

    if not any(is_layer_file(f.path) for _s, p in source.pins() for f in p.files.values()):
        return  # nothing for usd-core to do: bundles of images need no USD
    try:
        from legos.usd import relocate
    except ImportError:
        raise BundleError("the pin set holds USD layers and making them portable needs usd-core: "
                          "pip install 'legos[usd]'") from None
    try:
        rewritten = relocate.make_portable(source, files)
        unresolved_before = relocate.unresolved(Path(source.root), source)
    except LegosError as exc:
        raise BundleError(f"the bundle would not be portable: {exc}") from None
    changed = {r.path: sha256_of(files / r.path) for r in rewritten}
    for pins in relocated.scopes.values():
        for asset, pin in pins.items():
            if any(f.path in changed for f in pin.files.values()):
                pins[asset] = dataclasses.replace(pin, files={
                    name: PinnedFile(f.path, changed.get(f.path, f.sha256))
                    for name, f in pin.files.items()})
    relocated.rewritten = {r.path: _published_hash(source, r.path) for r in rewritten}
    problems = relocate.check_portable(files, relocated, unresolved_before)
    if problems:
        raise BundleError("the bundle's USD layers do not stand on their own: "
                          + "; ".join(problems[:5]))


def _published_hash(manifest: Manifest, path: str) -> str:
    return next(f.sha256 for _s, p in manifest.pins() for f in p.files.values() if f.path == path)


def verify(manifest: Manifest) -> list[str]:
    """Problems with a manifest's files (missing or altered); empty when all is well."""
    problems = []
    for _scope, pin in manifest.pins():
        for name, file in sorted(pin.files.items()):
            path = Path(manifest.absolute(file))
            if not path.is_file():
                problems.append(f"{pin.uri} {name}: {path} is missing")
            elif sha256_of(path) != file.sha256:
                problems.append(f"{pin.uri} {name}: {path} does not match its hash")
    return problems
