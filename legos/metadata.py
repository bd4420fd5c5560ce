"""Metadata on assets and versions: KEY=VALUE pairs beside the immutable content (schema 3's
Metadata nodes), set at publish or later, every later change recorded, searchable by terms.

A value is JSON: `parse_value` reads command-line text as JSON when it parses (numbers,
true/false, lists, objects, quoted strings), else keeps it as a plain string. A URI without a
version or rules names the ASSET; `?version=N`, `?version=latest` or a rule names a version
(`target`). See docs/metadata.md.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from legos.errors import InvalidInputError, InvalidURIError, NotFoundError
from legos.model import Asset, Change
from legos.store.base import Transaction
from legos.uri import AssetURI, format_uri, parse_reference

KEY_MAX = 128
VALUE_MAX = 65536  # bytes of JSON text: metadata describes content, it does not hold it
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.:-]*\Z")  # \Z: `$` would take "key\n"
_TERM = re.compile(r"^([^=<>~]*)(<=|>=|=|<|>|~)(.*)$", re.DOTALL)
KEY_EXAMPLE = "frame_in, shot.fps or vendor:id"
TERM_EXAMPLE = "frame_in>1000, dept=lookdev or note~hero"
OPERATORS = ("=", "<", ">", "<=", ">=", "~")
FIELD_PREFIX = "meta:"  # a Change's field: "meta:<key>"
_BIG = 1.7976931348623157e308  # the bounds of an open-ended number range (the largest float)


# -- keys and values ------------------------------------------------------------------------

def validate_key(key: Any) -> str:
    if not isinstance(key, str) or not key:
        raise InvalidInputError(f"metadata key {key!r} is not valid: give a name such as "
                                f"{KEY_EXAMPLE}")
    if len(key) > KEY_MAX:
        raise InvalidInputError(f"metadata key {key[:24]!r}... is {len(key)} characters long: "
                                f"at most {KEY_MAX}")
    if not _KEY.match(key):
        raise InvalidInputError(
            f"metadata key {key!r} is not valid: start with a letter or '_', then letters, "
            f"digits, '_', '.', ':' or '-' (e.g. {KEY_EXAMPLE})")
    return key


def _no_constant(name: str) -> Any:
    raise ValueError(name)  # NaN and Infinity are not JSON: such text stays a string


def parse_value(text: str) -> Any:
    """A value as typed on the command line: JSON when the text parses as JSON (1001, 23.976,
    true, ["a", "b"], {"w": 2048}, "quoted"), else the text itself as a string. `null` is
    refused: `legos meta unset` removes a key."""
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except ValueError:
        return text
    if value is None:
        raise InvalidInputError("null is not a metadata value: remove a key with `legos meta "
                                "unset URI KEY`, or quote it ('\"null\"') for the text")
    return value


def parse_assignment(text: str) -> tuple[str, Any]:
    """`KEY=VALUE` -> (key, value); the value as `parse_value` reads it."""
    key, sep, value = text.partition("=")
    if not sep:
        raise InvalidInputError(f"{text!r} is not KEY=VALUE: e.g. frame_in=1001 or "
                                "dept=lookdev")
    return validate_key(key), parse_value(value)


def parse_assignments(texts: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for text in texts:
        key, value = parse_assignment(text)
        if key in out:
            raise InvalidInputError(f"metadata key {key!r} is given twice: give it once")
        out[key] = value
    return out


def _check_value(key: str, value: Any) -> None:
    if value is None:
        raise InvalidInputError(f"metadata {key!r} is None: unset a key instead of setting it "
                                "to nothing")
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidInputError(f"metadata {key!r} is {value}: give a finite number")


def encode(key: str, value: Any) -> dict[str, Any]:
    """A value as the store keeps it: JSON text (canonical), the text `=` and `~` search (a
    string itself, else its JSON) and the number `<`, `>` compare (None unless a number)."""
    _check_value(key, value)
    try:
        text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                          allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"metadata {key!r} must be JSON-able (text, numbers, true/"
                                f"false, lists, maps): {exc}") from None
    if len(text.encode()) > VALUE_MAX:
        raise InvalidInputError(f"metadata {key!r} is {len(text.encode())} bytes of JSON: at "
                                f"most {VALUE_MAX}; keep large data in a published file")
    return {"key": key, "value": text, "text": value if isinstance(value, str) else text,
            "number": _number(key, value)}


def _number(key: str, value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return float(value)
    except OverflowError:
        raise InvalidInputError(f"metadata {key!r} is a number too large to compare: give it "
                                "as text") from None


def checked(meta: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Key -> encoded value for every pair of `meta`, all checked before anything is written."""
    if meta is None:
        return {}
    if not isinstance(meta, Mapping):
        raise InvalidInputError(f"metadata must be a mapping of keys to values, not {meta!r}: "
                                "e.g. {'frame_in': 1001}")
    return {validate_key(k): encode(k, v) for k, v in meta.items()}


