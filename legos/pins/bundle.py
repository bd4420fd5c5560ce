"""Bundles: every file a pin set needs, copied under a new root (another site, an archive, a
vendor delivery), with the relocated manifest beside them; and the check that a manifest's
files are all there and unchanged."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from legos.errors import LegosError
from legos.files import copy_with_hash, remove_tree, sha256_of
from legos.pins.manifest import Manifest

MANIFEST_NAME = "manifest.json"
FILES_DIR = "files"


class BundleError(LegosError):
    pass


def bundle(manifest: Manifest, destination: str | os.PathLike[str]) -> Manifest:
    """Copy the pinned files to `destination/files/...` and write `destination/manifest.json`.

    The copy is built beside the destination and renamed into place, so a failed bundle leaves
    nothing behind."""
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
        relocated.write(building / MANIFEST_NAME)
        if target.exists():
            target.rmdir()
        os.replace(building, target)
    except BaseException:
        remove_tree(building)
        raise
    relocated.path = target / MANIFEST_NAME
    return relocated


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
