"""legos identity recorded inside a USD layer, so a file says what it is without a database:
`customLayerData["legos"] = {uri, version, uid}` on the layer, and Pixar's model assetInfo
(identifier, name, version, plus `legos` = {uri, uid}) on its default prim, which survives
being referenced. Stamp working files before publishing; published files are read-only.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass

from legos.usd.errors import IdentityError, UsdFileError
from legos.usd.layers import check_usd_file, is_layer_file, open_private


@dataclass(frozen=True)
class Identity:
    uri: str
    version: int
    uid: str


def stamp_identity(layer_path: str | os.PathLike[str], uri: str, version: int,
                   uid: str) -> str | None:
    """Write the identity into the layer and save it; returns the stamped prim's path, or None
    when the layer has no default prim (then only the layer data carries it)."""
    from pxr import Sdf, Tf

    from legos.errors import InvalidURIError
    from legos.uri import parse_uri

    file = check_usd_file(layer_path)
    if not is_layer_file(str(file)):
        raise IdentityError(f"{str(file)!r} is not a layer legos can stamp: use .usd, .usda or .usdc")
    try:
        parsed = parse_uri(uri)
    except InvalidURIError as exc:
        raise IdentityError(f"cannot stamp {str(file)!r}: {exc}") from None
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise IdentityError(f"version {version!r} is not a positive number")
    if parsed.version is not None and parsed.version != version:
        raise IdentityError(f"{uri} names version {parsed.version}, not {version}: give one of them")
    # the mode, not os.access: root may write anything, yet a 0444 file is a published one
    if not os.access(file, os.W_OK) or not file.stat().st_mode & stat.S_IWUSR:
        raise IdentityError(
            f"{str(file)!r} is read-only (a published file?): stamp a working copy before "
            "publishing it; published versions never change")
    try:
        layer = Sdf.Layer.FindOrOpen(str(file))
    except Tf.ErrorException:
        layer = None
    if layer is None:
        raise UsdFileError(f"USD cannot read {str(file)!r}: check that it is a USD layer")

    record = {"uri": uri, "version": version, "uid": uid}
    data = dict(layer.customLayerData)
    data["legos"] = record
    layer.customLayerData = data
    stamped = None
    prim = layer.GetPrimAtPath(Sdf.Path.absoluteRootPath.AppendChild(layer.defaultPrim)) \
        if layer.defaultPrim else None
    if prim is not None:
        info = dict(prim.assetInfo)
        # The identifier names the file itself (Pixar's convention): an identifier authored as
        # a legos: URI would be an asset path every localiser and freeze tries to resolve.
        info.update(identifier=Sdf.AssetPath(f"./{file.name}"), name=parsed.asset,
                    version=str(version), legos={"uri": uri, "uid": uid})
        prim.assetInfo = info
        stamped = str(prim.path)
    if not layer.Save():
        raise IdentityError(f"USD could not save {str(file)!r}: check the file and its folder")
    return stamped


def read_identity(layer_path: str | os.PathLike[str]) -> Identity | None:
    """The identity stamped in a layer, or None for a file legos never stamped."""
    layer = open_private(layer_path)  # fresh from disk, whatever this process has cached
    record = layer.customLayerData.get("legos")
    if not isinstance(record, dict) or not {"uri", "version", "uid"} <= set(record):
        return None
    return Identity(str(record["uri"]), int(record["version"]), str(record["uid"]))