def display(value: Any) -> str:
    """A value for people: a string as it is, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                           sort_keys=True)


def decode(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """{key: value} from rows with `key` and `value` (JSON text); rows without a key (an
    OPTIONAL MATCH that found nothing) are left out."""
    return {r["key"]: json.loads(r["value"]) for r in sorted(
        (r for r in rows if r.get("key")), key=lambda r: r["key"])}


# -- which owner a URI names ----------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    """The owner of metadata a URI names: an asset, or one version of it."""

    uri: AssetURI
    is_version: bool


def target(ref: str | AssetURI) -> Target:
    """A URI without a version or rules (`legos:/demo/chr/skaarj/model`, or
    `demo/chr/skaarj/model`) names the asset; `?version=N`, `?version=latest`, `?status=`,
    `?tag=` or `?at=` name a version. (Elsewhere a bare URI selects the latest version; for
    metadata it means the asset, and `?version=latest` the latest version.)"""
    uri = parse_reference(ref)
    if uri.rep is not None:
        raise InvalidURIError(f"metadata belongs to an asset or a version, not to one of its "
                              f"files: drop rep= from {str(ref)!r}")
    rules = any(x is not None for x in (uri.version, uri.status, uri.tag, uri.at))
    latest = isinstance(ref, str) and "?" in ref and any(
        part.replace(" ", "") == "version=latest" for part in ref.partition("?")[2].split("&"))
    return Target(uri, rules or latest)


@dataclass(frozen=True)
class _Owner:
    """A resolved target: the asset's path, and the version's uid and number when a version."""

    path: str
    uid: str | None
    number: int | None
    display: str      # its URI as printed: legos:/p/a or legos:/p/a?version=N

    @property
    def owner(self) -> str:
        return self.uid or self.path


def _resolve(tx: Transaction, where: Target) -> _Owner:
    from legos.catalog import asset_row, select_uid

    uri = where.uri
    if not where.is_version:
        asset_row(tx, uri.path)  # AssetNotFoundError names the fix
        return _Owner(uri.path, None, None, uri.asset_uri())
    uid = select_uid(tx, uri)
    number = tx.query("versions/get", uids=[uid])[0]["number"]
    return _Owner(uri.path, uid, number, format_uri(uri.project, uri.asset, number))


# -- reading --------------------------------------------------------------------------------

def _read(tx: Transaction, owner: _Owner) -> dict[str, str]:
    """key -> JSON text of the owner's metadata."""
    if owner.uid is None:
        rows = tx.query("metadata/of_asset", path=owner.path)
    else:
        rows = tx.query("metadata/of_versions", uids=[owner.uid])
    return {r["key"]: r["value"] for r in rows}


def of(tx: Transaction, where: Target) -> tuple[str, dict[str, Any]]:
    """(the owner's URI, its metadata)."""
    owner = _resolve(tx, where)
    return owner.display, {k: json.loads(v) for k, v in sorted(_read(tx, owner).items())}


def of_versions(tx: Transaction, uids: list[str]) -> dict[str, dict[str, Any]]:
    """uid -> metadata of many versions in one query."""
    found: dict[str, list[dict[str, Any]]] = {uid: [] for uid in uids}
    if uids:
        for row in tx.query("metadata/of_versions", uids=uids):
            found[row["uid"]].append(row)
    return {uid: decode(rows) for uid, rows in found.items()}


# -- writing --------------------------------------------------------------------------------

