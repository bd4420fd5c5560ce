"""Asset URIs: `legos:/<project>/<asset name>?version=3&rep=usd`, parsed and formatted.

Without `version`, selection rules pick one: the latest, or the latest with a `status`, a `tag`,
or created at or before an instant `at` (the rules combine). The URI names an asset
independently of where its files live.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from urllib.parse import quote, unquote

from legos.errors import InvalidInputError, InvalidNameError, InvalidURIError
from legos.model.asset import validate_asset_name, validate_project_code
from legos.model.tag import validate_tag
from legos.model.version import parse_status

SCHEME = "legos:"
_KNOWN_KEYS = ("version", "status", "tag", "at", "rep")
# kept readable in formatted URIs: times (`18:00:00Z`) and tags (`shot:040`)
_SAFE = ":@"
TIME_EXAMPLE = "2026-11-20T18:00Z, 2026-11-20T18:00+01:00 or a date 2026-11-20"


def parse_time(text: str) -> datetime:
    """An instant in ISO 8601 with `Z` or an offset, or a date (its first instant, in UTC);
    always returned in UTC. A time without a zone is refused: it would mean different instants
    on machines in different places."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidInputError(f"time {text!r} is empty: use ISO 8601, e.g. {TIME_EXAMPLE}")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        pass
    else:
        return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(
            f"time {text!r} is not ISO 8601: use e.g. {TIME_EXAMPLE}") from None
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise InvalidInputError(
            f"time {text!r} has no time zone: add 'Z' for UTC or an offset, e.g. {TIME_EXAMPLE}")
    try:
        return instant.astimezone(timezone.utc)
    except OverflowError:
        raise InvalidInputError(f"time {text!r} is out of range in UTC") from None


def format_time(instant: datetime) -> str:
    """UTC, ISO 8601 with `Z`: `2026-11-20T18:00:00Z` (microseconds only when there are any)."""
    utc = instant.astimezone(timezone.utc)
    spec = "microseconds" if utc.microsecond else "seconds"
    return utc.replace(tzinfo=None).isoformat(timespec=spec) + "Z"


@dataclass(frozen=True)
class AssetURI:
    project: str
    asset: str
    version: int | None = None     # None: choose by the rules below (latest by default)
    status: str | None = None      # the latest version with this status
    tag: str | None = None         # the latest version carrying this tag
    at: datetime | None = None     # the latest version created at or before this UTC instant
    rep: str | None = None         # which representation's file, for resolution

    @property
    def path(self) -> str:
        return f"{self.project}/{self.asset}"

    def with_version(self, number: int) -> AssetURI:
        return replace(self, version=number, status=None, tag=None, at=None)

    def asset_uri(self) -> str:
        return f"{SCHEME}/{self.project}/{self.asset}"

    def rule(self) -> str:
        """The selection rules in words, for messages: "status 'approved' at 2026-...Z"."""
        parts = [f"status {self.status!r}" if self.status else "",
                 f"tag {self.tag!r}" if self.tag else "",
                 f"at {format_time(self.at)}" if self.at else ""]
        return " ".join(p for p in parts if p) or "the latest rule"

    def __str__(self) -> str:
        params = []
        for key in _KNOWN_KEYS:
            value = getattr(self, key)
            if value is not None:
                text = format_time(value) if key == "at" else str(value)
                params.append(f"{key}={quote(text, safe=_SAFE)}")
        return self.asset_uri() + (f"?{'&'.join(params)}" if params else "")


def format_uri(project: str, asset: str, version: int | None = None) -> str:
    # the hot path of every lineage row: no dataclass, no urlencode (names need no quoting)
    if version is None:
        return f"{SCHEME}/{project}/{asset}"
    return f"{SCHEME}/{project}/{asset}?version={version}"


def _query_pairs(text: str, query: str) -> list[tuple[str, str]]:
    # Not parse_qsl: it reads '+' as a space, and `at=...T18:00+01:00` must keep its offset.
    pairs = []
    for item in query.split("&"):
        if not item:
            continue
        key, _, value = item.partition("=")
        pairs.append((unquote(key), unquote(value)))
    if query and not pairs:
        raise InvalidURIError(f"in URI {text!r}: the query after '?' does not parse")
    return pairs


