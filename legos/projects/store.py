"""Project definitions in the graph: read (now or as of a time), create, load (a merge that is
recorded as a ProjectLoad), and the history of loads.

The current definition lives on the Project node (label, settings JSON, templates) and its
Entry nodes (the inventory, which queries can use); each load also keeps the whole definition
as canonical JSON, so `--as-of` reads one ProjectLoad.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from legos.errors import ConflictError, NotFoundError
from legos.projects.definition import Entry, ProjectDefinition
from legos.projects.diff import Diff, compare
from legos.projects.templates import (
    check_assets_fit,
    validate_publish_template,
    validate_work_template,
)
from legos.store.base import GraphStore, Transaction
from legos.uri import format_time

_NAMED_VERSIONS = 5  # versions named per refused entry


@dataclass(frozen=True)
class LoadReport:
    """What a load did (or, with `dry_run`, would do)."""

    project: str
    number: int | None        # the load's number in the history; None for a dry run
    diff: Diff
    dry_run: bool
    created: bool = False


@dataclass(frozen=True)
class LoadRecord:
    """One row of `legos project history`."""

    project: str
    number: int
    created_by: str
    created_at: datetime
    diff: Diff


def _no_project(project: str) -> NotFoundError:
    from legos.model import validate_project_code

    validate_project_code(project)  # a code that cannot be one says so first
    return NotFoundError(f"there is no project {project!r}: create it with `legos project "
                         f"create {project}` (or --from FILE), or check the name")


def _defined(project: str) -> ConflictError:
    return ConflictError(f"project {project!r} is already defined: change it with `legos "
                         f"project load {project} FILE` (`legos project save {project} -o "
                         "FILE` writes the current definition to edit)")


def read_definition(tx: Transaction, project: str) -> ProjectDefinition | None:
    """The project's definition now; None when there is no such project (one made by a
    publish and never defined has an empty definition)."""
    rows = tx.query("projects/get", project=project)
    if not rows:
        return None
    row = rows[0]
    settings = json.loads(row["settings"]) if row["settings"] else {}
    data: dict[str, Any] = {
        "metadata": {"label": row["label"] or "", **settings.get("metadata", {})},
        "tasks": settings.get("tasks", {}), "apps": settings.get("apps", {}),
        "template": {"publish": row["publish_template"] or "",
                     "work": row["work_template"] or ""},
        "assets": {}, "shots": {}}
    for entry in tx.query("projects/entries", project=project):
        data[entry["section"]][entry["name"]] = {
            "label": entry["label"] or "", "kind": entry["kind"] or "",
            "frame_in": entry["frame_in"], "frame_out": entry["frame_out"], "fps": entry["fps"],
            "extra": json.loads(entry["extra"]) if entry["extra"] else {}}
    return ProjectDefinition.from_data(data)


def definition_or_raise(tx: Transaction, project: str,
                        at: datetime | None = None) -> ProjectDefinition:
    """The definition now (or at `at`); NotFoundError when there is no such project."""
    if at is not None:
        return definition_at(tx, project, at)
    found = read_definition(tx, project)
    if found is None:
        raise _no_project(project)
    return found


def as_definition(given: ProjectDefinition | str | os.PathLike[str]) -> ProjectDefinition:
    """A definition as the API takes one: the object, or a project file's path."""
    if isinstance(given, ProjectDefinition):
        return given
    from legos.projects.toml_file import read_file

    return read_file(given)


def definition_at(tx: Transaction, project: str, at: datetime) -> ProjectDefinition:
    rows = tx.query("projects/load_at", project=project, at=at)
    if not rows:
        if not tx.query("projects/get", project=project):
            raise _no_project(project)
        raise NotFoundError(f"project {project!r} had no definition at {format_time(at)}: "
                            f"`legos project history {project}` lists when it was loaded")
    return ProjectDefinition.from_data(json.loads(rows[0]["definition"]))


def history(tx: Transaction, project: str) -> list[LoadRecord]:
    rows = tx.query("projects/loads", project=project)
    if not rows and not tx.query("projects/get", project=project):
        raise _no_project(project)
    return [LoadRecord(project, row["number"], row["created_by"], row["created_at"],
                       Diff.from_data(json.loads(row["summary"]))) for row in rows]