def add_to_version(tx: Transaction, version_uid: str, meta: dict[str, dict[str, Any]]) -> None:
    """A new version's metadata (from `checked`), inside its publish transaction: no Change is
    recorded, as none is for the rest of what a publish writes."""
    if meta:
        rows = [{**row, "uid": f"{version_uid}|{key}", "owner": version_uid}
                for key, row in meta.items()]
        tx.query("metadata/add_to_version", version_uid=version_uid, rows=rows)


@dataclass(frozen=True)
class MetaChanges:
    """What `set_meta`, `unset_meta` and `meta_changes` answer: whose metadata, and the
    recorded changes."""

    uri: str                # legos:/p/a (the asset) or legos:/p/a?version=N
    owner: str              # "asset" or "version"
    changes: list[Change]


def _answer(owner: _Owner, changes: list[Change]) -> MetaChanges:
    return MetaChanges(owner.display, "asset" if owner.uid is None else "version", changes)


def _instants() -> Iterator[datetime]:
    """Now, then a microsecond later for each further key of one call: every listing of the
    changes (ordered by time) then shows them in the order they were given."""
    now = datetime.now(timezone.utc)
    return (now + timedelta(microseconds=i) for i in itertools.count())


def _lock(tx: Transaction, path: str) -> None:
    # the asset's write lock (publish and status changes take it): concurrent changes of one
    # asset queue up, and each records "from" as the one before it left it
    tx.query("publish/lock_asset", path=path, token=uuid.uuid4().hex)


def _change(row: dict[str, Any]) -> Change:
    return Change(uid=row["uid"], field=row["field"], from_value=row["from_value"],
                  to_value=row["to_value"], user=row["user"], at=row["at"],
                  note=row["note"] or "")


def set_values(tx: Transaction, where: Target, meta: dict[str, dict[str, Any]], user: str,
               note: str = "") -> MetaChanges:
    """Set keys of an asset's or a version's metadata (encoded by `checked`); each key whose
    value changes is recorded as a Change ("meta:KEY", old and new JSON text); a key set to
    the value it has records nothing."""
    _lock(tx, where.uri.path)  # first: a rule (?status=approved) then sees what those before left
    owner = _resolve(tx, where)
    before, at = _read(tx, owner), _instants()
    changes = []
    for key, row in meta.items():
        if before.get(key) == row["value"]:
            continue
        params = dict(row, uid=f"{owner.owner}|{key}", owner=owner.owner,
                      field=FIELD_PREFIX + key, from_value=before.get(key), user=user,
                      now=next(at), note=note, change_uid=uuid.uuid4().hex)
        if owner.uid is None:
            result = tx.query("metadata/set_asset", path=owner.path, **params)
        else:
            result = tx.query("metadata/set_version", version_uid=owner.uid, **params)
        changes.append(_change(result[0]))
    return _answer(owner, changes)


def unset_values(tx: Transaction, where: Target, keys: list[str], user: str,
                 note: str = "") -> MetaChanges:
    """Remove keys of an asset's or a version's metadata, each removal recorded. A key the
    owner does not have is an error naming the keys it has (and, for an asset, whether its
    latest version has it: the URI then named the asset, not the version)."""
    keys = [validate_key(k) for k in keys]
    _lock(tx, where.uri.path)
    owner = _resolve(tx, where)
    before = _read(tx, owner)
    missing = [k for k in keys if k not in before]
    if missing:
        raise NotFoundError(_missing(tx, owner, missing[0], sorted(before)))
    changes, at = [], _instants()
    for key in dict.fromkeys(keys):
        params = dict(uid=f"{owner.owner}|{key}", field=FIELD_PREFIX + key,
                      from_value=before[key], user=user, now=next(at), note=note,
                      change_uid=uuid.uuid4().hex)
        if owner.uid is None:
            result = tx.query("metadata/unset_asset", path=owner.path, **params)
        else:
            result = tx.query("metadata/unset_version", version_uid=owner.uid, **params)
        changes.append(_change(result[0]))
    return _answer(owner, changes)


def _missing(tx: Transaction, owner: _Owner, key: str, have: list[str]) -> str:
    has = f"it has {', '.join(have)}" if have else "it has none"
    if owner.uid is not None:
        return f"{owner.display} has no metadata {key!r} ({has})"
    from legos.catalog import select_rows

    latest = select_rows(tx, owner.path)
    if latest and key in _read(tx, _Owner(owner.path, latest[0]["uid"], None, "")):
        project, _, asset = owner.path.partition("/")
        shown = format_uri(project, asset, latest[0]["number"])
        return (f"the asset {owner.display} has no metadata {key!r} ({has}), but its latest "
                f"version does: a URI without ?version names the asset; name the version, "
                f"e.g. '{shown}'")
    return f"the asset {owner.display} has no metadata {key!r} ({has})"