def parse_uri(text: str) -> AssetURI:
    """Parse a legos URI; every malformed part is reported by name with the expected form."""
    example = "legos:/demo/chr/skaarj/model?version=3"
    if not isinstance(text, str) or not text.startswith(SCHEME + "/"):
        raise InvalidURIError(f"{text!r} is not a legos URI: expected the form {example}")
    body, _, query = text[len(SCHEME) + 1:].partition("?")
    if body.startswith("/"):
        raise InvalidURIError(f"{text!r} has more than one '/' after 'legos:': expected the "
                              f"form {example}")
    project, _, asset = body.partition("/")
    try:
        validate_project_code(project)
        validate_asset_name(asset)
    except InvalidNameError as exc:
        raise InvalidURIError(f"in URI {text!r}: {exc}") from None
    raw: dict[str, str] = {}
    for key, value in _query_pairs(text, query):
        if key not in _KNOWN_KEYS:
            raise InvalidURIError(
                f"in URI {text!r}: unknown parameter {key!r}; use {', '.join(_KNOWN_KEYS)}"
            )
        if key in raw:
            raise InvalidURIError(f"in URI {text!r}: parameter {key!r} is given twice")
        if not value:
            raise InvalidURIError(f"in URI {text!r}: parameter {key!r} has no value")
        raw[key] = value
    fields: dict[str, object] = {k: v for k, v in raw.items() if k in ("status", "tag", "rep")}
    version = raw.get("version")
    if version is not None and version != "latest":
        if not version.isascii() or not version.isdigit() or int(version) < 1:
            raise InvalidURIError(
                f"in URI {text!r}: version {version!r} is not a positive number (or 'latest')"
            )
        fields["version"] = int(version)
    try:
        if "status" in raw:
            parse_status(raw["status"])
        if "tag" in raw:
            validate_tag(raw["tag"])
        if "at" in raw:
            fields["at"] = parse_time(raw["at"])
    except InvalidInputError as exc:
        raise InvalidURIError(f"in URI {text!r}: {exc}") from None
    if fields.get("version") is not None and any(k in raw for k in ("status", "tag", "at")):
        raise InvalidURIError(
            f"in URI {text!r}: give either an explicit version or status/tag/at rules, not both"
        )
    return AssetURI(project=project, asset=asset, **fields)  # type: ignore[arg-type]


def parse_reference(text: str | AssetURI) -> AssetURI:
    """An asset or version as a user names one, everywhere legos takes one: a legos URI
    (`legos:/demo/chr/skaarj/model?version=3`), or an asset as `PROJECT/ASSET`
    (`demo/chr/skaarj/model`, the same as its URI without a query)."""
    if isinstance(text, AssetURI):
        return text
    if not isinstance(text, str):
        raise InvalidURIError(f"{text!r} names no asset: give PROJECT/ASSET or a legos: URI, "
                              "e.g. demo/chr/skaarj/model")
    if text.startswith(SCHEME):
        return parse_uri(text)
    if text.startswith("/"):
        raise InvalidURIError(f"{text!r} starts with '/': write PROJECT/ASSET without it "
                              f"(e.g. {text.lstrip('/')}), or legos:{text}")
    if "?" in text:
        raise InvalidURIError(f"{text!r} has a query: rules need the URI form, "
                              f"e.g. legos:/{text}")
    project, _, asset = text.partition("/")
    try:
        validate_project_code(project)
        validate_asset_name(asset)
    except InvalidNameError as exc:
        raise InvalidURIError(f"{text!r} is not PROJECT/ASSET (e.g. demo/chr/skaarj/model) "
                              f"nor a legos: URI: {exc}") from None
    return AssetURI(project=project, asset=asset)


def parse_asset(text: str | AssetURI, what: str = "this") -> AssetURI:
    """An asset, not a version: `parse_reference` without a version or rules (what `publish`
    and alias histories name)."""
    uri = parse_reference(text)
    if any(getattr(uri, k) is not None for k in _KNOWN_KEYS):
        raise InvalidURIError(f"{what} takes an asset, and {str(uri)!r} names a version or "
                              f"rules: give {uri.asset_uri()} or {uri.path}")
    return uri