def load(store: GraphStore, project: str, definition: ProjectDefinition, *, user: str,
         dry_run: bool = False, create: bool = False) -> LoadReport:
    """Merge `definition` into the project: a write that records a ProjectLoad, or with
    `dry_run` a read that says what it would change. `create` makes the project first (a
    project a publish made and nobody defined yet counts as new). Refused, changing nothing:
    a template that lets versions collide or does not fit the project's assets, and removing
    an entry that published versions use."""
    from legos.model import validate_project_code

    validate_project_code(project)
    for template, check in ((definition.template.publish, validate_publish_template),
                            (definition.template.work, validate_work_template)):
        if template:
            check(template)
    token = uuid.uuid4().hex

    def work(tx: Transaction) -> LoadReport:
        now = datetime.now(timezone.utc)
        if create and not dry_run:
            made = tx.query("projects/create", project=project, now=now)[0]
            if made["revision"]:
                raise _defined(project)
        locked = (tx.query("projects/get", project=project) if dry_run else
                  tx.query("projects/lock", project=project, token=token))
        if create and dry_run and locked and locked[0]["revision"]:
            raise _defined(project)
        if not locked and not (create and dry_run):  # a dry-run create: nothing there yet
            raise _no_project(project)
        before = read_definition(tx, project) or ProjectDefinition()
        diff = compare(before, definition)
        _check(tx, project, before, definition)
        if dry_run:
            return LoadReport(project, None, diff, True, create)
        number = int(locked[0]["revision"] or 0) + 1
        _write(tx, project, before, definition, number)
        tx.query("projects/add_load", project=project, uid=f"{project}#{number}", number=number,
                 definition=definition.to_json(),
                 summary=json.dumps(diff.to_data(), sort_keys=True), user=user, now=now)
        return LoadReport(project, number, diff, False, create)

    if dry_run:
        return store.read(work)
    return store.write(work)


def _check(tx: Transaction, project: str, before: ProjectDefinition,
           after: ProjectDefinition) -> None:
    template = after.template.publish
    if template and template != before.template.publish:
        names = [row["name"] for row in tx.query("projects/asset_names", project=project)]
        check_assets_fit(template, names)
    gone = sorted(set(before.entries()) - set(after.entries()))
    if not gone:
        return
    used: dict[str, list[str]] = {}
    for row in tx.query("projects/versions_under", project=project, names=gone):
        used.setdefault(row["name"], []).append(
            f"legos:/{project}/{row['asset']}?version={row['number']}")
    if used:
        name, uris = next(iter(used.items()))
        more = f" and {len(uris) - _NAMED_VERSIONS} more" if len(uris) > _NAMED_VERSIONS else ""
        others = f" (and {len(used) - 1} other entries in use)" if len(used) > 1 else ""
        raise ConflictError(
            f"the load removes the entry {name!r}, which published versions use: "
            f"{', '.join(uris[:_NAMED_VERSIONS])}{more}{others}; keep it in the file "
            "(nothing was changed)")


def _write(tx: Transaction, project: str, before: ProjectDefinition,
           after: ProjectDefinition, number: int) -> None:
    tx.query("projects/set", project=project, label=after.metadata.label,
             settings=json.dumps(after.settings(), sort_keys=True),
             publish_template=after.template.publish or "",
             work_template=after.template.work or "", revision=number)
    old, new = before.entries(), after.entries()
    gone = sorted(set(old) - set(new))
    if gone:
        tx.query("projects/remove_entries", uids=[f"{project}/{name}" for name in gone])
    touched = [(name, section, entry) for name, (section, entry) in sorted(new.items())
               if old.get(name) != (section, entry)]
    if not touched:
        return
    tx.query("projects/upsert_entries", project=project, entries=[
        {"uid": f"{project}/{name}", "name": name, "section": section, "label": entry.label,
         "kind": entry.kind,
         "extra": json.dumps(entry.extra, sort_keys=True) if entry.extra else ""}
        for name, section, entry in touched])
    # a column of nulls cannot be bound on LadybugDB: each number is set where there is one
    for query, pick in (("projects/set_frame_in", _frame_in), ("projects/set_frame_out",
                                                                _frame_out),
                        ("projects/set_fps", _fps)):
        rows = [{"uid": f"{project}/{name}", "value": value} for name, _, entry in touched
                if (value := pick(entry)) is not None]
        if rows:
            tx.query(query, rows=rows)


def _frame_in(entry: Entry) -> int | None:
    return entry.frame_in


def _frame_out(entry: Entry) -> int | None:
    return entry.frame_out


def _fps(entry: Entry) -> float | None:
    return None if entry.fps is None else float(entry.fps)
