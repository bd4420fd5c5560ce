"""Where published files land: the publish root and the path template.

The default template is `{root}/{project}/{asset}/v{version:03}/{file}`. A template must keep
every version in its own folder (so a version becomes visible with one rename) and end in
`/{file}`.
"""

from __future__ import annotations

import os
import re
import string
from functools import lru_cache
from pathlib import Path

from legos.errors import ConfigError, InvalidNameError

DEFAULT_TEMPLATE = "{root}/{project}/{asset}/v{version:03}/{file}"
_FIELDS = {"root", "project", "asset", "kind", "version", "file"}


def validate_template(template: str) -> str:
    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
    except ValueError as exc:
        raise ConfigError(f"path template {template!r} does not parse: {exc}") from None
    unknown = fields - _FIELDS
    if unknown:
        raise ConfigError(
            f"path template {template!r} uses unknown field(s) {sorted(unknown)}: "
            f"use {sorted(_FIELDS)}"
        )
    if not template.startswith("{root}/") or not template.endswith("/{file}"):
        raise ConfigError(
            f"path template {template!r} must start with '{{root}}/' and end with '/{{file}}', "
            f"e.g. {DEFAULT_TEMPLATE!r}"
        )
    if not {"project", "asset", "version"} <= fields:
        raise ConfigError(
            f"path template {template!r} must contain {{project}}, {{asset}} and {{version}} "
            "so that every version has a folder of its own"
        )
    return template


def version_folder(template: str, root: Path, project: str, asset: str, kind: str,
                   version: int) -> Path:
    """The folder a version's files live in, absolute."""
    return root / relative_folder(template, project, asset, kind, version)


def relative_folder(template: str, project: str, asset: str, kind: str, version: int) -> str:
    """The folder a version's files live in, relative to the publish root ('/'-separated)."""
    folder_template = template[len("{root}/"): -len("/{file}")]
    return folder_template.format(project=project, asset=asset, kind=kind, version=version)


@lru_cache(maxsize=8)
def _segments_after_asset(template: str) -> tuple[re.Pattern[str], ...]:
    """Patterns of the folder names the template puts below an asset's own folder (`v001`)."""
    folder = template[: -len("/{file}")]
    segments = folder.split("/")
    at = next((i for i, seg in enumerate(segments) if "{asset" in seg), len(segments))
    patterns = []
    for segment in segments[at + 1:]:
        regex = ""
        for literal, field, _spec, _conv in string.Formatter().parse(segment):
            regex += re.escape(literal)
            if field is not None:
                regex += r"\d+" if field == "version" else r"[^/]+"
        patterns.append(re.compile(regex, re.IGNORECASE))
    return tuple(patterns)


def check_asset_name_fits(template: str, asset: str) -> None:
    """Refuse an asset name with a segment the template uses for version folders: the asset
    `chr/rev/v001` would put its versions inside version 1 of `chr/rev`."""
    for segment in asset.split("/"):
        for pattern in _segments_after_asset(template):
            if pattern.fullmatch(segment):
                raise InvalidNameError(
                    f"asset name {asset!r} has a segment {segment!r} that looks like a version "
                    f"folder of the path template {template!r}, so its files could land inside "
                    "another asset's version: rename that segment (e.g. "
                    f"{segment + '_'!r} or a word)")


def resolve_root(root: str | os.PathLike[str] | None, stored: str | None) -> Path:
    chosen = root or os.environ.get("LEGOS_ROOT") or stored
    if not chosen:
        raise ConfigError(
            "no publish root is set: run `legos init --root DIR` or set LEGOS_ROOT"
        )
    return Path(chosen).expanduser().resolve()
