"""A project's inventory guessed from what `legos ingest project` scanned, so a migrated show
arrives with its assets and shots (an editable project file; docs/projects.md).

Shots: an asset with a folder named like a shot (`sh0040`, `shot_12`) belongs to the shot
entry ending at that folder (`seq010/sh0040/anim/cache` -> `seq010/sh0040`, kind "shot").
Assets: an asset of two or more folders belongs to the entry of its first two
(`chr/hero/tex/albedo` -> `chr/hero`, kind "chr": the category folder); a one-folder asset is
an entry of its own, of its legos kind.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from legos.projects.definition import ProjectDefinition

if TYPE_CHECKING:
    from legos.api import Legos
    from legos.projects.store import LoadReport

SHOT_FOLDER = re.compile(r"^(sh|shot)[_-]?\d+[a-z]?$", re.IGNORECASE)


def entry_of(asset: str, kind: str | None = None) -> tuple[str, str, str]:
    """(section, entry name, entry kind) an asset found in a tree falls under."""
    parts = asset.split("/")
    for index, part in enumerate(parts):
        if SHOT_FOLDER.match(part):
            return "shots", "/".join(parts[: index + 1]), "shot"
    if len(parts) >= 2:
        return "assets", "/".join(parts[:2]), _simple(parts[0])
    return "assets", asset, _simple(kind or "")


def _simple(name: str) -> str:
    from legos.projects.definition import check_simple_name

    try:
        return check_simple_name("kind", name) if name else ""
    except ValueError:
        return ""   # a folder name that is no kind name: left for the TD to fill in


def _valid_name(asset: str) -> bool:
    from legos.errors import InvalidNameError
    from legos.model import validate_asset_name

    try:
        validate_asset_name(asset)
    except InvalidNameError:
        return False
    return True


def definition_from_plan(data: dict[str, Any],
                         base: ProjectDefinition | None = None) -> ProjectDefinition:
    """`base` (default: an empty definition) with an entry for every asset and shot the plan
    found; entries `base` has already are kept as they are."""
    base = base or ProjectDefinition()
    assets = {name: entry.model_dump() for name, entry in base.assets.items()}
    shots = {name: entry.model_dump() for name, entry in base.shots.items()}
    for item in data.get("versions", []):
        if not _valid_name(item["asset"]):
            continue   # the plan fails that item: nothing of it is published
        section, name, kind = entry_of(item["asset"], item.get("kind"))
        if name in assets or name in shots:
            continue
        (shots if section == "shots" else assets)[name] = {"kind": kind}
    return ProjectDefinition.model_validate(
        {**base.model_dump(), "assets": assets, "shots": shots})


def define(lg: Legos, code: str, definition: ProjectDefinition, *, dry_run: bool = False,
           user: str | None = None) -> LoadReport:
    """Create the project from `definition`, or load it into the project when it is already
    defined (a merge: entries it lacks are removed, unless versions use them)."""
    from legos.model.user import current_user
    from legos.projects import store as projects

    rows = lg.store.query("projects/get", project=code)
    create = not rows or not rows[0]["revision"]
    return projects.load(lg.store, code, definition, user=current_user(user),
                         dry_run=dry_run, create=create)


def write_project_file(data: dict[str, Any], path: str | os.PathLike[str]) -> Path:
    """Write the project file of a plan's inventory; an existing file at `path` is the base
    (its settings and entries kept, the new assets and shots added)."""
    from legos.projects.toml_file import read_file, write_file

    target = Path(path).expanduser()
    base = read_file(target) if target.exists() else None
    return write_file(definition_from_plan(data, base), target)


def define_from_file(lg: Legos, plan: Any, path: str | os.PathLike[str], *,
                     dry_run: bool = False, user: str | None = None) -> list[str]:
    """Define the plan's project from a project file before its versions are published (so
    its publish template applies); returns what it changed, one line each."""
    from legos.ingest.project import Plan, load_plan
    from legos.projects.toml_file import read_file

    code = load_plan(plan.data if isinstance(plan, Plan) else plan)["project"]
    report = define(lg, code, read_file(path), dry_run=dry_run, user=user)
    done = ("would define" if dry_run else "created" if report.created else "loaded")
    return report.diff.lines() + [f"project {code}: {done} from {path}"]
