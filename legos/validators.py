"""The built-in publish validators (legos.hooks plugins) that DCC publishes need:

    referenced_files    every file a published USD layer names exists                   (error)
    unpublished_files   ... and is there once published (not only beside the work file) (warning)
    absolute_paths      no USD layer names a file by an absolute path outside the root  (warning)
    texture_colorspace  textures published or used have a recorded colour space         (warning)

A studio sets their levels with LEGOS_VALIDATORS, e.g. `absolute_paths=error,
texture_colorspace=off` (levels: error, warning, off); see docs/hooks.md.
"""

from __future__ import annotations

import glob
import os
import re
import threading
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from legos.errors import ConfigError, LegosError
from legos.hooks import Finding, PublishRequest, hookimpl

if TYPE_CHECKING:
    from legos.files import SourceFile

ENV = "LEGOS_VALIDATORS"
DEFAULTS = {"referenced_files": "error", "unpublished_files": "warning",
            "absolute_paths": "warning", "texture_colorspace": "warning"}
_SETTINGS = ("error", "warning", "off")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # legos:, http:; not a drive letter
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
_TILES = {"<UDIM>": "[1-9][0-9][0-9][0-9]", "<UVTILE>": "u[0-9]*_v[0-9]*"}
_MAX_LISTED = 10  # findings of one check beyond this are summed up in one


def levels() -> dict[str, str]:
    """Each built-in's level: the defaults, overridden by $LEGOS_VALIDATORS."""
    out = dict(DEFAULTS)
    text = os.environ.get(ENV, "").strip()
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, level = (s.strip() for s in part.partition("="))
        if not sep or name not in DEFAULTS or level not in _SETTINGS:
            raise ConfigError(
                f"{ENV}={text!r}: {part!r} is not NAME=LEVEL with NAME one of "
                f"{', '.join(DEFAULTS)} and LEVEL one of {', '.join(_SETTINGS)}, e.g. "
                f"{ENV}=absolute_paths=error,texture_colorspace=off")
        out[name] = level
    return out


class Builtin:
    """One built-in check as a plugin of its own, so that its findings and any crash name it."""

    def __init__(self, check: str) -> None:
        self.check = check

    @hookimpl
    def validate_publish(self, request: PublishRequest) -> list[Finding]:
        level = levels()[self.check]
        if level == "off":
            return []
        found = list(_CHECKS[self.check](request))
        if len(found) > _MAX_LISTED:
            rest = len(found) - _MAX_LISTED + 1
            found = found[:_MAX_LISTED - 1] + [(f"and {rest} more like these", None)]
        return [Finding(level, message, file, check=self.check)  # type: ignore[arg-type]
                for message, file in found] + _notes(self.check, request)


def builtin_plugins() -> dict[str, Builtin]:
    return {f"legos.{name}": Builtin(name) for name in DEFAULTS}


# -- what the USD layers of a publish name -------------------------------------------------
@dataclass(frozen=True)
class AuthoredPath:
    """One asset path authored in a USD layer of the publish, and where it leads."""

    layer: SourceFile
    text: str
    style: str                      # "absolute", "relative" (./, ../), "search" or "uri"
    here: str | None = None         # the file it names from the layer's current place
    exists_here: bool = False
    inside: str | None = None       # the published name it names, when it stays in the version
    in_publish: bool = False        # ... and that name is one this publish gives
    destination: str | None = None  # the file it names from the layer's published place, when
    exists_at_destination: bool = False  # it leaves the version folder
    on_search_path: bool = False    # USD's default search path finds it

    @property
    def resolves(self) -> bool:
        """It will resolve where the layer is published."""
        return self.in_publish or self.exists_at_destination or self.on_search_path or (
            self.style == "absolute" and self.exists_here)


@dataclass(frozen=True)
class _Scan:
    paths: list[AuthoredPath]
    unreadable: list[tuple[SourceFile, str]]
    no_usd: bool = False


_scans: weakref.WeakKeyDictionary[PublishRequest, _Scan] = weakref.WeakKeyDictionary()
_scans_lock = threading.Lock()  # publishes run in threads (a DCC, ingest)


def authored_paths(request: PublishRequest) -> _Scan:
    """The asset paths authored in the publish's USD layers (read once per request: three
    checks use them)."""
    with _scans_lock:
        scan = _scans.get(request)
    if scan is None:
        scan = _scan(request)
        with _scans_lock:
            _scans[request] = scan
    return scan


