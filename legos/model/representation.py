"""A Representation is one file of a version (usd, tx, exr, obj, a thumbnail, ...)."""

from __future__ import annotations

from pathlib import PurePosixPath

from pydantic import BaseModel, ConfigDict

# Extensions whose format name differs from the extension itself.
_FORMAT_ALIASES = {
    "usda": "usd", "usdc": "usd", "usdz": "usdz", "tif": "tiff", "jpeg": "jpg",
    "glb": "gltf", "yml": "yaml",
}


def guess_format(name: str) -> str:
    """The format of a file from its name: 'usd' for .usda/.usdc, 'tiff' for .tif, ..."""
    suffix = PurePosixPath(name).suffix.lower().lstrip(".")
    if not suffix:
        return "file"
    return _FORMAT_ALIASES.get(suffix, suffix)


class Representation(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str              # path relative to the version folder, '/'-separated
    path: str              # absolute path of the published, read-only file
    format: str
    size: int
    sha256: str