def changes(tx: Transaction, where: Target) -> MetaChanges:
    """The recorded metadata changes of an asset or a version, oldest first."""
    owner = _resolve(tx, where)
    if owner.uid is None:
        rows = tx.query("metadata/asset_changes", path=owner.path)
    else:
        rows = tx.query("metadata/version_changes", version_uid=owner.uid)
    return _answer(owner, [_change(r) for r in sorted(rows, key=lambda r: (r["at"], r["uid"]))])


# -- searching ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    """One search term: KEY=VALUE, KEY<N, KEY<=N, KEY>N, KEY>=N or KEY~TEXT."""

    key: str
    op: str
    operand: str     # as typed

    def __str__(self) -> str:
        return f"{self.key}{self.op}{self.operand}"

    def query(self) -> tuple[str, dict[str, Any]]:
        """The query module and parameters that find the metadata this term matches."""
        if self.op == "~":
            if not self.operand:
                raise InvalidInputError(f"{str(self)!r}: '~' needs some text to look for, e.g. "
                                        f"{self.key}~hero")
            return "metadata/find_contains", {"key": self.key, "needle": self.operand.lower()}
        value = parse_value(self.operand)
        number = value if isinstance(value, (int, float)) and not isinstance(
            value, bool) else None
        if self.op == "=":
            if number is None:
                return "metadata/find_text", {"key": self.key, "text": encode(self.key,
                                                                              value)["text"]}
            low = high = _number(self.key, number)
        else:
            if number is None:
                raise InvalidInputError(
                    f"{str(self)!r}: '{self.op}' compares numbers, and {self.operand!r} is not "
                    f"one: e.g. {self.key}{self.op}1001 (or {self.key}~{self.operand} for text)")
            n = _number(self.key, number)
            assert n is not None
            low, high = {"<": (-_BIG, math.nextafter(n, -math.inf)), "<=": (-_BIG, n),
                         ">": (math.nextafter(n, math.inf), _BIG), ">=": (n, _BIG)}[self.op]
        return "metadata/find_number", {"key": self.key, "low": low, "high": high}


def parse_term(text: str | Term) -> Term:
    if isinstance(text, Term):
        return text
    if not isinstance(text, str):
        raise InvalidInputError(f"{text!r} is not a metadata term: e.g. {TERM_EXAMPLE}")
    found = _TERM.match(text)
    if not found:
        raise InvalidInputError(f"{text!r} is not a metadata term: give KEY=VALUE, KEY<N, "
                                f"KEY>N (or <=, >=) or KEY~TEXT, e.g. {TERM_EXAMPLE}")
    key, op, operand = found.groups()
    term = Term(validate_key(key), op, operand)
    term.query()  # a bad operand is said before anything runs
    return term


def parse_terms(texts: Iterable[str | Term] | str | None) -> list[Term]:
    if texts is None:
        return []
    if isinstance(texts, str):
        texts = [texts]
    return [parse_term(t) for t in texts]


def matching_assets(tx: Transaction, terms: list[Term], *, latest: bool,
                    as_of: datetime) -> set[str]:
    """Paths of the assets every term matches: on the asset's own metadata, or on a version's
    created by `as_of` (`latest`: only its latest version's). Each term is one query by key."""
    found: set[str] | None = None
    for term in terms:
        module, params = term.query()
        paths = {r["path"] for r in tx.query(module, latest=latest, as_of=as_of, **params)}
        found = paths if found is None else found & paths
        if not found:
            return set()
    return found or set()


def keep_assets(tx: Transaction, assets: list[Asset], terms: list[Term]) -> list[Asset]:
    """The assets (of `legos ls`) every term matches, on their own metadata or their latest
    version's."""
    if not terms:
        return assets
    from legos.catalog import NO_TIME

    paths = matching_assets(tx, terms, latest=True, as_of=NO_TIME)
    return [a for a in assets if a.path in paths]
