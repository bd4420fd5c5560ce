"""A project's own path templates: where its versions are published and where its artists work.

A project publish template is the store's kind of template (legos.layout) with one more field,
`{silo}`: the kind of the inventory entry holding the asset (`character`, `prop`, ...; else
its section, else "misc"). It is stricter than the store's: one field per folder name, and
only literal text and `{version}` below the asset's folder, so no two versions can ever share
or nest folders. A publish records its version's folder, so changing a template never moves an
existing version.
"""

from __future__ import annotations

import os
import string
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from legos.errors import ConfigError
from legos.layout import check_asset_name_fits, validate_template

PUBLISH_FIELDS = {"root", "project", "silo", "asset", "kind", "version", "file"}
WORK_FIELDS = {"work", "root", "project", "silo", "asset", "task", "app", "user"}
DEFAULT_WORK_TEMPLATE = "{work}/{project}/{asset}/{task}/{app}/{user}"
NO_SILO = "misc"   # an asset no inventory entry holds


def _parts(template: str, what: str) -> list[tuple[str, str | None, str | None, str | None]]:
    try:
        return list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ConfigError(f"{what} template {template!r} does not parse: {exc}") from None


def _fields(template: str, what: str, allowed: set[str]) -> set[str]:
    fields = {f for _, f, _, _ in _parts(template, what) if f is not None}
    unknown = fields - allowed
    if unknown:
        raise ConfigError(f"{what} template {template!r} uses unknown field(s) "
                          f"{sorted(unknown)}: use {sorted(allowed)}")
    return fields


def substitute(template: str, values: Mapping[str, str]) -> str:
    """`template` with the fields in `values` replaced by their (literal) text; the others stay."""
    out = []
    for literal, field, spec, conversion in string.Formatter().parse(template):
        out.append(literal.replace("{", "{{").replace("}", "}}"))
        if field is None:
            continue
        if field in values:
            out.append(values[field].replace("{", "{{").replace("}", "}}"))
        else:
            out.append("{" + field + (f"!{conversion}" if conversion else "")
                       + (f":{spec}" if spec else "") + "}")
    return "".join(out)


def validate_publish_template(template: str) -> str:
    """Refuse a project publish template that could let two versions share or nest folders."""
    what = "publish"
    _fields(template, what, PUBLISH_FIELDS)
    validate_template(substitute(template, {"silo": "silo"}))  # root, file, required fields
    segments = template[len("{root}/"): -len("/{file}")].split("/")
    asset_at = None
    for index, segment in enumerate(segments):
        fields = [f for _, f, _, _ in _parts(segment, what) if f is not None]
        if not segment or segment in (".", ".."):
            raise ConfigError(f"publish template {template!r} has an empty, '.' or '..' folder "
                              "name: write each folder once, e.g. "
                              "'{root}/{project}/{silo}/{asset}/v{version:03}/{file}'")
        if len(fields) > 1:
            raise ConfigError(
                f"publish template {template!r} puts {len(fields)} fields in the folder name "
                f"{segment!r}: two different values could then give one name (a_b + c, a + "
                "b_c); give each field a folder of its own")
        if fields == ["asset"]:
            if asset_at is not None:
                raise ConfigError(f"publish template {template!r} names {{asset}} twice: once")
            asset_at = index
        elif fields and fields[0] == "version" and asset_at is None:
            raise ConfigError(
                f"publish template {template!r} puts {{version}} above {{asset}}: asset a's "
                "version folder would hold asset a/b's; put the version in a folder below the "
                "asset's, e.g. '{asset}/v{version:03}'")
        elif fields and fields[0] != "version" and asset_at is not None:
            raise ConfigError(
                f"publish template {template!r} puts {{{fields[0]}}} below {{asset}}: only "
                "literal folders and the {version} folder may follow the asset's; move it "
                "above, e.g. '{project}/{silo}/{asset}/v{version:03}'")
    try:  # a format spec that cannot format a number (`{version:s}`) fails here, not at publish
        template.format(root="r", project="p", silo="s", asset="a", kind="k", version=1,
                        file="f")
    except (ValueError, KeyError, IndexError) as exc:
        raise ConfigError(f"publish template {template!r} cannot be filled in: {exc}") from None
    return template


def check_assets_fit(template: str, names: list[str]) -> None:
    """Every existing asset of the project must fit a new template (legos.layout's rule)."""
    concrete = substitute(template, {"silo": "silo"})
    for name in names:
        check_asset_name_fits(concrete, name)


def silo_of(entries: list[dict[str, Any]]) -> str:
    """The silo of an asset: the kind of its nearest inventory entry (rows nearest first, as
    `publish_template.cypher` answers), else that entry's section, else "misc"."""
    for row in entries:
        if row.get("section"):
            return str(row.get("kind") or row["section"])
    return NO_SILO


def publish_template_for(store: Any, project: str, asset: str, default: str) -> str:
    """The template a publish of `project/asset` uses: the project's own (with its silo filled
    in) or the store's `default`. One read, keyed by the project and the asset's folders."""
    from legos.projects.timing import enclosing_uids

    uids = enclosing_uids(project, asset)
    rows = store.query("projects/publish_template", project=project, uids=uids)
    own = rows[0]["template"] if rows else None
    if not own:
        return default
    by_uid = {row["uid"]: row for row in rows}
    silo = silo_of([by_uid[u] for u in uids if u in by_uid])
    return substitute(own, {"silo": silo})


# -- work areas ------------------------------------------------------------------------------
def validate_work_template(template: str) -> str:
    """A work template makes one folder per project, asset and task (and app and user when it
    names them); it starts at {work}, {root} or an absolute path."""
    fields = _fields(template, "work", WORK_FIELDS)
    missing = {"project", "asset", "task"} - fields
    if missing:
        raise ConfigError(f"work template {template!r} lacks {sorted(missing)}: two assets or "
                          f"tasks would share a work folder; e.g. {DEFAULT_WORK_TEMPLATE!r}")
    if not (template.startswith(("{work}", "{root}")) or Path(template).is_absolute()):
        raise ConfigError(f"work template {template!r} must start with {{work}}, {{root}} or an "
                          f"absolute path, e.g. {DEFAULT_WORK_TEMPLATE!r}")
    return template


def work_root(publish_root: Path) -> Path:
    """`{work}`: $LEGOS_WORK_ROOT, else `work` beside the publish root (/mnt/publish ->
    /mnt/work)."""
    chosen = os.environ.get("LEGOS_WORK_ROOT")
    return Path(chosen).expanduser() if chosen else publish_root.parent / "work"


def fill_work_template(template: str, values: Mapping[str, str | None]) -> Path:
    """The work folder: a folder name made only of a field with no value (`{app}` without an
    app) is left out; the path is normalised (`{root}/../work` works)."""
    kept = []
    for segment in template.split("/"):
        fields = [f for _, f, _, _ in string.Formatter().parse(segment) if f is not None]
        if fields and all(not values.get(f) for f in fields) and segment == "{" + fields[0] + "}":
            continue
        kept.append(segment)
    text = "/".join(kept).format(**{k: v or "" for k, v in values.items()})
    return Path(os.path.normpath(text))
