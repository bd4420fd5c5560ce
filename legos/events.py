"""Events: every publish, status change, tag, alias, review, submission, metadata change and
project load, in order, from the graph, so a tracker, a farm scheduler or a chat bot can follow.

Each event has a cursor, `<UTC time>/<uid>`: events are ordered by (time, uid), so resuming
after a cursor gives neither duplicates nor gaps, even when events share an instant. A follower
polls with a keyed range read (Version.created_at, Change.at, ProjectLoad.created_at are
indexed) and stays `settle` seconds behind now: a transaction stamps its events when it starts
and commits a moment later, so an event may become visible after later-stamped ones have; the
settling time lets it land before the cursor moves past it.
"""

from __future__ import annotations

import json
import time as clock
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from functools import partial
from typing import Any

from legos import as_of as past
from legos.errors import InvalidInputError
from legos.store.base import GraphStore, Transaction

KINDS = ("publish", "status", "tag", "alias", "review", "meta", "submit", "project_load")
DEFAULT_SETTLE_S = 2.0
DEFAULT_POLL_S = 1.0
_PAGE = 1000
_BEGINNING = datetime(1970, 1, 1, tzinfo=timezone.utc)
_QUERIES = ("events/versions", "events/changes", "events/submits", "events/project_loads")


@dataclass(frozen=True)
class Event:
    """One thing that happened. `uri` names the version it happened to (the asset for asset
    metadata, `legos:/PROJECT` for a project load); `detail` holds what it changed."""

    kind: str          # one of KINDS
    at: datetime       # UTC
    uid: str           # the Version, Change, Revision or ProjectLoad it comes from
    project: str
    uri: str
    user: str
    detail: dict[str, Any]

    @property
    def cursor(self) -> str:
        return format_cursor(self.at, self.uid)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["at"] = _iso(self.at)
        data["cursor"] = self.cursor
        return data


def _iso(instant: datetime) -> str:
    return instant.astimezone(timezone.utc).replace(tzinfo=None).isoformat(
        timespec="microseconds") + "Z"


def format_cursor(at: datetime, uid: str) -> str:
    return f"{_iso(at)}/{uid}"


def parse_cursor(cursor: str) -> tuple[datetime, str]:
    """A cursor as events give it (`2026-03-01T18:00:00.000000Z/<uid>`)."""
    text = cursor if isinstance(cursor, str) else ""
    when, sep, uid = text.partition("/")
    try:
        if not sep or not uid:
            raise InvalidInputError("no uid")
        return past.given(when, "cursor time") or _BEGINNING, uid
    except InvalidInputError:
        raise InvalidInputError(
            f"{cursor!r} is not an events cursor: give one an event printed, e.g. "
            "2026-03-01T18:00:00.000000Z/3f2a...") from None


def _version_uri(project: str, asset: str | None, number: int | None) -> str:
    if asset is None:
        return f"legos:/{project}"
    return f"legos:/{project}/{asset}" + ("" if number is None else f"?version={number}")


def _from_versions(row: dict[str, Any]) -> Event:
    return Event("publish", row["at"], row["uid"], row["project"],
                 _version_uri(row["project"], row["asset"], row["number"]), row["user"],
                 {"kind": row["kind"], "status": row["status"], "comment": row["note"] or ""})


def _from_changes(row: dict[str, Any]) -> Event:
    field = row["field"]
    kind = "meta" if field.startswith("meta:") else field
    project = row["project"] or ""
    asset = row["asset"] if row["asset"] is not None else row["asset_name"]
    detail: dict[str, Any] = {"from": row["from_value"], "to": row["to_value"],
                              "note": row["note"] or ""}
    if kind == "meta":
        detail["key"] = field[len("meta:"):]
    if row["revision"]:
        detail["revision"] = row["revision"]
    return Event(kind, row["at"], row["uid"], project,
                 _version_uri(project, asset, row["number"]), row["user"], detail)


def _from_submits(row: dict[str, Any]) -> Event:
    return Event("submit", row["at"], row["uid"], row["project"],
                 _version_uri(row["project"], row["asset"], row["number"]), row["user"],
                 {"revision": row["uid"], "revision_kind": row["kind"], "note": row["note"] or ""})


def _from_loads(row: dict[str, Any]) -> Event:
    try:
        summary = json.loads(row["summary"] or "{}")
    except ValueError:
        summary = {}
    return Event("project_load", row["at"], row["uid"], row["project"],
                 f"legos:/{row['project']}", row["user"],
                 {"number": row["number"], "summary": summary})


_MAKERS: dict[str, Callable[[dict[str, Any]], Event]] = dict(zip(
    _QUERIES, (_from_versions, _from_changes, _from_submits, _from_loads), strict=True))


def page(tx: Transaction, after: tuple[datetime, str], until: datetime, project: str,
         limit: int) -> list[Event]:
    """The first `limit` events after the cursor `after` and at or before `until`, in order."""
    params = {"t": after[0], "uid": after[1], "until": until, "project": project,
              "limit": limit}
    found = [_MAKERS[name](row) for name in _QUERIES for row in tx.query(name, **params)]
    found.sort(key=lambda e: (e.at, e.uid))
    return found[:limit]


def _start(since: datetime | str | None, after: str | None) -> tuple[datetime, str]:
    if after is not None and since is not None:
        raise InvalidInputError("give a cursor (after) or a since time, not both: a cursor "
                                "already says where to resume")
    if after is not None:
        return parse_cursor(after)
    return (past.given(since, "since time") or _BEGINNING, "")


def _project(project: str | None) -> str:
    if project is None:
        return ""
    from legos.model import validate_project_code

    validate_project_code(project)
    return project


def _until(settle: float) -> datetime:
    return datetime.now(timezone.utc) - timedelta(seconds=max(0.0, float(settle)))


def events(store: GraphStore, *, since: datetime | str | None = None,
           after: str | None = None, project: str | None = None, limit: int | None = None,
           settle: float = 0.0) -> list[Event]:
    """Every event from `since` (inclusive) or after the cursor `after`, oldest first, up to
    now less `settle` seconds; at most `limit`."""
    cursor, code = _start(since, after), _project(project)
    if limit is not None and (not isinstance(limit, int) or limit < 0):
        raise InvalidInputError(f"limit {limit!r} must be a whole number >= 0")
    until = _until(settle)
    out: list[Event] = []
    while limit is None or len(out) < limit:
        size = _PAGE if limit is None else min(_PAGE, limit - len(out))
        got = store.read(partial(page, after=cursor, until=until, project=code, limit=size))
        out += got
        if len(got) < size:
            break
        cursor = (got[-1].at, got[-1].uid)
    return out


def follow(store: GraphStore, *, since: datetime | str | None = None, after: str | None = None,
           project: str | None = None, poll: float = DEFAULT_POLL_S,
           settle: float = DEFAULT_SETTLE_S,
           stop: Callable[[], bool] | None = None) -> Iterator[Event]:
    """Every event as `events` gives it, then each new one as it settles, polling every `poll`
    seconds, until `stop()` says so (or the caller stops iterating). Without since/after it
    starts from now: only what happens next."""
    fresh = since is None and after is None
    cursor = (_until(settle), "") if fresh else _start(since, after)
    code = _project(project)
    while True:
        until = _until(settle)
        got = store.read(partial(page, after=cursor, until=until, project=code, limit=_PAGE))
        for event in got:
            cursor = (event.at, event.uid)
            yield event
        if stop is not None and stop():
            return
        if len(got) < _PAGE:
            clock.sleep(poll)
