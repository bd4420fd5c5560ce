"""Resolution from a frozen manifest: URI -> file path with no database at all.

This is what a render farm runs thousands of times per frame, so the path from a URI string to
a file is a couple of dictionary lookups once a URI has been seen; a local override (a user's
work-area file for one asset, for one session) is consulted first without touching the manifest.
Each file is checked to exist once per resolver (a missing one is an error, never a path to
nothing), and the manifest's root can be mapped to where that storage is mounted here.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from legos.errors import NotFoundError
from legos.pins.files import MissingFileError, check_exists, pick_file
from legos.pins.manifest import Manifest, ManifestError
from legos.uri import AssetURI, parse_reference

OVERRIDES_ENV = "LEGOS_PIN_OVERRIDES"


class NotPinnedError(NotFoundError):
    """The manifest does not pin the asset, or pins another version than the URI asks for."""


class Resolved(NamedTuple):  # a tuple: built once per URI on the farm's hot path
    uri: str            # the exact URI resolved to: legos:/<project>/<asset>?version=N
    asset: str          # "<project>/<asset name>"
    version: int | None  # None for a local override
    path: str
    overridden: bool = False


def read_overrides(path: str | os.PathLike[str]) -> dict[str, str]:
    """An overrides file: {"legos:/demo/chr/skaarj/model": "/home/ana/work/model.usd", ...}."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ManifestError(f"overrides file {str(path)!r} is not readable JSON: {exc}") from None
    if not isinstance(document, dict) or not all(isinstance(v, str) for v in document.values()):
        raise ManifestError(
            f"overrides file {str(path)!r} must map asset URIs to file paths, e.g. "
            '{"legos:/demo/chr/skaarj/model": "/work/model.usd"}')
    return {parse_reference(uri).path: value for uri, value in document.items()}


class ManifestResolver:
    """Resolves URIs from one manifest. `root` maps the manifest's recorded root to where the
    same storage is mounted on this machine (another mount point, another OS)."""

    def __init__(self, manifest: Manifest, overrides: Mapping[str, str] | None = None,
                 root: str | os.PathLike[str] | None = None) -> None:
        self.manifest = manifest
        self.root = os.path.expanduser(os.fspath(root)) if root else manifest.root
        self._mapped = self.root != manifest.root
        if overrides is None and os.environ.get(OVERRIDES_ENV):
            overrides = read_overrides(os.environ[OVERRIDES_ENV])
        # keys may be URIs or "<project>/<asset>" paths
        self.overrides = {parse_reference(k).path: v
                          for k, v in (overrides or {}).items()}
        self._cache: dict[tuple[str, str], Resolved] = {}
        self._checked: set[str] = set()  # files seen to exist: each is checked once
        self._prefix = os.path.join(self.root, "")  # root + separator, joined by concatenation

    def resolve(self, uri: str | AssetURI, scope: str = "") -> Resolved:
        key = (str(uri), scope)
        hit = self._cache.get(key)
        if hit is None:
            if isinstance(uri, str):
                hit = self._quick(uri, scope) or self._resolve(parse_reference(uri), scope)
            else:
                hit = self._resolve(uri, scope)
            self._cache[key] = hit
        return hit

    def path(self, uri: str, scope: str = "") -> str:
        hit = self._cache.get((uri, scope))
        return hit.path if hit is not None else self.resolve(uri, scope).path

    def _quick(self, text: str, scope: str) -> Resolved | None:
        """The common shape `legos:/<project>/<asset>[?version=N][&rep=R]` without the full
        parser (a pinned path is valid by construction). Anything else, or a miss, takes the
        full path, which also words the errors."""
        if not text.startswith("legos:/"):
            return None
        path, _, query = text[7:].partition("?")
        version = rep = None
        for part in query.split("&") if query else ():
            key, _, value = part.partition("=")
            if key == "version" and value.isdigit():
                version = int(value)
            elif key == "rep" and value and "%" not in value:  # escapes: the full parser
                rep = value
            else:
                return None
        if path in self.overrides:
            return None
        pin = self.manifest.lookup(path, scope)
        if pin is None or (version is not None and version != pin.version):
            return None
        if rep is None and len(pin.files) == 1:  # most pins: one file, nothing to choose
            (file,) = pin.files.values()
        else:
            file = pin.file(pick_file(pin.files, rep, path.partition("/")[2],
                                      f"{pin.uri} in manifest {self.manifest.name!r}",
                                      pin.entry))
        return Resolved(pin.uri, pin.asset, pin.version, self._existing(self._prefix + file.path,
                                                                         pin.uri))

    def _existing(self, path: str, uri: str) -> str:
        if path not in self._checked:
            check_exists(path, f"{uri} (in manifest {self.manifest.name!r})", self.root,
                         self._mapped)
            self._checked.add(path)
        return path

    def _resolve(self, uri: AssetURI, scope: str) -> Resolved:
        override = self.overrides.get(uri.path)
        if override is not None:
            if override not in self._checked:
                if not os.path.isfile(override):
                    raise MissingFileError(
                        f"the override of {uri.asset_uri()} names {override}, which does not "
                        "exist: fix the overrides file or drop the entry")
                self._checked.add(override)
            return Resolved(uri.asset_uri(), uri.path, None, override, overridden=True)
        pin = self.manifest.lookup(uri.path, scope)
        where = f"manifest {self.manifest.name!r}"
        if pin is None:
            raise NotPinnedError(
                f"{uri} is not pinned by {where}"
                + (f" in scope {scope!r} or above" if scope else "")
                + ": pin it again with `legos pin`, or resolve without --pins")
        if uri.version is not None and uri.version != pin.version:
            raise NotPinnedError(
                f"{uri} asks for v{uri.version} but {where} pins v{pin.version}: drop "
                "version= to take the pinned one")
        name = pick_file(pin.files, uri.rep, uri.asset, f"{pin.uri} in {where}", pin.entry)
        return Resolved(pin.uri, pin.asset, pin.version,
                        self._existing(os.path.join(self.root, pin.file(name).path), pin.uri))
