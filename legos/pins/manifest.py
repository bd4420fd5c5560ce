"""The frozen manifest of a pin set: which exact version (and files) each asset resolves to.

A manifest is one JSON document (schema `legos.manifest/1`) written once and read many times:
a render farm resolves every asset reference from it without touching the database.

    {
      "schema": "legos.manifest/1",
      "name": "sh0040-lighting", "uid": "...", "created_by": "dev", "created_at": "...",
      "source": "legos:/demo/seq010/sh0040?version=3",   # what it was pinned from
      "select": "exact",                                  # the selector used, as text
      "root": "/mnt/publish",                             # files below are relative to it
      "scopes": {
        "":      {"demo/chr/skaarj/model": {
                    "version": 2, "uid": "...", "kind": "ModelAsset", "entry": "model.usd",
                    "files": {"model.usd": {"path": "demo/chr/skaarj/model/v002/model.usd",
                                            "sha256": "..."}}}},
        "crowd": {"demo/chr/skaarj/model": {"version": 1, ...}}
      },
      "includes": [{"scope": "crowd", "name": "skaarj-v1", "uid": "...", "hash": "..."}],
      "hash": "sha256:..."                                # over everything above, canonical JSON
    }

Scopes nest with '/': a lookup in scope "crowd/row3" tries "crowd/row3", then "crowd", then "".
One manifest can so hold two versions of one asset (the crowd on the old costume, the hero on
the new one).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from legos.errors import InvalidInputError, LegosError

SCHEMA = "legos.manifest/1"


class ManifestError(LegosError):
    """A manifest that cannot be read, is corrupt, or does not pin what was asked."""


class ManifestExistsError(ManifestError):
    """Writing a manifest over another one without being asked to."""


def refuse_existing(path: str | os.PathLike[str]) -> None:
    if os.path.lexists(path):
        raise ManifestExistsError(
            f"{str(path)!r} already exists: write the manifest to a new file, or pass --force "
            "(replace=True) to replace it")


@dataclass(frozen=True)
class PinnedFile:
    path: str                       # relative to the manifest's root, '/'-separated
    sha256: str


@dataclass(frozen=True)
class Pin:
    asset: str                      # "<project>/<asset name>"
    version: int
    uid: str
    kind: str
    files: dict[str, PinnedFile]    # representation name -> file (thumbnails left out)
    entry: str | None = None        # the file a URI without rep= means

    @property
    def uri(self) -> str:
        return f"legos:/{self.asset}?version={self.version}"

    def file(self, name: str) -> PinnedFile:
        """The pinned file `name`; a UDIM set (`albedo.<UDIM>.png`) has no hash of its own."""
        if name in self.files:
            return self.files[name]
        from legos.pins.files import tile_path

        return PinnedFile(tile_path({n: f.path for n, f in self.files.items()}, name), "")

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "version": self.version, "uid": self.uid, "kind": self.kind,
            "files": {name: {"path": f.path, "sha256": f.sha256}
                      for name, f in sorted(self.files.items())}}
        if self.entry is not None:  # absent for versions before entry files: same hash as then
            document["entry"] = self.entry
        return document


def _validate_scope(scope: str) -> str:
    from legos.names import problem

    if not isinstance(scope, str) or (scope and (problem(scope) or len(scope) > 256)):
        raise InvalidInputError(f"scope {scope!r} is not valid: use names joined by '/', e.g. "
                                "crowd/row3 (no '..', backslash or control character)")
    return scope


def scope_chain(scope: str) -> list[str]:
    """'crowd/row3' -> ['crowd/row3', 'crowd', '']: innermost first."""
    chain = []
    while scope:
        chain.append(scope)
        scope = scope.rpartition("/")[0]
    chain.append("")
    return chain


@dataclass
class Manifest:
    name: str
    uid: str
    created_by: str
    created_at: str
    root: str
    source: str = ""
    select: str = "exact"
    scopes: dict[str, dict[str, Pin]] = field(default_factory=dict)
    includes: list[dict[str, str]] = field(default_factory=list)
    # a bundle's USD layers rewritten to stay inside it: path -> the published file's sha256
    rewritten: dict[str, str] = field(default_factory=dict)
    path: Path | None = None        # where it was read from, if anywhere

    def pins(self) -> Iterator[tuple[str, Pin]]:
        for scope in sorted(self.scopes):
            for asset in sorted(self.scopes[scope]):
                yield scope, self.scopes[scope][asset]

    def add(self, pin: Pin, scope: str = "") -> None:
        self.scopes.setdefault(_validate_scope(scope), {})[pin.asset] = pin

    def absolute(self, file: PinnedFile) -> str:
        return os.path.join(self.root, file.path)

    def lookup(self, asset: str, scope: str = "") -> Pin | None:
        """The pin of `asset` ("<project>/<name>") seen from `scope`, innermost scope first."""
        if not scope:  # the farm's common case, without building the scope chain
            return self.scopes.get("", {}).get(asset)
        for candidate in scope_chain(scope):
            pin = self.scopes.get(candidate, {}).get(asset)
            if pin is not None:
                return pin
        return None

    def body(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA, "name": self.name, "uid": self.uid,
            "created_by": self.created_by, "created_at": self.created_at,
            "source": self.source, "select": self.select, "root": self.root,
            "scopes": {scope: {asset: pin.to_json() for asset, pin in sorted(pins.items())}
                       for scope, pins in sorted(self.scopes.items())},
            "includes": self.includes,
            # only in bundles: older manifests keep their hash
            **({"rewritten": dict(sorted(self.rewritten.items()))} if self.rewritten else {}),
        }

    def content_hash(self, body: dict[str, Any] | None = None) -> str:
        canonical = json.dumps(body or self.body(), sort_keys=True, separators=(",", ":"))
        return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()

    def to_json(self) -> dict[str, Any]:
        body = self.body()
        return {**body, "hash": self.content_hash(body)}

    def write(self, path: str | os.PathLike[str],
              document: dict[str, Any] | None = None, replace: bool = True) -> Path:
        """Write atomically (a reader never sees half a manifest). `document` is `to_json()`
        when the caller has it already (it is the costly part for a big shot). Without
        `replace`, an existing file is never overwritten, even by a writer racing this one."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        # one line per pin keeps a 10k-asset manifest diffable without pretty-printing cost
        document = dict(document or self.to_json())
        scopes = document.pop("scopes")
        lines = [json.dumps(document)[:-1] + ', "scopes": {']
        for i, (scope, pins) in enumerate(scopes.items()):
            lines.append(("," if i else "") + json.dumps(scope) + ": {")
            lines.extend(("," if j else "") + json.dumps(asset) + ": " + json.dumps(pin)
                         for j, (asset, pin) in enumerate(pins.items()))
            lines.append("}")
        lines.append("}}")
        temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
        if replace:
            os.replace(temporary, target)
        else:
            try:
                os.link(temporary, target)  # atomic, and fails when the name is taken
            except FileExistsError:
                refuse_existing(target)
            finally:
                temporary.unlink()
        self.path = target
        return target


