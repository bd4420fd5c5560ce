"""Selectors: rules that pick one version of an asset, as objects and as text.

    exact | latest | approved | status:NAME | tag:NAME | at:TIME | version:N
          | depends-on:URI | depends-on*:URI | compatible:MANIFEST        (rules join with ',')

`select` picks for one asset, `select_many` for thousands at once (set-based: a constant
number of queries, whatever the number of assets).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from legos.catalog import NO_TIME, asset_row, passed_over, select_rows, select_uid, skipped
from legos.errors import InvalidInputError, InvalidNameError, LegosError, VersionNotFoundError
from legos.model.asset import validate_asset_name, validate_project_code
from legos.model.tag import validate_tag
from legos.model.version import parse_status
from legos.store.base import Transaction
from legos.uri import AssetURI, format_time, parse_reference, parse_time

if TYPE_CHECKING:
    from legos.pins.manifest import Manifest

_KEYS = ("version", "status", "tag", "at", "depends-on", "depends-on*", "compatible")


@dataclass(frozen=True)
class Selector:
    """Rules that all must hold; the newest version satisfying them is chosen.

    `exact` keeps the version a reference already names (pin sets re-freezing what a package
    recorded); it takes no other rule. `depends_on` is a legos URI naming the input version (its
    own rules resolve when selecting); with `transitive`, the input may be reached through
    other versions. `compatible` is a pin-set manifest (or its file): every direct input whose
    asset it pins, seen from `scope`, must be exactly the pinned version.
    """

    exact: bool = False
    version: int | None = None
    status: str | None = None
    tag: str | None = None
    at: datetime | None = None
    depends_on: str | None = None
    transitive: bool = False
    compatible: Manifest | str | None = field(default=None, hash=False)
    scope: str = ""

    def __post_init__(self) -> None:
        if self.version is not None and (isinstance(self.version, bool) or self.version < 1):
            raise InvalidInputError(f"selector version {self.version!r} is not a positive number")
        if self.status is not None:
            parse_status(self.status)
        if self.tag is not None:
            validate_tag(self.tag)
        if self.at is not None:
            if self.at.tzinfo is None or self.at.utcoffset() is None:
                raise InvalidInputError(
                    f"selector time {self.at.isoformat()} has no time zone: give an aware datetime")
            object.__setattr__(self, "at", self.at.astimezone(timezone.utc))
        if self.depends_on is not None:
            parse_reference(self.depends_on)
        if self.transitive and self.depends_on is None:
            raise InvalidInputError("a transitive selector needs depends_on: the version to look for")
        rules = [f.name for f in fields(self)
                 if f.name not in ("exact", "transitive", "scope")
                 and getattr(self, f.name) is not None]
        if self.exact and rules:
            raise InvalidInputError(f"selector 'exact' takes no other rule (got {', '.join(rules)})")
        if self.version is not None and len(rules) > 1:
            raise InvalidInputError(
                f"an explicit version takes no other rule (got {', '.join(rules)}): "
                "drop version:N, or the rules")

    @property
    def needs_candidates(self) -> bool:
        """Rules checked against a set in Python rather than inside the selecting query."""
        return self.transitive or self.compatible is not None

    def __str__(self) -> str:
        if self.exact:
            return "exact"
        parts = []
        if self.version is not None:
            parts.append(f"version:{self.version}")
        if self.status == "approved":
            parts.append("approved")
        elif self.status is not None:
            parts.append(f"status:{self.status}")
        if self.tag is not None:
            parts.append(f"tag:{self.tag}")
        if self.at is not None:
            parts.append(f"at:{format_time(self.at)}")
        if self.depends_on is not None:
            parts.append(f"depends-on{'*' if self.transitive else ''}:{self.depends_on}")
        if self.compatible is not None:
            parts.append(f"compatible:{_manifest_name(self.compatible)}")
        return ",".join(parts) or "latest"


LATEST = Selector()
EXACT = Selector(exact=True)


def _manifest_name(manifest: Manifest | str) -> str:
    if isinstance(manifest, str):
        return manifest
    return str(manifest.path) if manifest.path is not None else manifest.name


def parse_selector(text: str) -> Selector:
    """A selector from its text form; a malformed one names its bad part and the forms."""
    forms = ("exact, latest, approved, status:NAME, tag:NAME, at:TIME, version:N, "
             "depends-on:URI, depends-on*:URI, compatible:MANIFEST (join rules with ',')")
    if not isinstance(text, str) or not text.strip():
        raise InvalidInputError(f"selector {text!r} is empty: use one of {forms}")
    values: dict[str, Any] = {}
    for part in (p.strip() for p in text.split(",")):
        if part in ("exact", "latest", "approved"):
            key, value = part, ""
        else:
            key, sep, value = part.partition(":")
            if not sep or key not in _KEYS:
                raise InvalidInputError(f"in selector {text!r}: {part!r} is not a rule: use {forms}")
            if not value:
                raise InvalidInputError(f"in selector {text!r}: {key!r} has no value")
        name = {"approved": "status", "depends-on": "depends_on",
                "depends-on*": "depends_on"}.get(key, key)
        if name in values:
            raise InvalidInputError(f"in selector {text!r}: {part!r} repeats a rule given before")
        try:
            values[name] = _parse_value(key, value)
        except LegosError as exc:
            raise InvalidInputError(f"in selector {text!r}: {exc}") from None
        if key == "depends-on*":
            values["transitive"] = True
    if values.pop("latest", None) is not None and values.get("exact"):
        raise InvalidInputError(f"in selector {text!r}: 'exact' and 'latest' contradict each other")
    try:
        return Selector(**values)
    except LegosError as exc:
        raise InvalidInputError(f"in selector {text!r}: {exc}") from None


def _parse_value(key: str, value: str) -> Any:
    if key in ("exact", "latest"):
        return True
    if key == "approved":
        return "approved"
    if key == "version":
        if not (value.isascii() and value.isdigit()) or int(value) < 1:
            raise InvalidInputError(f"version {value!r} is not a positive number")
        return int(value)
    if key == "at":
        return parse_time(value)
    if key in ("depends-on", "depends-on*"):
        parse_reference(value)
    return value


def as_selector(value: Selector | str) -> Selector:
    return value if isinstance(value, Selector) else parse_selector(value)


def selector_of_uri(uri: AssetURI) -> Selector:
    """What a URI's own query selects, as a selector."""
    return Selector(version=uri.version, status=uri.status, tag=uri.tag, at=uri.at)


