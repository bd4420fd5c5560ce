"""Never transcode the same texture twice: results kept by a key over everything that decides
the bytes written (the source's content, the OCIO config, the colour transform, the texture
maker's arguments, the OpenImageIO and OCIO versions, the legos recipe).

    key = cache_key(source_sha256=..., config=info, decision=d, args={...})
    cache = TextureCache()            # $LEGOS_TEXTURE_CACHE or <user cache dir>/legos/textures
    cache.get(key.value)              # a CacheEntry, or None
    cache.put(key.value, staged_dir, meta)

An entry is a folder `<root>/<key[:2]>/<key>/` holding the texture, its thumbnail and
`meta.json`; it appears whole (written in a staging folder beside it, renamed into place), so
a reader never sees half of one and two processes making the same key keep one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from legos.ingest.colour import ColourDecision, ConfigInfo

# Bump when legos changes what it writes for the same inputs (thumbnail, header, alpha, ...)
RECIPE = 1
META = "meta.json"
_STALE_STAGING_S = 24 * 3600


def file_sha256(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def tool_versions() -> dict[str, str]:
    """The versions of what makes the bytes: OIIO and the OCIO inside it, and PyOpenColorIO
    (which decides the colour spaces)."""
    import OpenImageIO as oiio
    import PyOpenColorIO as ocio

    from legos import __version__

    # OIIO 3.0 (Blender's bundled one) has no __version__, only VERSION_STRING
    return {"OpenImageIO": str(getattr(oiio, "__version__", None) or oiio.VERSION_STRING),
            "OpenImageIO.OpenColorIO": oiio.get_string_attribute("opencolorio_version"),
            "PyOpenColorIO": str(ocio.__version__),
            "legos": __version__, "recipe": str(RECIPE)}


@dataclass(frozen=True)
class CacheKey:
    """A cache key and everything it was computed from (the provenance of a transcode)."""

    value: str
    inputs: dict[str, Any] = field(hash=False, compare=False)


def cache_key(*, source_sha256: str, config: ConfigInfo, decision: ColourDecision,
              args: dict[str, Any], versions: dict[str, str] | None = None) -> CacheKey:
    versions = dict(versions or tool_versions())
    versions.pop("legos", None)  # a legos release that writes the same bytes keeps the cache
    inputs = {
        "source_sha256": source_sha256,
        "ocio_config": config.identity(),
        "colour": {**decision.to_dict(), "data": decision.is_data},
        "args": args,
        "versions": versions,
    }
    text = json.dumps(inputs, sort_keys=True, separators=(",", ":"))
    return CacheKey(hashlib.sha256(text.encode()).hexdigest(), inputs)


@dataclass(frozen=True)
class CacheEntry:
    key: str
    folder: Path
    meta: dict[str, Any]

    def file(self, name: str) -> Path:
        return self.folder / name


def default_root() -> Path:
    explicit = os.environ.get("LEGOS_TEXTURE_CACHE")
    if explicit:
        return Path(explicit)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("legos")) / "textures"


class TextureCache:
    """Transcoded textures by key, in a folder (default: `default_root()`)."""

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(root) if root is not None else default_root()

    def __repr__(self) -> str:
        return f"TextureCache({str(self.root)!r})"

    def folder(self, key: str) -> Path:
        return self.root / key[:2] / key

    def get(self, key: str) -> CacheEntry | None:
        folder = self.folder(key)
        try:
            meta = json.loads((folder / META).read_text())
        except (OSError, ValueError):
            return None
        if not all((folder / name).is_file() for name in meta.get("files", {}).values()):
            return None  # someone pruned part of it: make it again
        return CacheEntry(key, folder, meta)

    def staging(self) -> Path:
        """A new empty folder on the cache's file system, to write an entry in."""
        base = self.root / ".staging"
        base.mkdir(parents=True, exist_ok=True)
        self._clear_stale(base)
        return Path(tempfile.mkdtemp(prefix="tx-", dir=base))

    def put(self, key: str, staged: Path, meta: dict[str, Any]) -> CacheEntry:
        """Move a staged folder into place as the entry for `key` (the first one wins)."""
        (staged / META).write_text(json.dumps(meta, indent=1, sort_keys=True))
        for each in staged.iterdir():  # read-only: a hard-linked copy is never edited in place
            each.chmod(0o444)
        folder = self.folder(key)
        folder.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(staged, folder)
        except OSError:  # another process made the same key first, or a broken entry is there
            existing = self.get(key)
            if existing is not None:
                shutil.rmtree(staged, ignore_errors=True)
                return existing
            shutil.rmtree(folder, ignore_errors=True)
            os.rename(staged, folder)
        return CacheEntry(key, folder, meta)

    @staticmethod
    def _clear_stale(base: Path) -> None:
        # staging folders of processes that died mid-transcode
        now = time.time()
        for each in base.iterdir():
            try:
                if now - each.stat().st_mtime > _STALE_STAGING_S:
                    shutil.rmtree(each, ignore_errors=True)
            except OSError:
                pass