def _scan(request: PublishRequest) -> _Scan:
    from legos.usd.layers import is_layer_file

    layers = [s for s in request.sources if is_layer_file(s.name)]
    if not layers:
        return _Scan([], [])
    try:
        from pxr import UsdUtils
    except ImportError:
        return _Scan([], [], no_usd=True)
    from legos.usd.layers import open_private

    names = {s.name for s in request.sources}
    out: list[AuthoredPath] = []
    unreadable = []
    for layer in layers:
        try:
            private = open_private(layer.source)
        except LegosError as exc:
            unreadable.append((layer, str(exc)))
            continue
        authored: list[str] = []

        def read(path: str, into: list[str] = authored) -> str:  # reads, changes nothing
            into.append(path)
            return path

        UsdUtils.ModifyAssetPaths(private, read)
        for text in dict.fromkeys(authored):
            if text:
                out.append(_follow(request, layer, text, names))
    return _Scan(out, unreadable)


def _follow(request: PublishRequest, layer: SourceFile, text: str,
            names: set[str]) -> AuthoredPath:
    if _SCHEME.match(text):
        return AuthoredPath(layer, text, "uri")
    if os.path.isabs(text) or _DRIVE.match(text):
        here = os.path.normpath(text)
        return AuthoredPath(layer, text, "absolute", here, _exists(here))
    posix = text.replace("\\", "/")
    style = "relative" if posix.startswith(("./", "../")) else "search"
    here = os.path.normpath(os.path.join(os.path.dirname(layer.source), text))
    published = os.path.normpath(
        PurePosixPath(layer.name).parent.joinpath(posix).as_posix()).replace(os.sep, "/")
    inside = in_publish = None
    destination = None
    if published != ".." and not published.startswith("../"):
        inside = published
        in_publish = _matches(published, names)
    elif request.folder is not None:
        destination = os.path.normpath(os.path.join(request.root, request.folder, published))
    found_here = _exists(here)
    on_search_path = False
    if style == "search" and not (found_here or in_publish):
        on_search_path = _on_search_path(text)
    return AuthoredPath(layer, text, style, here, found_here, inside, bool(in_publish),
                        destination, destination is not None and _exists(destination),
                        on_search_path)


def _pattern(path: str) -> str | None:
    if not any(token in path for token in _TILES):
        return None
    out = glob.escape(path)
    for token, wildcard in _TILES.items():
        out = out.replace(glob.escape(token), wildcard)
    return out


def _exists(path: str) -> bool:
    pattern = _pattern(path)
    return bool(glob.glob(pattern)) if pattern else os.path.exists(path)


def _matches(name: str, names: set[str]) -> bool:
    pattern = _pattern(name)
    if pattern is None:
        return name in names
    from fnmatch import fnmatchcase

    return any(fnmatchcase(n, pattern) for n in names)


def _names(name: str, names: list[str]) -> list[str]:
    """The published names a name (maybe a UDIM pattern) stands for."""
    pattern = _pattern(name)
    if pattern is None:
        return [name]
    from fnmatch import fnmatchcase

    return [n for n in names if fnmatchcase(n, pattern)]


def _on_search_path(text: str) -> bool:
    from pxr import Ar

    try:
        return bool(Ar.GetResolver().Resolve(text))
    except Exception:
        return False


def _under(path: str, root: Path) -> str | None:
    """`path` relative to the publish root (under either its given or its real path)."""
    from legos.usd.dependencies import relative_under

    for base in dict.fromkeys((str(root), os.path.realpath(root))):
        for candidate in dict.fromkeys((path, os.path.realpath(path))):
            rel = relative_under(candidate, base)
            if rel is not None:
                return rel
    return None


# -- the checks: each yields (message, file) ----------------------------------------------
Found = Iterator[tuple[str, str | None]]


def referenced_files(request: PublishRequest) -> Found:
    """Paths that name nothing, here or once published."""
    for p in authored_paths(request).paths:
        if p.style == "uri" or p.resolves or p.exists_here or p.style == "search":
            continue  # a search path nothing resolves now: a note (_notes), never refused
        yield (f"@{p.text}@ in {p.layer.name} names a file that does not exist ({p.here}): fix "
               "the path or publish the file", str(p.layer.source))


