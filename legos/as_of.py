"""Questions asked as the graph stood at a past instant (`--as-of TIME`).

Versions are immutable and always newer than their inputs, so the graph as it stood at T is
the versions created at or before T; the one thing that changes later is a version's status,
which the recorded status changes (Change nodes) take back to its value at T.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any, TypeVar

from pydantic import BaseModel

from legos.catalog import SKIPPED_STATUSES, history as full_history, select_uid
from legos.errors import InvalidInputError, VersionNotFoundError
from legos.model import HistoryRow
from legos.store.base import Transaction
from legos.uri import AssetURI, format_time, parse_time

Row = TypeVar("Row", bound=BaseModel)


def given(as_of: datetime | str | None, what: str = "as-of time") -> datetime | None:
    """An as-of time as the API takes it (an aware datetime, or ISO 8601 text), in UTC; None
    stays None. A time without a zone is refused: it means different instants in different
    places."""
    if as_of is None:
        return None
    if isinstance(as_of, str):
        return parse_time(as_of)
    if not isinstance(as_of, datetime):
        raise InvalidInputError(f"the {what} {as_of!r} is not a time: give an aware datetime or "
                                "text such as 2026-03-01T18:00:00Z")
    if as_of.tzinfo is None or as_of.utcoffset() is None:
        raise InvalidInputError(
            f"the {what} {as_of.isoformat()} has no time zone: give an aware datetime "
            "(e.g. datetime(..., tzinfo=timezone.utc)) or text such as 2026-03-01T18:00:00Z")
    return as_of.astimezone(timezone.utc)


def instant(as_of: datetime | str | None) -> datetime:
    """The instant a query runs at: the one given (in UTC), else now."""
    return given(as_of) or datetime.now(timezone.utc)


def picked_then(uri: AssetURI, as_of: datetime | None) -> AssetURI:
    """`uri` as asked at `as_of`: without an exact version or time, its rule picks among the
    versions that existed then."""
    if as_of is not None and uri.version is None and uri.at is None:
        return replace(uri, at=as_of)
    return uri


def start_uid(tx: Transaction, uri: AssetURI, as_of: datetime | None) -> str:
    """The version a question starts from, as it stood at `as_of` (see `picked_then`); an
    exact version must have existed then."""
    if as_of is None:
        return select_uid(tx, uri)
    uri = picked_then(uri, as_of)
    if uri.version is None and uri.tag is None:
        return _picked_at(tx, uri, as_of)
    uid = select_uid(tx, uri)
    created = tx.query("versions/get", uids=[uid])[0]["created_at"]
    if created > as_of:
        raise VersionNotFoundError(
            f"{uri} was published at {format_time(created)}, after the as-of time "
            f"{format_time(as_of)}: ask about an earlier version or a later time")
    return uid


def _picked_at(tx: Transaction, uri: AssetURI, as_of: datetime) -> str:
    """The version a rule picked at `as_of`, judged by the statuses of then: a status rule
    means the status it had, and a version rejected or deprecated then was passed over (see
    catalog.skipped)."""
    until = min(as_of, uri.at) if uri.at is not None else as_of
    statuses = statuses_at(tx, as_of)
    for entry in full_history(tx, uri):           # newest first
        status = statuses.get(entry.uid, entry.status)
        if entry.created_at > until:
            continue
        if (status == uri.status) if uri.status else status not in SKIPPED_STATUSES:
            return entry.uid
    raise VersionNotFoundError(
        f"no version of {uri.asset_uri()} matched {uri.rule()} as of {format_time(as_of)} "
        "(rules pass over rejected or deprecated versions): see "
        f"`legos history {uri.asset_uri()} --as-of {format_time(as_of)}`")


def statuses_at(tx: Transaction, as_of: datetime | None) -> dict[str, str]:
    """uid -> status at `as_of`, for every version whose status has changed since."""
    if as_of is None:
        return {}
    before: dict[str, str] = {}
    for change in tx.query("review/statuses_changed_after", as_of=as_of):
        before.setdefault(change["uid"], change["status"])
    return before


def verdicts_at(tx: Transaction, as_of: datetime | None) -> dict[str, str]:
    """revision id -> review verdict at `as_of`, for every revision reviewed since."""
    if as_of is None:
        return {}
    before: dict[str, str] = {}
    for change in tx.query("review/verdicts_changed_after", as_of=as_of):
        before.setdefault(change["revision"], change["status"])
    return before


def rows_then(tx: Transaction, rows: list[dict[str, Any]],
              as_of: datetime | None) -> list[dict[str, Any]]:
    """Any query's rows with their status columns as they stood at `as_of`: `status` beside
    `uid` (or `P_status` beside `P_uid`) is a version's status, beside `revision` a dailies
    revision's verdict."""
    if as_of is None or not rows:
        return rows
    pairs = []
    for key in rows[0]:
        if key.endswith("status"):
            prefix = key[:-len("status")]
            if prefix + "uid" in rows[0]:
                pairs.append((key, prefix + "uid", "version"))
            elif prefix + "revision" in rows[0]:
                pairs.append((key, prefix + "revision", "revision"))
    if not pairs:
        return rows
    then = {"version": statuses_at(tx, as_of) if any(p[2] == "version" for p in pairs) else {},
            "revision": verdicts_at(tx, as_of) if any(p[2] == "revision" for p in pairs) else {}}
    for row in rows:
        for key, by, which in pairs:
            row[key] = then[which].get(row[by], row[key])
    return rows


def with_statuses(rows: Iterable[Row], statuses: dict[str, str]) -> list[Row]:
    """Rows (anything with `uid` and `status`) with their status as it stood then."""
    return [row.model_copy(update={"status": statuses[row.uid]})  # type: ignore[attr-defined]
            if row.uid in statuses else row for row in rows]  # type: ignore[attr-defined]


def history(tx: Transaction, uri: AssetURI, as_of: datetime | None) -> list[HistoryRow]:
    """An asset's versions as `legos history` lists them, as they stood at `as_of`."""
    entries = full_history(tx, uri)
    if as_of is None:
        return entries
    return with_statuses((e for e in entries if e.created_at <= as_of), statuses_at(tx, as_of))