# -- selecting ------------------------------------------------------------------------------


def _validate_path(path: str) -> str:
    project, _, name = path.partition("/") if isinstance(path, str) else ("", "", "")
    try:
        validate_project_code(project)
        validate_asset_name(name)
    except InvalidNameError as exc:
        raise InvalidNameError(f"asset {path!r} is not '<project>/<asset name>': {exc}") from None
    return path


def _no_exact(selector: Selector) -> None:
    if selector.exact:
        raise InvalidInputError(
            "selector 'exact' keeps the version a reference records, and an asset path records "
            "none: give a version URI, or a rule such as 'latest'")


def _rule_params(tx: Transaction, selector: Selector) -> tuple[dict[str, Any], str]:
    """The parameters of the select modules, and the uid the selector's inputs rule names."""
    target = ""
    if selector.depends_on is not None:
        try:
            target = select_uid(tx, parse_reference(selector.depends_on))
        except LegosError as exc:
            raise VersionNotFoundError(f"selector {str(selector)!r}: {exc}") from None
    params = {"number": selector.version or 0, "status": selector.status or "",
              "tag": selector.tag or "", "at": selector.at or NO_TIME,
              "skip": skipped(selector.version or 0, selector.status or "", selector.tag or ""),
              # a transitive rule is checked against the users' closure instead
              "depends_on": "" if selector.transitive else target}
    return params, target


