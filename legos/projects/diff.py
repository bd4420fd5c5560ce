"""What a load changes: the entries, tasks and apps it adds and removes, and the fields it
changes (of those, of [metadata] and of [template])."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from legos.projects.definition import ProjectDefinition

_NAMED = ("tasks", "apps", "assets", "shots")   # sections of named items
_SINGLE = ("metadata", "template")               # sections that are one table


@dataclass(frozen=True)
class Changed:
    """One item whose fields changed: `path` is e.g. "shots.seq010/sh0040" or "metadata";
    `fields` maps each changed field to (before, after), None where absent."""

    path: str
    fields: dict[str, tuple[Any, Any]]


@dataclass(frozen=True)
class Diff:
    added: list[str] = field(default_factory=list)     # "assets.chr/skaarj", "tasks.model"
    changed: list[Changed] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)

    def to_data(self) -> dict[str, Any]:
        return {"added": self.added, "removed": self.removed,
                "changed": [{"path": c.path, "fields": {k: list(v) for k, v in c.fields.items()}}
                            for c in self.changed]}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Diff:
        return cls(list(data.get("added", [])),
                   [Changed(c["path"], {k: (v[0], v[1]) for k, v in c["fields"].items()})
                    for c in data.get("changed", [])],
                   list(data.get("removed", [])))

    def lines(self) -> list[str]:
        """One line per change, as `project load --dry-run` prints them: + added, ~ changed,
        - removed."""
        out = [f"+ {path}" for path in self.added]
        for item in self.changed:
            parts = [f"{name}: {_show(before)} -> {_show(after)}"
                     for name, (before, after) in sorted(item.fields.items())]
            out.append(f"~ {item.path}  " + "; ".join(parts))
        out += [f"- {path}" for path in self.removed]
        return out


def compare(before: ProjectDefinition, after: ProjectDefinition) -> Diff:
    old, new = before.to_data(), after.to_data()
    added, changed, removed = [], [], []
    for section in _SINGLE:
        fields = _changed_fields(old.get(section, {}), new.get(section, {}))
        if fields:
            changed.append(Changed(section, fields))
    for section in _NAMED:
        was, now = old.get(section, {}), new.get(section, {})
        added += [f"{section}.{name}" for name in sorted(set(now) - set(was))]
        removed += [f"{section}.{name}" for name in sorted(set(was) - set(now))]
        for name in sorted(set(was) & set(now)):
            fields = _changed_fields(was[name], now[name])
            if fields:
                changed.append(Changed(f"{section}.{name}", fields))
    return Diff(added, changed, removed)


def _changed_fields(was: dict[str, Any], now: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    fields: dict[str, tuple[Any, Any]] = {}
    for key in sorted(set(was) | set(now)):
        if key == "extra":  # each further key of an entry is a field of its own
            fields.update({f"extra.{k}": v for k, v in
                           _changed_fields(was.get(key, {}), now.get(key, {})).items()})
        elif was.get(key) != now.get(key):
            fields[key] = (was.get(key), now.get(key))
    return fields


def _show(value: Any) -> str:
    return "(none)" if value is None else repr(value) if isinstance(value, str) else str(value)
