"""Frozen selections: pin sets in the graph, manifests on disk, and resolution from them."""

from __future__ import annotations

import os


def resolve(uri: str, pins: str | os.PathLike[str], scope: str = "") -> str:
    """The file a URI resolves to under a manifest: no store, no database.

        legos.pins.resolve("legos:/demo/chr/skaarj/model?rep=usd", "/shots/sh0040/pins.json")
    """
    from legos.pins.manifest import read
    from legos.pins.resolve import ManifestResolver

    return ManifestResolver(read(pins)).resolve(uri, scope).path
