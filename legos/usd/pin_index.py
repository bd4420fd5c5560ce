"""Which pinned file of a manifest an asset path authored in USD stands for.

Three spellings lead to a pin: a `legos:/` URI, a search path that starts with an asset name
(`chr/skaarj/model/model.usd`, no project), and a file inside any version folder of a pinned
asset (the pinned version may be another one). No database: only the manifest.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from legos.pins.files import RepresentationNotFoundError, pick_file
from legos.pins.manifest import Manifest, Pin, scope_chain
from legos.usd.errors import AmbiguousSearchPathError, MissingPinnedFileError, UnpinnedAssetError

UDIM = "<UDIM>"
# The default layout's version folder, only to name the asset in an error message.
_DEFAULT_LAYOUT = re.compile(r"^(?P<project>[^/]+)/(?P<asset>.+?)/v\d+/.+$")


@dataclass(frozen=True)
class PinnedTarget:
    pin: Pin
    rep: str            # representation name (may hold <UDIM>)
    path: str           # absolute path of the pinned file, under the manifest's root


@dataclass(frozen=True)
class _AssetFolder:
    pin: Pin
    folder: str         # the asset's folder, relative to the root: the parent of version folders
    version_segment: re.Pattern[str]


def version_folder(pin: Pin) -> str | None:
    """The pinned version's folder, relative to the root: its files' common parent."""
    folders = {f.path[: -len(name) - 1] for name, f in pin.files.items()
               if f.path.endswith("/" + name)}
    return folders.pop() if len(folders) == 1 else None


def _segment_pattern(segment: str, number: int) -> re.Pattern[str]:
    # 'v002' for version 2 -> r'v\d+': any version of the same asset in the same layout
    for match in re.finditer(r"\d+", segment):
        if int(match.group()) == number:
            return re.compile(re.escape(segment[: match.start()]) + r"\d+"
                              + re.escape(segment[match.end():]) + "$")
    return re.compile(re.escape(segment) + "$")


def visible_pins(manifest: Manifest, scope: str = "") -> dict[str, Pin]:
    """Every pin seen from `scope`, by asset key: inner scopes override outer ones."""
    visible: dict[str, Pin] = {}
    for candidate in reversed(scope_chain(scope)):
        visible.update(manifest.scopes.get(candidate, {}))
    return visible


class PinIndex:
    def __init__(self, manifest: Manifest, scope: str = "") -> None:
        self.manifest, self.scope = manifest, scope
        self.visible = visible_pins(manifest, scope)
        self.projects = sorted({key.split("/", 1)[0] for key in self.visible})
        self._folders: list[_AssetFolder] = []
        for pin in self.visible.values():
            folder = version_folder(pin)
            if folder and "/" in folder:
                parent, _, segment = folder.rpartition("/")
                self._folders.append(_AssetFolder(pin, parent, _segment_pattern(segment, pin.version)))
        self._folders.sort(key=lambda f: len(f.folder), reverse=True)  # longest first

    @property
    def where(self) -> str:
        name = self.manifest.path or self.manifest.name
        return f"manifest {str(name)!r}" + (f" (scope {self.scope!r})" if self.scope else "")

    def target(self, pin: Pin, rep: str, context: str) -> PinnedTarget:
        """The pinned file `rep` of `pin`; a UDIM pattern needs at least one pinned tile."""
        if rep in pin.files:
            return PinnedTarget(pin, rep, self.manifest.absolute(pin.file(rep)))
        folder = version_folder(pin)
        if UDIM in rep and folder is not None:
            tile = re.compile(re.escape(rep).replace(re.escape(UDIM), r"\d{4}") + "$")
            if any(tile.match(name) for name in pin.files):
                return PinnedTarget(pin, rep, os.path.join(self.manifest.root, folder, rep))
        have = ", ".join(sorted(pin.files)[:8]) or "no files"
        raise MissingPinnedFileError(
            f"{self.where} pins {pin.uri}, which has no file {rep!r} ({context}); it has: {have}. "
            "Pin a version that has it, or fix the path")

    def by_uri(self, text: str, context: str) -> PinnedTarget:
        from legos.uri import parse_uri

        uri = parse_uri(text)
        pin = self.manifest.lookup(uri.path, self.scope)
        if pin is None:
            raise UnpinnedAssetError(
                f"{self.where} does not pin legos:/{uri.path} ({context}): add it to the pin set")
        return self.target(pin, self._rep_of_uri(pin, uri.rep, context), context)

    def _rep_of_uri(self, pin: Pin, rep: str | None, context: str) -> str:
        # the same choice as resolution (legos.pins.files), so freeze and resolve agree
        try:
            return pick_file(pin.files, rep, pin.asset.partition("/")[2],
                             f"{pin.uri} pinned by {self.where} ({context})", pin.entry)
        except RepresentationNotFoundError as exc:
            raise MissingPinnedFileError(str(exc)) from None

    def by_search_path(self, path: str, context: str) -> PinnedTarget | None:
        """The longest pinned asset name that prefixes a search path; the rest is the file."""
        parts = path.split("/")
        for cut in range(len(parts) - 1, 0, -1):
            name, rep = "/".join(parts[:cut]), "/".join(parts[cut:])
            hits = [pin for project in self.projects
                    if (pin := self.manifest.lookup(f"{project}/{name}", self.scope)) is not None]
            if len(hits) > 1:
                raise AmbiguousSearchPathError(
                    f"search path {path!r} ({context}) matches "
                    f"{' and '.join(p.uri for p in hits)} in {self.where}: author a legos URI "
                    f"such as @legos:/{hits[0].asset}?rep={rep}@ instead")
            if hits:
                return self.target(hits[0], rep, context)
        return None

    def owner(self, rel_path: str, context: str) -> PinnedTarget | None:
        """The pinned version of the asset whose version folder holds `rel_path` (relative to
        the root), whichever version that folder is."""
        for entry in self._folders:
            if not rel_path.startswith(entry.folder + "/"):
                continue
            segment, _, rep = rel_path[len(entry.folder) + 1:].partition("/")
            if rep and entry.version_segment.match(segment):
                return self.target(entry.pin, rep, context)
        return None

    def unpinned(self, rel_path: str, context: str) -> UnpinnedAssetError:
        """The error for a file in the publish root that no pinned asset owns."""
        guess = _DEFAULT_LAYOUT.match(rel_path)
        asset = f"legos:/{guess['project']}/{guess['asset']}" if guess else "its asset"
        return UnpinnedAssetError(
            f"{self.where} does not pin {asset}, which file {rel_path!r} in the publish root "
            f"belongs to ({context}): add the asset to the pin set")
