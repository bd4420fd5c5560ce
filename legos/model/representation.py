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


CONTENT = "content"
THUMBNAIL = "thumbnail"  # belongs to the version, but is never its entry nor matched by rep=png
THUMBNAIL_NAME = ".legos/thumbnail.png"  # where a version's thumbnail is published


class Representation(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str              # path relative to the version folder, '/'-separated
    path: str              # absolute path of the published, read-only file
    format: str
    size: int
    sha256: str
    role: str = CONTENT
    # image facts, known for ingested textures (None otherwise)
    width: int | None = None
    height: int | None = None
    channels: int | None = None
    pixel_type: str | None = None      # uint8, uint16, half, float, ...
    colorspace: str | None = None
    mip_levels: int | None = None
    tiled: bool | None = None