def _load_manifest(selector: Selector) -> Manifest | None:
    if selector.compatible is None or not isinstance(selector.compatible, (str, os.PathLike)):
        return selector.compatible
    from legos.pins.manifest import read

    return read(selector.compatible)


def _pick(tx: Transaction, paths: list[str], selector: Selector, params: dict[str, Any],
          target: str) -> dict[str, str]:
    """The rules that need a set: users of a version at any depth (the engine's breadth-first
    closure, then the newest per asset among them), and compatibility with a pin set (every
    candidate with its direct inputs, newest first, checked against the manifest here)."""
    users: set[str] | None = None
    if selector.transitive:
        wanted = set(paths)
        users = {r["uid"] for r in tx.query("versions/users_closure", uid=target)
                 if f"{r['project']}/{r['asset']}" in wanted}
        if not users:
            return {}
        if selector.compatible is None:
            rows = tx.query("versions/select_within", uids=sorted(users), **params)
            return {r["path"]: r["uid"] for r in rows}
    manifest = _load_manifest(selector)
    pinned: dict[str, str | None] = {}

    def pin_uid(path: str) -> str | None:
        if path not in pinned:
            pin = manifest.lookup(path, selector.scope) if manifest is not None else None
            pinned[path] = pin.uid if pin is not None else None
        return pinned[path]

    def compatible(inputs: list[dict[str, Any]]) -> bool:
        return all(pin_uid(i["path"]) in (None, i["uid"]) for i in inputs if i.get("uid"))

    chosen: dict[str, str] = {}
    for row in tx.query("versions/candidates", paths=paths, **params):
        path = row["path"]
        if path in chosen or (users is not None and row["uid"] not in users):
            continue  # rows come newest first per asset: the first that passes wins
        if compatible(row["inputs"]):
            chosen[path] = row["uid"]
    return chosen


def select(tx: Transaction, asset_path: str, selector: Selector | str) -> str:
    """The uid of the version of `asset_path` ("<project>/<asset name>") the selector picks."""
    selector = as_selector(selector)
    _no_exact(selector)
    path = _validate_path(asset_path)
    params, target = _rule_params(tx, selector)
    if selector.needs_candidates:
        uid = _pick(tx, [path], selector, params, target).get(path)
    else:
        rows = select_rows(tx, path, **params)
        uid = rows[0]["uid"] if rows else None
    if uid is not None:
        return uid
    asset_row(tx, path)  # an unknown asset says so
    hint = ""
    if params["skip"] and not selector.needs_candidates:
        hint = passed_over(tx, path, **{k: v for k, v in params.items() if k != "skip"})
    raise VersionNotFoundError(
        f"no version of legos:/{path} matches selector {str(selector)!r}"
        + (hint or f": see `legos history legos:/{path}`"))


def select_many(tx: Transaction, asset_paths: Iterable[str],
                selector: Selector | str) -> dict[str, str]:
    """Asset path -> the uid of the version the selector picks, for many assets in one pass.
    Assets that do not exist or have no matching version are absent."""
    selector = as_selector(selector)
    _no_exact(selector)
    paths = list(dict.fromkeys(asset_paths))
    if any(not isinstance(p, str) for p in paths):
        raise InvalidInputError("select_many takes asset paths as text: '<project>/<asset name>'")
    if not paths:
        return {}
    params, target = _rule_params(tx, selector)
    if selector.needs_candidates:
        return _pick(tx, paths, selector, params, target)
    return {r["path"]: r["uid"] for r in tx.query("versions/select_many", paths=paths, **params)}


def select_reference(tx: Transaction, uri: AssetURI, selector: Selector | str) -> str:
    """A URI's asset under a selector; `exact` keeps the version the URI names."""
    selector = as_selector(selector)
    if selector.exact:
        if uri.version is None:
            raise InvalidInputError(
                f"selector 'exact' keeps a recorded version, and {uri} names none: "
                f"add ?version=N, or use a rule such as 'latest'")
        return select_uid(tx, uri)
    return select(tx, uri.path, selector)
