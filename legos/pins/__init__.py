"""Frozen selections: pin sets in the graph, manifests on disk, and resolution from them."""

from __future__ import annotations

import os


def resolve(uri: str, pins: str | os.PathLike[str], scope: str = "",
            root: str | os.PathLike[str] | None = None) -> str:
    """The file a URI resolves to under a manifest: no store, no database. `root` is where the
    manifest's publish root is mounted here, when not where it was pinned.

        legos.pins.resolve("legos:/demo/chr/skaarj/model?rep=usd", "/shots/sh0040/pins.json")
        legos.pins.resolve("legos:/demo/chr/skaarj/model", "sh0040.json", root="/Volumes/publish")
    """
    from legos.pins.manifest import read
    from legos.pins.resolver import ManifestResolver

    return ManifestResolver(read(pins), root=root).resolve(uri, scope).path