def unpublished_files(request: PublishRequest) -> Found:
    """Relative paths that resolve beside the work file but not where the layer is published
    (the file is not published with it, nor in the publish root at that place)."""
    for p in authored_paths(request).paths:
        if p.style in ("uri", "absolute") or p.resolves or not p.exists_here:
            continue
        why = f"the path leads to {p.destination} in the publish root, where there is no " \
            "file" if p.destination else f"this version publishes no {p.inside}"
        yield (f"@{p.text}@ in {p.layer.name} names {p.here}, which will not be there once "
               f"published: {why}; publish the file with the layer (a folder keeps its layout) "
               "or reference its published version", str(p.layer.source))


def _notes(check: str, request: PublishRequest) -> list[Finding]:
    """What referenced_files says whatever its level: a search-path reference nothing resolves
    now (a pins directory may provide it when the layer is opened) is a warning; a layer USD
    cannot read (a placeholder?) or no usd-core to read layers with, an info."""
    if check != "referenced_files":
        return []
    scan = authored_paths(request)
    out = [Finding("info", f"{layer.name}: its references were not checked: {reason}",
                   str(layer.source), check=check) for layer, reason in scan.unreadable]
    if scan.no_usd:
        out.append(Finding("info", "usd-core is not installed: the references of the USD "
                           "layers were not checked (pip install 'legos[usd]')", check=check))
    out += [Finding("warning", f"@{p.text}@ in {p.layer.name} is found neither beside the "
                    "layer nor on USD's search path: fine only if a search path (a pins "
                    "directory) provides it when the layer is opened", str(p.layer.source),
                    check=check)
            for p in scan.paths if p.style == "search" and not p.exists_here and not p.resolves]
    return out


def absolute_paths(request: PublishRequest) -> Found:
    ours = {os.path.realpath(s.source): s.name for s in request.sources}
    for p in authored_paths(request).paths:
        if p.style != "absolute" or p.here is None or _under(p.here, request.root) is not None:
            continue
        where = f"@{p.text}@ in {p.layer.name}"
        own = ours.get(os.path.realpath(p.here))
        if own is not None:
            yield (f"{where} names the work copy of {own}, which this version publishes: "
                   "reference it by a relative path, so the published layer uses the published "
                   "file", str(p.layer.source))
        else:
            yield (f"{where} is an absolute path outside the publish root ({request.root}): "
                   "other machines and later versions of the file will not see it; publish the "
                   "file and reference it from the publish root or by a relative path",
                   str(p.layer.source))


def texture_colorspace(request: PublishRequest) -> Found:
    from legos.ingest.usd_asset import is_image

    facts = request.facts
    fix = "ingest it with `legos ingest texture` (it records one)"

    def recorded(name: str) -> bool:
        return bool((facts.get(name) or {}).get("colorspace"))

    checked: set[str] = set()
    if request.kind == "TextureAsset":
        for source in request.sources:
            if is_image(source.name) and not recorded(source.name):
                checked.add(source.name)
                yield (f"texture {source.name} of {request.uri} has no recorded colour space: "
                       f"{fix}", str(source.source))
    in_root: dict[str, AuthoredPath] = {}
    for p in authored_paths(request).paths:
        if p.style == "uri" or not is_image(p.text):
            continue
        if p.in_publish and p.inside is not None:
            for name in _names(p.inside, [s.name for s in request.sources]):
                if name not in checked and not recorded(name):
                    checked.add(name)
                    yield (f"texture {name} (@{p.text}@ in {p.layer.name}) is published "
                           f"without a recorded colour space: publish it as a TextureAsset "
                           f"version through `legos ingest texture` and reference that",
                           str(p.layer.source))
            continue
        target = p.destination if p.exists_at_destination else p.here
        pattern = _pattern(target) if target else None
        for path in (glob.glob(pattern) if pattern else [target] if target else []):
            rel = _under(path, request.root)
            if rel is not None:
                in_root[rel] = p
    yield from _published_textures(request, in_root, fix)


