"""A pins directory, Pixar's way of pinning without a resolver plugin: one directory symlink per
pinned asset, `<dir>/<asset name>` -> the pinned version's folder. USD's default resolver,
searching that directory, composes `@chr/skaarj/model/model.usd@` from the pinned version.

    build_pins_dir(manifest, "/shots/sh0040/pins")
    stage = Usd.Stage.Open("shot.usda", resolver_context("/shots/sh0040/pins"))

`<dir>` is itself a symlink to a build folder beside it, so a rebuild for another manifest
switches every pin at once (one rename). A process that already holds the layers keeps them:
reopen its stages, or force-reload their layers (`layer.Reload(force=True)`), after a switch.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from legos.pins.manifest import Manifest, Pin
from legos.usd.errors import PinsDirError
from legos.usd.pin_index import version_folder, visible_pins

MARKER = "legos-pins.json"


@dataclass
class PinsDir:
    path: Path                                          # the stable path USD searches
    build: Path                                         # the folder it points at now
    links: dict[str, str] = field(default_factory=dict)  # asset name -> version folder
    skipped: list[str] = field(default_factory=list)    # pins without files: nothing to link

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "build": str(self.build), "links": self.links,
                "skipped": self.skipped}


def _folder_of(pin: Pin, root: str) -> str:
    folder = version_folder(pin)
    if folder is None:
        folder = os.path.commonpath([os.path.dirname(f.path) for f in pin.files.values()])
    return os.path.join(root, folder)


def pin_links(manifest: Manifest, scope: str = "") -> tuple[dict[str, str], list[str]]:
    """Asset name (without project) -> absolute version folder, for the pins seen from `scope`;
    and the URIs of pins that have no files."""
    visible = visible_pins(manifest, scope)
    links: dict[str, str] = {}
    owner: dict[str, Pin] = {}
    skipped = []
    for key in sorted(visible):
        pin = visible[key]
        if not pin.files:
            skipped.append(pin.uri)
            continue
        name = key.split("/", 1)[1]
        if name in owner:
            raise PinsDirError(
                f"{owner[name].uri} and {pin.uri} share the asset name {name!r}, but a pins "
                "directory has one entry per name: pin only one of them in this scope, or "
                "author legos URIs and use `legos usd freeze`")
        owner[name] = pin
        links[name] = _folder_of(pin, manifest.root)
    for other in links:
        parts = other.split("/")
        for name in ("/".join(parts[:cut]) for cut in range(1, len(parts))):
            if name in links:
                raise PinsDirError(
                    f"{owner[name].uri} and {owner[other].uri} nest: {name!r} links to a version "
                    f"folder, which cannot also hold {other!r}; pin only one of them in this scope")
    return links, skipped


def _previous_build(path: Path) -> Path | None:
    """The build folder `path` points at, if it is a pins directory we made; else an error."""
    if path.is_symlink():
        link = os.readlink(path)
        if "/" not in link and link.startswith(f".{path.name}."):  # our naming, even if dangling
            return path.parent / link
        raise PinsDirError(f"{str(path)!r} is a symlink but not a legos pins directory: choose "
                           "another --dir or remove it")
    if path.is_dir() and not any(path.iterdir()):
        return None
    if path.exists():
        raise PinsDirError(f"{str(path)!r} exists and is not a legos pins directory: choose "
                           "another --dir or remove it")
    return None


def build_pins_dir(manifest: Manifest, directory: str | os.PathLike[str],
                   scope: str = "") -> PinsDir:
    """Build the pins directory of `manifest` (as seen from `scope`) at `directory`, replacing a
    previous one at once: build beside, then rename."""
    path = Path(directory).expanduser().absolute()
    links, skipped = pin_links(manifest, scope)
    previous = _previous_build(path)
    tag = manifest.content_hash().removeprefix("sha256:")[:12]
    build = path.parent / f".{path.name}.{tag}-{uuid.uuid4().hex[:8]}"
    swap = path.parent / f".{path.name}.link-{uuid.uuid4().hex[:8]}"
    try:
        build.mkdir(parents=True)
        for name, folder in links.items():
            link = build / name
            link.parent.mkdir(parents=True, exist_ok=True)
            # a directory link: a file link would anchor the pinned layer's own relative
            # references at the pins folder and break them
            os.symlink(folder, link, target_is_directory=True)
        (build / MARKER).write_text(json.dumps({
            "schema": "legos.pins-dir/1", "scope": scope, "links": links, "skipped": skipped,
            "manifest": {"name": manifest.name, "uid": manifest.uid, "hash": manifest.content_hash(),
                         "path": str(manifest.path) if manifest.path else None}}, indent=1) + "\n",
            encoding="utf-8")
        os.symlink(build.name, swap, target_is_directory=True)  # relative: the pair can move
        if path.is_dir() and not path.is_symlink():
            path.rmdir()  # an empty folder (checked above) cannot be renamed over
        os.replace(swap, path)
    except OSError as exc:
        shutil.rmtree(build, ignore_errors=True)
        if swap.is_symlink():
            swap.unlink()
        raise PinsDirError(f"cannot build the pins directory {str(path)!r} ({exc.strerror}): "
                           "choose a folder you can write to") from None
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)  # readers see `path`, never the build name
    return PinsDir(path, build, links, skipped)


def resolver_context(pins_dir: str | os.PathLike[str]) -> Any:
    """The resolver context that makes search paths resolve through `pins_dir`. The path is
    kept as given (not resolved), so that a later switch of the pins is seen."""
    from pxr import Ar

    return Ar.DefaultResolverContext([str(Path(pins_dir).expanduser().absolute())])
