"""Asset URIs: `legos:/<project>/<asset name>?version=3&rep=usd`, parsed and formatted.

Without `version`, selection rules pick one: the latest, or the latest with a `status` or a
`tag`. The URI names an asset independently of where its files live.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, quote, urlencode

from legos.errors import InvalidNameError, InvalidURIError
from legos.model.asset import validate_asset_name, validate_project_code
from legos.model.version import parse_status

SCHEME = "legos:"
_KNOWN_KEYS = ("version", "status", "tag", "rep")


@dataclass(frozen=True)
class AssetURI:
    project: str
    asset: str
    version: int | None = None     # None: choose by the rules below (latest by default)
    status: str | None = None      # the latest version with this status
    tag: str | None = None         # the latest version carrying this tag
    rep: str | None = None         # which representation's file, for resolution

    @property
    def path(self) -> str:
        return f"{self.project}/{self.asset}"

    def with_version(self, number: int) -> "AssetURI":
        return replace(self, version=number, status=None, tag=None)

    def asset_uri(self) -> str:
        return f"{SCHEME}/{self.project}/{self.asset}"

    def __str__(self) -> str:
        params = [(k, getattr(self, k)) for k in _KNOWN_KEYS if getattr(self, k) is not None]
        query = urlencode([(k, str(v)) for k, v in params], quote_via=quote)
        return self.asset_uri() + (f"?{query}" if query else "")


def format_uri(project: str, asset: str, version: int | None = None) -> str:
    # the hot path of every lineage row: no dataclass, no urlencode (names need no quoting)
    if version is None:
        return f"{SCHEME}/{project}/{asset}"
    return f"{SCHEME}/{project}/{asset}?version={version}"


def parse_uri(text: str) -> AssetURI:
    """Parse a legos URI; every malformed part is reported by name with the expected form."""
    example = "legos:/demo/chr/skaarj/model?version=3"
    if not isinstance(text, str) or not text.startswith(SCHEME + "/"):
        raise InvalidURIError(f"{text!r} is not a legos URI: expected the form {example}")
    body, _, query = text[len(SCHEME) + 1:].partition("?")
    project, _, asset = body.partition("/")
    try:
        validate_project_code(project)
        validate_asset_name(asset)
    except InvalidNameError as exc:
        raise InvalidURIError(f"in URI {text!r}: {exc}") from None
    fields: dict[str, object] = {}
    for key, value in parse_qsl(query, keep_blank_values=True, strict_parsing=False):
        if key not in _KNOWN_KEYS:
            raise InvalidURIError(
                f"in URI {text!r}: unknown parameter {key!r}; use {', '.join(_KNOWN_KEYS)}"
            )
        if key in fields:
            raise InvalidURIError(f"in URI {text!r}: parameter {key!r} is given twice")
        if not value:
            raise InvalidURIError(f"in URI {text!r}: parameter {key!r} has no value")
        fields[key] = value
    if query and not fields:
        raise InvalidURIError(f"in URI {text!r}: the query after '?' does not parse")
    version = fields.get("version")
    if version is not None:
        if version == "latest":
            fields["version"] = None
        elif not str(version).isdigit() or int(str(version)) < 1:
            raise InvalidURIError(
                f"in URI {text!r}: version {version!r} is not a positive number (or 'latest')"
            )
        else:
            fields["version"] = int(str(version))
    if "status" in fields:
        try:
            parse_status(str(fields["status"]))
        except ValueError as exc:
            raise InvalidURIError(f"in URI {text!r}: {exc}") from None
    if fields.get("version") is not None and (fields.get("status") or fields.get("tag")):
        raise InvalidURIError(
            f"in URI {text!r}: give either an explicit version or a status/tag rule, not both"
        )
    return AssetURI(project=project, asset=asset, **fields)  # type: ignore[arg-type]
