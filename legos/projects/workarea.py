"""Work areas: the folder an artist works in for one asset and task (from the project's work
template), and the environment a launcher exports so a DCC session knows where it is and
publishes back to the right asset."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from legos.errors import InvalidInputError, NotFoundError
from legos.projects.templates import (
    DEFAULT_WORK_TEMPLATE,
    fill_work_template,
    silo_of,
    validate_work_template,
    work_root,
)

if TYPE_CHECKING:
    from legos.api import Legos


@dataclass(frozen=True)
class WorkArea:
    project: str
    asset: str
    task: str
    app: str | None
    user: str
    path: Path
    store: str
    root: Path

    def environment(self) -> dict[str, str]:
        """What a launcher exports before it starts the application (LEGOS_APP only when an
        application is named)."""
        env = {"LEGOS_PROJECT": self.project, "LEGOS_ASSET": self.asset,
               "LEGOS_TASK": self.task, "LEGOS_APP": self.app or "", "LEGOS_USER": self.user,
               "LEGOS_STORE": self.store, "LEGOS_ROOT": str(self.root),
               "LEGOS_WORKDIR": str(self.path)}
        return {k: v for k, v in env.items() if v}


def work_area(lg: Legos, reference: str, *, task: str, app: str | None = None,
              user: str | None = None, create: bool = False) -> WorkArea:
    """The work area of `reference` ("PROJECT/ASSET" or an asset URI) for `task` (and `app`,
    and `user`, default the current one); with `create`, its folder is made. A project that
    lists tasks or apps accepts only those."""
    from legos.model.user import current_user
    from legos.projects.definition import check_simple_name
    from legos.projects.timing import enclosing_uids
    from legos.uri import parse_reference

    uri = parse_reference(reference)
    if uri.version is not None or uri.tag or uri.status or uri.at:
        raise InvalidInputError(f"{reference!r} names a version: a work area belongs to an "
                                f"asset, e.g. {uri.project}/{uri.asset}")
    who = current_user(user)
    for what, name in (("task", task), ("app", app)):
        if name is not None:
            try:
                check_simple_name(what, name)
            except ValueError as exc:
                raise InvalidInputError(str(exc)) from None
    uids = enclosing_uids(uri.project, uri.asset)
    rows = lg.store.query("projects/work_context", project=uri.project, uids=uids)
    if not rows:
        raise NotFoundError(f"there is no project {uri.project!r}: create it with `legos "
                            f"project create {uri.project}`, or check the name")
    settings = json.loads(rows[0]["settings"]) if rows[0]["settings"] else {}
    _check_listed("task", task, settings.get("tasks") or {}, uri.project)
    if app is not None:
        _check_listed("app", app, settings.get("apps") or {}, uri.project)
    template = validate_work_template(rows[0]["template"] or DEFAULT_WORK_TEMPLATE)
    by_uid = {row["uid"]: row for row in rows}
    root = lg.root
    path = fill_work_template(template, {
        "work": str(work_root(root)), "root": str(root), "project": uri.project,
        "silo": silo_of([by_uid[u] for u in uids if u in by_uid]), "asset": uri.asset,
        "task": task, "app": app, "user": who})
    if create:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InvalidInputError(f"cannot create the work folder {path}: "
                                    f"{exc.strerror or exc}; check the work root "
                                    "($LEGOS_WORK_ROOT) and its permissions") from None
    return WorkArea(uri.project, uri.asset, task, app, who, path, lg.store.location, root)


def _check_listed(what: str, name: str, listed: dict[str, object], project: str) -> None:
    if listed and name not in listed:
        raise InvalidInputError(
            f"project {project!r} has no {what} {name!r}: use one of "
            f"{', '.join(sorted(listed))} (its [{what}s] table lists them)")
