"""The mutable side of a version: status, tags and dailies reviews, each change recorded."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timezone
from typing import Any

from legos.catalog import asset_row, select_uid
from legos.errors import InvalidInputError, RevisionNotFoundError
from legos.model import (
    REVISION_KINDS,
    AliasMove,
    Change,
    ReviewStatus,
    Revision,
    Tag,
    parse_status,
)
from legos.model.tag import validate_tag
from legos.store.base import Transaction
from legos.uri import AssetURI, format_uri

# A review verdict carries over to the version it judges.
_VERDICT_TO_STATUS = {
    ReviewStatus.APPROVED: "approved",
    ReviewStatus.NEEDS_CHANGES: "needs_changes",
    ReviewStatus.REJECTED: "rejected",
}


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _lock_asset(tx: Transaction, path: str) -> None:
    """Take the asset's write lock (the one publish and set_alias take) until the transaction
    ends. Every change that reads a value and records "from -> to" holds it, so concurrent
    changes of one asset queue up and each reads where the one before it left off."""
    tx.query("publish/lock_asset", path=path, token=uuid.uuid4().hex)


def _locked_uid(tx: Transaction, uri: AssetURI) -> str:
    """The version the URI names, picked under its asset's lock: a rule such as
    `?status=approved` then sees what the changes queued before this one left."""
    _lock_asset(tx, uri.path)
    return select_uid(tx, uri)


def _change(row: dict[str, Any]) -> Change:
    """A Change from a row with the columns of review/changes."""
    # fields straight from the store's typed columns: a long trail is not validated again
    return Change.model_construct(uid=row["uid"], field=row["field"], from_value=row["from_value"],
                                  to_value=row["to_value"], user=row["user"], at=row["at"],
                                  note=row["note"] or "")


def set_status(tx: Transaction, uri: AssetURI, status: str, user: str,
               note: str = "") -> Change:
    new = parse_status(status).value
    return _set_status(tx, _locked_uid(tx, uri), new, user, note)


def _set_status(tx: Transaction, uid: str, status: str, user: str, note: str) -> Change:
    # the caller holds the asset's lock (_lock_asset), so `old` is still the status when we write
    old = tx.query("versions/get", uids=[uid])[0]["status"]
    return _change(tx.query("review/set_status", uid=uid, status=status, from_value=old,
                            user=user, now=_now(), note=note, change_uid=uuid.uuid4().hex)[0])


def tag(tx: Transaction, uri: AssetURI, name: str, user: str,
        colour: str | None = None) -> Tag:
    validate_tag(name, colour)
    uid = _locked_uid(tx, uri)  # concurrent taggers of one asset queue up behind each other
    row = tx.query("review/tag_version", uid=uid, tag=name, colour=colour or "", user=user,
                   now=_now(), change_uid=uuid.uuid4().hex)[0]
    return Tag(name=row["tag"], colour=row["colour"])


def new_revision_id() -> str:
    # short enough to type in `legos review`, random enough never to collide in a studio
    return "rev-" + secrets.token_hex(5)


def submit(tx: Transaction, uri: AssetURI, kind: str, note: str, user: str,
           revision_id: str) -> Revision:
    if kind not in REVISION_KINDS:
        raise InvalidInputError(f"unknown revision kind {kind!r}: use {', '.join(REVISION_KINDS)}")
    uid = _locked_uid(tx, uri)
    tx.query("review/submit", revision_uid=revision_id, uid=uid, kind=kind, note=note,
             user=user, now=_now())
    _set_status(tx, uid, "review", user, f"submitted as {revision_id}")
    return get_revision(tx, revision_id)


def review(tx: Transaction, revision_id: str, verdict: str, note: str,
           user: str) -> Revision:
    status = ReviewStatus.parse(verdict)
    if status is ReviewStatus.SUBMITTED:
        raise InvalidInputError("a review verdict is approved, needs_changes or rejected")
    judged = get_revision(tx, revision_id)
    _lock_asset(tx, f"{judged.project}/{judged.asset}")
    # read again under the lock: another verdict may have landed meanwhile
    before = get_revision(tx, revision_id)
    rows = tx.query("review/review", revision_uid=revision_id, status=status.value,
                    from_value=before.status.value, note=note, user=user, now=_now(),
                    change_uid=uuid.uuid4().hex)
    _set_status(tx, rows[0]["version_uid"], _VERDICT_TO_STATUS[status], user,
                f"{revision_id} {status.value}" + (f": {note}" if note else ""))
    return get_revision(tx, revision_id)


def get_revision(tx: Transaction, revision_id: str) -> Revision:
    rows = tx.query("review/revision", revision_uid=revision_id)
    if not rows:
        raise RevisionNotFoundError(f"no revision {revision_id!r}: the id is printed by `legos submit`")
    row = rows[0]
    return Revision(
        uid=row["revision"], kind=row["kind"], status=row["status"], note=row["note"] or "",
        created_by=row["created_by"], created_at=row["created_at"],
        reviewed_by=row["reviewed_by"], reviewed_at=row["reviewed_at"],
        review_note=row["review_note"], version_uid=row["version_uid"], project=row["project"],
        asset=row["asset"], version=row["version"])


def changes(tx: Transaction, uri: AssetURI) -> list[Change]:
    """The recorded changes of a version and of the revisions submitting it, oldest first."""
    rows = tx.query("review/changes", uid=select_uid(tx, uri))
    return [_change(r) for r in sorted(rows, key=lambda r: (r["at"], r["uid"]))]


# -- aliases: exclusive tags with a history of their moves ----------------------------------


def _alias_value(name: str, numbers: list[int]) -> str:
    return ",".join(f"{name}@v{n}" for n in numbers)


def _alias_numbers(value: str) -> list[int]:
    return [int(part.rpartition("@v")[2]) for part in value.split(",") if "@v" in part]


def _previous(before: list[int], after: int) -> int | None:
    """The version an alias moved away from (the newest other one, when it was on several)."""
    return max((n for n in before if n != after), default=None)


def set_alias(tx: Transaction, uri: AssetURI, name: str, user: str,
              note: str = "") -> AliasMove:
    """Move the alias `name` of the URI's asset to the version the URI names: it leaves every
    other version of the asset, and the move (from where, to where, who, when) is recorded."""
    validate_tag(name)
    # moves of one asset's aliases queue up here, so each reads where the last one left it
    uid = _locked_uid(tx, uri)
    number = tx.query("versions/get", uids=[uid])[0]["number"]
    change_uid = uuid.uuid4().hex
    holders = tx.query("review/alias_holders", path=uri.path, tag=name)
    before = [h["number"] for h in holders]
    from_value, to_value = _alias_value(name, before), _alias_value(name, [number])
    if before == [number]:  # already there: nothing to record
        return _move(uri, from_value, to_value, user, note, None, "")
    now = _now()
    tx.query("review/move_alias", uid=uid, tag=name, from_value=from_value, to_value=to_value,
             user=user, now=now, note=note, change_uid=change_uid)
    losing = [h["uid"] for h in holders if h["uid"] != uid]
    if losing:
        tx.query("review/drop_alias", uids=losing, tag=name, change_uid=change_uid)
    return _move(uri, from_value, to_value, user, note, now, change_uid)


def alias_history(tx: Transaction, uri: AssetURI, name: str | None = None) -> list[AliasMove]:
    """The recorded moves of an asset's aliases (or of one), oldest first."""
    if name is not None:
        validate_tag(name)
    asset_row(tx, uri.path)
    rows = tx.query("review/alias_history", path=uri.path, prefix=f"{name}@" if name else "")
    return [_move(uri, r["from_value"], r["to_value"], r["user"], r["note"], r["at"], r["uid"])
            for r in sorted(rows, key=lambda r: (r["at"], r["uid"]))]


def _move(uri: AssetURI, from_value: str, to_value: str, user: str, note: str | None,
          at: datetime | None, change_uid: str) -> AliasMove:
    """A move from its recorded values ('hero@v3' -> 'hero@v5'); `at` None: not recorded, as
    the alias was there already."""
    [after] = _alias_numbers(to_value)
    # typed values (numbers read here, text from the store): a long history is not validated
    return AliasMove.model_construct(
        alias=to_value.partition("@")[0], uri=format_uri(uri.project, uri.asset, after),
        from_value=from_value, to_value=to_value,
        from_version=_previous(_alias_numbers(from_value), after), to_version=after,
        user=user, note=note or "", moved=at is not None, at=at, uid=change_uid)