def _published_textures(request: PublishRequest, in_root: dict[str, AuthoredPath],
                        fix: str) -> Found:
    """Texture versions the publish uses (dependencies, files its layers name in the root)
    whose files have no recorded colour space."""
    from legos.ingest.usd_asset import is_image

    deps = list(request.dependencies)
    if not deps and not in_root:
        return

    def work(tx: Any) -> tuple[list[str], list[dict[str, Any]], dict[str, Any]]:
        uids = [uid for uid, kind in _dependency_kinds(tx, deps) if kind == "TextureAsset"]
        owners = tx.query("usd/versions_of_files", paths=sorted(in_root)) if in_root else []
        wanted = sorted(set(uids) | {o["uid"] for o in owners if o["kind"] == "TextureAsset"})
        return uids, owners, _versions(tx, wanted, request.root)

    cached = None if in_root else _known_textures(deps)
    dep_uids, owners, versions = cached or request.lg.store.read(work)
    said = set()
    for uid in dict.fromkeys(dep_uids):
        version = versions.get(uid)
        if version is None or version.kind != "TextureAsset":
            continue
        entry = version.entry_file
        files = [entry] if entry is not None else [
            r for r in version.representations if r.role == "content" and is_image(r.name)]
        for rep in files:
            if not rep.colorspace:
                said.add((uid, rep.name))
                yield (f"dependency {version.uri} has no recorded colour space for {rep.name}: "
                       f"{fix}", None)
    for owner in owners:
        version = versions.get(owner["uid"])
        if version is None or (owner["uid"], owner["name"]) in said:
            continue
        rep = next((r for r in version.representations if r.name == owner["name"]), None)
        if rep is not None and not rep.colorspace:
            p = in_root[owner["path"]]
            yield (f"@{p.text}@ in {p.layer.name} uses {rep.name} of {version.uri}, which has "
                   f"no recorded colour space: {fix}", str(p.layer.source))


def _known_textures(deps: list[Any]) -> tuple[list[str], list[Any], dict[str, Any]] | None:
    """What `_published_textures` reads, without a read transaction, when a batch publish
    (legos.publish_inputs.remembered) already looked up every input (found, or absent: most
    often a version of the batch itself, not yet written) and read every texture among them
    (a read transaction a version cost milliseconds, a round trip each lookup over Bolt);
    else None."""
    from legos.publish_inputs import known_exact, known_versions
    from legos.uri import parse_reference

    versions = known_versions()
    if versions is None:
        return None
    try:
        uris = [parse_reference(dep.uri) for dep in deps]
    except LegosError:
        return None
    if any(u.version is None for u in uris):
        return None
    found = known_exact([{"path": u.path, "number": u.version} for u in uris], primed=True)
    if found is None:
        return None
    rows = [found[key] for u in uris if (key := (u.path, u.version)) in found]
    uids = [row["uid"] for row in rows if row["kind"] == "TextureAsset"]  # absent: skipped
    if any(uid not in versions for uid in uids):
        return None
    return uids, [], {uid: versions[uid] for uid in uids}


def _versions(tx: Any, uids: list[str], root: Path) -> dict[str, Any]:
    """The versions of `uids`, for their files (legos.publish_inputs.read_file_versions), or
    as a batch publish read them all at once."""
    from legos.publish_inputs import known_versions, read_file_versions

    known = known_versions()  # a batch publish read them all at once
    out: dict[str, Any] = {uid: known[uid] for uid in uids if uid in known} if known else {}
    out.update(read_file_versions(tx, [uid for uid in uids if uid not in out], root))
    return out


def _dependency_kinds(tx: Any, deps: list[Any]) -> list[tuple[str, str]]:
    """(uid, kind) of each dependency that exists (the publish itself names those that do
    not); explicit versions in one query when there are many, as publish looks them up."""
    from legos.catalog import asset_row, select_uid
    from legos.publish_inputs import exact_versions
    from legos.uri import parse_reference

    uris = []
    for dep in deps:
        try:
            uris.append(parse_reference(dep.uri))
        except LegosError:
            continue
    wanted = [{"path": u.path, "number": u.version} for u in uris if u.version is not None]
    exact = exact_versions(tx, wanted)
    out = []
    for uri in uris:
        found = exact.get((uri.path, uri.version))
        try:
            out.append((found["uid"], found["kind"]) if found else
                       (select_uid(tx, uri), asset_row(tx, uri.path)["kind"]))
        except LegosError:
            continue
    return out


_CHECKS = {"referenced_files": referenced_files, "unpublished_files": unpublished_files,
           "absolute_paths": absolute_paths, "texture_colorspace": texture_colorspace}
