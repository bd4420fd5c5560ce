"""Where published files land: the publish root and the path template.

The default template is `{root}/{project}/{asset}/v{version:03}/{file}`. A template must keep
every version in its own folder (so a version becomes visible with one rename) and end in
`/{file}`.
"""

from __future__ import annotations

import os
import string
from pathlib import Path

from legos.errors import ConfigError

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
    folder_template = template[: -len("/{file}")]
    rendered = folder_template.format(root=str(root), project=project, asset=asset, kind=kind,
                                      version=version)
    return Path(rendered)


def resolve_root(root: str | os.PathLike[str] | None, stored: str | None) -> Path:
    chosen = root or os.environ.get("LEGOS_ROOT") or stored
    if not chosen:
        raise ConfigError(
            "no publish root is set: run `legos init --root DIR` or set LEGOS_ROOT"
        )
    return Path(chosen).expanduser().resolve()