def _check_names(manifest: Manifest, source: Path) -> None:
    """Anyone can write a manifest (its hash proves no authorship), and a bundle or a pins folder
    writes where its names say: every asset, file name and path must stay inside its root."""
    from legos.names import problem
    from legos.uri import parse_reference

    for _scope, pin in manifest.pins():
        try:
            parse_reference(pin.asset)
        except LegosError as exc:
            raise ManifestError(f"manifest {str(source)!r} pins {pin.asset!r}, which is not an "
                                f"asset: {exc}") from None
        if pin.version < 1:
            raise ManifestError(f"manifest {str(source)!r} pins {pin.asset} at version "
                                f"{pin.version}: versions count from 1")
        for name, file in pin.files.items():
            for what, text in (("file name", name), ("path", file.path)):
                why = problem(text)
                if why is not None:
                    raise ManifestError(
                        f"manifest {str(source)!r} gives {pin.uri} the {what} {text!r:.120}, "
                        f"which {why}: it cannot be under a root; write a new one with `legos pin`")
            if not isinstance(file.sha256, str):
                raise ManifestError(f"manifest {str(source)!r}: the sha256 of {name!r} of "
                                    f"{pin.uri} is not text")
        if pin.entry is not None and not isinstance(pin.entry, str):
            raise ManifestError(f"manifest {str(source)!r}: the entry of {pin.uri} is not text")


def read(path: str | os.PathLike[str]) -> Manifest:
    source = Path(path)
    try:
        document = json.loads(source.read_text(encoding="utf-8"))
    except RecursionError:
        raise ManifestError(f"manifest {str(source)!r} nests too deeply to be a manifest") from None
    except FileNotFoundError:
        raise ManifestError(f"manifest {str(source)!r} does not exist: write one with `legos pin`") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"manifest {str(source)!r} is not readable JSON: {exc}") from None
    if not isinstance(document, dict) or document.get("schema") != SCHEMA:
        found = document.get("schema") if isinstance(document, dict) else None
        raise ManifestError(
            f"{str(source)!r} is not a legos manifest (schema {found!r}, expected {SCHEMA!r})")
    try:
        manifest = Manifest(
            name=document["name"], uid=document["uid"], created_by=document["created_by"],
            created_at=document["created_at"], root=document["root"],
            source=document.get("source", ""), select=document.get("select", "exact"),
            includes=list(document.get("includes", [])),
            rewritten=dict(document.get("rewritten", {})), path=source)
        for scope, pins in document["scopes"].items():
            for asset, pin in pins.items():
                files = {name: PinnedFile(f["path"], f["sha256"]) for name, f in pin["files"].items()}
                manifest.add(Pin(asset, int(pin["version"]), pin["uid"], pin["kind"], files,
                                 pin.get("entry")), scope)
    except LegosError as exc:  # a scope that is not valid
        raise ManifestError(f"manifest {str(source)!r}: {exc}") from None
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise ManifestError(f"manifest {str(source)!r} is incomplete: {exc!r} is missing or wrong") from None
    _check_names(manifest, source)
    if document.get("hash") != manifest.content_hash():  # also checks the parse above
        raise ManifestError(
            f"manifest {str(source)!r} was changed after it was written (its hash does not "
            "match): write a new one with `legos pin` rather than editing it")
    return manifest
