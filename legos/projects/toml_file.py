"""The project file: one TOML document (`schema = "legos.project"`, `version = 1`) read into a
ProjectDefinition, and written back by a small deterministic writer of this one shape, so
that save -> load -> save gives the same bytes.

Every problem is one ProjectFileError line naming the key and, where it can be found, its
line; nothing is stored before the whole file is valid.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from legos.errors import ProjectFileError
from legos.projects.definition import SCHEMA, VERSION, Entry, ProjectDefinition

_TOP = ("schema", "version", "metadata", "template", "tasks", "apps", "assets", "shots")
_ENTRY_FIELDS = ("label", "kind", "frame_in", "frame_out", "fps")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+\Z")


# -- reading ---------------------------------------------------------------------------------
def read_file(path: str | os.PathLike[str]) -> ProjectDefinition:
    source = Path(path).expanduser()
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProjectFileError(f"project file {str(source)!r} does not exist: check the path "
                               "(`legos project save NAME -o FILE` writes one)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectFileError(f"project file {str(source)!r} cannot be read: {exc}") from None
    return read_text(text, str(source))


def read_text(text: str, source: str = "<text>") -> ProjectDefinition:
    """Parse and validate a project file's text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProjectFileError(f"project file {source} is not valid TOML: {exc}") from None
    _check_schema(data, text, source)
    for key in data:
        if key not in _TOP:
            raise _unknown(text, source, (key,), _TOP[2:])
    body = {k: v for k, v in data.items() if k not in ("schema", "version")}
    for section in ("assets", "shots"):
        table = body.get(section)
        if table is None:
            continue
        if not isinstance(table, dict):
            raise _error(text, source, (section,), "must be a table of entries, e.g. "
                         f"[{section}.NAME]")
        body[section] = {name: _entry_data(text, source, section, name, value)
                         for name, value in table.items()}
    try:
        return ProjectDefinition.model_validate(body)
    except ValidationError as exc:
        raise _from_validation(exc, text, source) from None


def _check_schema(data: dict[str, Any], text: str, source: str) -> None:
    schema, version = data.get("schema"), data.get("version")
    if schema != SCHEMA:
        got = "has no schema key" if schema is None else f"has schema = {schema!r}"
        raise ProjectFileError(
            f"project file {source} {got}{_at(text, ('schema',))}: a legos project file "
            f"starts with schema = \"{SCHEMA}\" and version = {VERSION}")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ProjectFileError(
            f"project file {source} has version = {version!r}{_at(text, ('version',))}: "
            f"write version = {VERSION}")
    if version != VERSION:
        newer = " (written for a newer legos: upgrade legos)" if version > VERSION else ""
        raise ProjectFileError(f"project file {source} is version {version}"
                               f"{_at(text, ('version',))}{newer}: this legos reads version "
                               f"{VERSION}")


def _entry_data(text: str, source: str, section: str, name: str, value: Any) -> Any:
    """An entry's table: the keys the model knows, the others gathered under `extra`."""
    if not isinstance(value, dict):
        raise _error(text, source, (section, name),
                     f"must be a table, e.g. [{section}.{_key(name)}] with label = \"...\"")
    known = {k: v for k, v in value.items() if k in _ENTRY_FIELDS}
    extra = {k: v for k, v in value.items() if k not in _ENTRY_FIELDS}
    return {**known, "extra": extra} if extra else known


def _from_validation(exc: ValidationError, text: str, source: str) -> ProjectFileError:
    error = exc.errors()[0]
    loc = tuple(str(part) for part in error["loc"] if not isinstance(part, int))
    # further keys of an entry were gathered under `extra`: name them as the file does
    if len(loc) >= 3 and loc[0] in ("assets", "shots") and loc[2] == "extra":
        loc = loc[:2] + loc[3:]
    if error["type"] == "extra_forbidden":
        model = _model_at(loc[:-1])
        return _unknown(text, source, loc, tuple(model.model_fields) if model else ())
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] in ("float_type", "int_type", "string_type", "list_type", "dict_type",
                         "bool_type", "model_type", "int_from_float"):
        message = f"{message}, got {_show(error.get('input'))}"
    return _error(text, source, loc, message)


def _model_at(loc: tuple[str, ...]) -> type[BaseModel] | None:
    """The model a location is inside (for naming its known keys)."""
    from legos.projects.definition import App, ProjectMetadata, Task, Templates

    models: dict[str, type[BaseModel]] = {
        "metadata": ProjectMetadata, "template": Templates, "tasks": Task, "apps": App,
        "assets": Entry, "shots": Entry}
    return models.get(loc[0]) if loc else ProjectDefinition


