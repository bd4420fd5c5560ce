"""A project's definition: its settings, templates and inventory, as one validated object.

The same object comes from a project file (legos.projects.toml_file), from the store (the
Project and Entry nodes, or a recorded ProjectLoad) and goes back to both; `to_data()` is its
canonical JSON form (sorted keys, no empty values), which is what a load records.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA = "legos.project"
VERSION = 1
SECTIONS = ("assets", "shots")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\Z")  # tasks, apps, kinds: one path segment
_FRAME_LIMIT = 2**31  # frames are stored as 64-bit integers; anything near that is a typo


def check_simple_name(what: str, name: str) -> str:
    """Task, app and kind names end up as folder names: one segment of letters, digits, '_',
    '-' or '.'."""
    if not isinstance(name, str) or not _NAME.match(name) or name.endswith("."):
        raise ValueError(f"{what} {name!r} is not valid: use letters, digits, '_', '-' or '.' "
                         "(one folder name, at most 64 characters), e.g. 'model'")
    return name


def _finite(value: float | None) -> float | None:
    if value is not None and (not math.isfinite(value) or value <= 0):
        raise ValueError(f"must be a positive number, got {value!r}")
    return value


def _frame(value: int | None) -> int | None:
    if value is not None and abs(value) >= _FRAME_LIMIT:
        raise ValueError(f"frame {value} is out of range (at most {_FRAME_LIMIT - 1})")
    return value


class _Strict(BaseModel):
    # strict: "24" is not a number and 1 is not a string; unknown keys are refused
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ProjectMetadata(_Strict):
    """`[metadata]`: what every DCC of the show agrees on."""

    label: str = ""
    fps: float | None = None
    resolution: list[int] | None = None
    pixel_aspect: float | None = None
    frame_in: int | None = None
    frame_out: int | None = None
    handles: int | None = None
    ocio_config: str = ""
    colorspace: str = ""

    _fps = field_validator("fps", "pixel_aspect")(_finite)
    _frames = field_validator("frame_in", "frame_out")(_frame)

    @field_validator("resolution")
    @classmethod
    def _resolution(cls, value: list[int] | None) -> list[int] | None:
        if value is not None and (len(value) != 2 or not all(0 < v < 1 << 20 for v in value)):
            raise ValueError(f"must be two positive integers [width, height], got {list(value)}")
        return value

    @field_validator("handles")
    @classmethod
    def _handles(cls, value: int | None) -> int | None:
        if value is not None and not 0 <= value < _FRAME_LIMIT:
            raise ValueError(f"must be zero or more frames, got {value}")
        return value

    @model_validator(mode="after")
    def _range(self) -> ProjectMetadata:
        _check_range(self.frame_in, self.frame_out)
        return self


class Task(_Strict):
    """`[tasks.NAME]`: a step of the work (model, rig, anim, ...)."""

    label: str = ""


class App(_Strict):
    """`[apps.NAME]`: an application a launcher starts for a task."""

    label: str = ""
    executable: str = ""
    args: list[str] = Field(default_factory=list)
    env: dict[str, str] = Field(default_factory=dict)


class Templates(_Strict):
    """`[template]`: where this project publishes and works ("" or absent: the defaults)."""

    publish: str = ""
    work: str = ""


class Entry(_Strict):
    """`[assets.NAME]` or `[shots.NAME]`: one planned asset or shot. Keys the model does not
    know are kept in `extra` (any TOML value but a date or time)."""

    label: str = ""
    kind: str = ""
    frame_in: int | None = None
    frame_out: int | None = None
    fps: float | None = None
    extra: dict[str, Any] = Field(default_factory=dict)

    _fps = field_validator("fps")(_finite)
    _frames = field_validator("frame_in", "frame_out")(_frame)

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        return check_simple_name("kind", value) if value else value

    @field_validator("extra")
    @classmethod
    def _extra(cls, value: dict[str, Any]) -> dict[str, Any]:
        _check_plain(value, "")
        return value

    @model_validator(mode="after")
    def _range(self) -> Entry:
        _check_range(self.frame_in, self.frame_out)
        return self


class ProjectDefinition(_Strict):
    """The whole definition a project file holds."""

    metadata: ProjectMetadata = Field(default_factory=ProjectMetadata)
    template: Templates = Field(default_factory=Templates)
    tasks: dict[str, Task] = Field(default_factory=dict)
    apps: dict[str, App] = Field(default_factory=dict)
    assets: dict[str, Entry] = Field(default_factory=dict)
    shots: dict[str, Entry] = Field(default_factory=dict)

    @field_validator("tasks", "apps")
    @classmethod
    def _names(cls, value: dict[str, Any]) -> dict[str, Any]:
        for name in value:
            check_simple_name("name", name)
        return value

    @field_validator("assets", "shots")
    @classmethod
    def _entry_names(cls, value: dict[str, Entry]) -> dict[str, Entry]:
        from legos.model import validate_asset_name

        for name in value:
            validate_asset_name(name)  # an entry is the asset path its versions would have
        return value

    @model_validator(mode="after")
    def _one_section_per_name(self) -> ProjectDefinition:
        both = sorted(set(self.assets) & set(self.shots))
        if both:
            raise ValueError(f"{both[0]!r} is both an asset and a shot: an entry is one or the "
                             "other (rename one of them)")
        return self

    def entries(self) -> dict[str, tuple[str, Entry]]:
        """Every entry by name, with its section."""
        found = {name: ("assets", entry) for name, entry in self.assets.items()}
        found.update({name: ("shots", entry) for name, entry in self.shots.items()})
        return found

    # -- the canonical form -----------------------------------------------------------------
    def to_data(self) -> dict[str, Any]:
        """The definition as plain JSON-able data: sorted keys, empty values left out, the
        schema and version first. Equal definitions give equal data."""
        dumped = self.model_dump(mode="json")
        data = {}
        for section, value in sorted(dumped.items()):
            if section in ("metadata", "template"):
                value = _compact(value)
            else:  # a named item stays even when it has no fields ([tasks.anim])
                value = {name: _compact(item) for name, item in sorted(value.items())}
            if value:
                data[section] = value
        return {"schema": SCHEMA, "version": VERSION, **data}

    def to_json(self) -> str:
        return json.dumps(self.to_data(), sort_keys=True, ensure_ascii=False,
                          separators=(",", ":"))

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> ProjectDefinition:
        """From `to_data()` (or a recorded load): the schema fields are dropped here, the file
        reader checks them."""
        return cls.model_validate({k: v for k, v in data.items()
                                   if k not in ("schema", "version")})

    def settings(self) -> dict[str, Any]:
        """What the Project node keeps as its settings JSON: metadata (without the label, its
        own column), tasks and apps."""
        data = self.to_data()
        metadata = {k: v for k, v in data.get("metadata", {}).items() if k != "label"}
        return {k: v for k, v in (("metadata", metadata), ("tasks", data.get("tasks")),
                                  ("apps", data.get("apps"))) if v}


def _check_range(frame_in: int | None, frame_out: int | None) -> None:
    if frame_in is not None and frame_out is not None and frame_out < frame_in:
        raise ValueError(f"frame_out {frame_out} is before frame_in {frame_in}")


def _check_plain(value: Any, where: str) -> None:
    """Extra values must survive JSON and TOML unchanged: text, finite numbers, booleans,
    lists and tables of those."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"key {key!r} is not text")
            _check_plain(item, f"{where}.{key}" if where else key)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_plain(item, where)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{where} is {value!r}: only finite numbers are kept")
    elif not isinstance(value, str | int | bool):
        raise ValueError(f"{where} is a {type(value).__name__}: use text, a number, true/false, "
                         "a list or a table (write dates as text, e.g. \"2026-05-01\")")


def _compact(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields of one table that say something: None, "", [] and {} are the defaults, left
    out (so a definition and its round trip compare equal). Values are kept as they are."""
    return {key: value for key, value in sorted(fields.items())
            if value is not None and value != "" and value != [] and value != {}}
