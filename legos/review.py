"""The mutable side of a version: status, tags and dailies reviews, each change recorded."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timezone
from typing import Any

from legos.catalog import select_uid
from legos.errors import InvalidInputError, RevisionNotFoundError
from legos.model import REVISION_KINDS, ReviewStatus, parse_status
from legos.model.tag import validate_tag
from legos.store.base import Transaction
from legos.uri import AssetURI

# A review verdict carries over to the version it judges.
_VERDICT_TO_STATUS = {
    ReviewStatus.APPROVED: "approved",
    ReviewStatus.NEEDS_CHANGES: "needs_changes",
    ReviewStatus.REJECTED: "rejected",
}


def _now() -> datetime:
    return datetime.now(timezone.utc)


def set_status(tx: Transaction, uri: AssetURI, status: str, user: str,
               note: str = "") -> dict[str, Any]:
    new = parse_status(status).value
    return _set_status(tx, select_uid(tx, uri), new, user, note)


def _set_status(tx: Transaction, uid: str, status: str, user: str, note: str) -> dict[str, Any]:
    old = tx.query("versions/get", uids=[uid])[0]["status"]
    return tx.query("review/set_status", uid=uid, status=status, from_value=old, user=user,
                    now=_now(), note=note, change_uid=uuid.uuid4().hex)[0]


def tag(tx: Transaction, uri: AssetURI, name: str, user: str,
        colour: str | None = None) -> dict[str, Any]:
    validate_tag(name, colour)
    uid = select_uid(tx, uri)
    return tx.query("review/tag_version", uid=uid, tag=name, colour=colour or "", user=user,
                    now=_now(), change_uid=uuid.uuid4().hex)[0]


def new_revision_id() -> str:
    # short enough to type in `legos review`, random enough never to collide in a studio
    return "rev-" + secrets.token_hex(5)


def submit(tx: Transaction, uri: AssetURI, kind: str, note: str, user: str,
           revision_id: str) -> dict[str, Any]:
    if kind not in REVISION_KINDS:
        raise InvalidInputError(f"unknown revision kind {kind!r}: use {', '.join(REVISION_KINDS)}")
    uid = select_uid(tx, uri)
    tx.query("review/submit", revision_uid=revision_id, uid=uid, kind=kind, note=note,
             user=user, now=_now())
    _set_status(tx, uid, "review", user, f"submitted as {revision_id}")
    return get_revision(tx, revision_id)


def review(tx: Transaction, revision_id: str, verdict: str, note: str,
           user: str) -> dict[str, Any]:
    status = ReviewStatus.parse(verdict)
    if status is ReviewStatus.SUBMITTED:
        raise InvalidInputError("a review verdict is approved, needs_changes or rejected")
    before = get_revision(tx, revision_id)
    rows = tx.query("review/review", revision_uid=revision_id, status=status.value,
                    from_value=before["status"], note=note, user=user, now=_now(),
                    change_uid=uuid.uuid4().hex)
    _set_status(tx, rows[0]["version_uid"], _VERDICT_TO_STATUS[status], user,
                f"{revision_id} {status.value}" + (f": {note}" if note else ""))
    return get_revision(tx, revision_id)


def get_revision(tx: Transaction, revision_id: str) -> dict[str, Any]:
    rows = tx.query("review/revision", revision_uid=revision_id)
    if not rows:
        raise RevisionNotFoundError(f"no revision {revision_id!r}: the id is printed by `legos submit`")
    return rows[0]


def changes(tx: Transaction, uri: AssetURI) -> list[dict[str, Any]]:
    rows = tx.query("review/changes", uid=select_uid(tx, uri))
    return sorted(rows, key=lambda r: (r["at"], r["uid"]))