def _unknown(text: str, source: str, loc: tuple[str, ...],
             known: tuple[str, ...]) -> ProjectFileError:
    names = [k for k in known if k != "extra"]
    hint = f": use {', '.join(names)}" if names else ""
    return ProjectFileError(f"project file {source}: unknown key {_dotted(loc)}"
                            f"{_at(text, loc)}{hint} (nothing was changed)")


def _error(text: str, source: str, loc: tuple[str, ...], message: str) -> ProjectFileError:
    where = _dotted(loc) if loc else "the file"
    return ProjectFileError(f"project file {source}: {where}{_at(text, loc)}: {message} "
                            "(nothing was changed)")


def _show(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value).lower() if isinstance(
        value, bool) else str(value)


def _dotted(loc: tuple[str, ...]) -> str:
    return ".".join(_key(part) for part in loc)


def _at(text: str, loc: tuple[str, ...]) -> str:
    line = find_line(text, loc)
    return f" (line {line})" if line else ""


def find_line(text: str, loc: tuple[str, ...]) -> int | None:
    """The line that defines the key at `loc` (a table header or a `key = value` line), else
    the nearest line defining a table or key above it; None when none does."""
    table: tuple[str, ...] = ()
    best: tuple[int, int] | None = None   # (matched length, line)
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            inner = line.lstrip("[").split("]", 1)[0] if not line.startswith("[[") else \
                line[2:].split("]]", 1)[0]
            keys = _split_keys(inner)
            if keys is None:
                continue
            table, path = keys, keys
        else:
            name = _key_part(line)
            keys = _split_keys(name) if name is not None else None
            if keys is None:
                continue
            path = table + keys
        if path == loc:
            return number
        if loc[:len(path)] == path and (best is None or len(path) > best[0]):
            best = (len(path), number)
    return best[1] if best else None


def _key_part(line: str) -> str | None:
    """The text before the `=` of a `key = value` line (quotes respected)."""
    quote = None
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "=":
            return line[:index]
    return None


def _split_keys(text: str) -> tuple[str, ...] | None:
    """`a."b/c".d` -> ("a", "b/c", "d"); None when it is not a key."""
    try:
        data = tomllib.loads(f"{text.strip()} = 0")
    except tomllib.TOMLDecodeError:
        return None
    keys: list[str] = []
    while isinstance(data, dict) and len(data) == 1:
        key, data = next(iter(data.items()))
        keys.append(key)
    return tuple(keys)


# -- writing ---------------------------------------------------------------------------------
def write_file(definition: ProjectDefinition, path: str | os.PathLike[str]) -> Path:
    target = Path(path).expanduser()
    try:
        target.write_text(dumps(definition), encoding="utf-8")
    except OSError as exc:
        raise ProjectFileError(f"cannot write the project file {str(target)!r}: "
                               f"{exc.strerror or exc}") from None
    return target


def dumps(definition: ProjectDefinition) -> str:
    """The project file's text: fixed order of sections and keys, one table per entry."""
    data = definition.to_data()
    out = [f"schema = {_value(SCHEMA)}", f"version = {VERSION}"]
    for section in ("metadata", "template"):
        if data.get(section):
            out += ["", f"[{section}]"] + _pairs(data[section], _order(section))
    for section in ("tasks", "apps", "assets", "shots"):
        for name, table in data.get(section, {}).items():
            out += ["", f"[{section}.{_key(name)}]"]
            fields = dict(table)
            extra = fields.pop("extra", {})
            out += _pairs(fields, _order(section)) + _pairs(extra, ())
    return "\n".join(out) + "\n"


def _order(section: str) -> tuple[str, ...]:
    from legos.projects.definition import App, ProjectMetadata, Task, Templates

    models: dict[str, type[BaseModel]] = {"metadata": ProjectMetadata, "template": Templates,
                                          "tasks": Task, "apps": App}
    model = models.get(section, Entry)
    return tuple(model.model_fields)


def _pairs(table: dict[str, Any], order: tuple[str, ...]) -> list[str]:
    keys = [k for k in order if k in table] + sorted(k for k in table if k not in order)
    return [f"{_key(k)} = {_value(table[k])}" for k in keys]


def _key(name: str) -> str:
    return name if _BARE_KEY.match(name) else _string(name)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ProjectFileError(f"{value!r} cannot be written to a project file")
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in sorted(value.items())) \
            + " }"
    raise ProjectFileError(f"{value!r} ({type(value).__name__}) cannot be written to a "
                           "project file")


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}


def _string(text: str) -> str:
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'
