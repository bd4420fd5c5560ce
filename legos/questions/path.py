"""Lineage path: how version A came to depend on version B, as one shortest chain with roles."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from legos import as_of as past
from legos.store.base import Transaction
from legos.uri import AssetURI, format_uri


class PathStep(BaseModel):
    """One version along the chain; `relation`/`role` name the hop that reached it (none for
    the first)."""

    model_config = ConfigDict(frozen=True)

    uri: str
    project: str
    asset: str
    kind: str
    version: int
    status: str
    relation: str | None
    role: str | None
    uid: str


def path(tx: Transaction, first: AssetURI, second: AssetURI,
         as_of: datetime | None = None) -> list[PathStep]:
    """The chain from `first` down to `second`; empty when `first` does not depend on it.
    Every version on a chain is older than `first`, so a chain that stood at `as_of` needs
    only both ends to have existed then."""
    source, target = past.start_uid(tx, first, as_of), past.start_uid(tx, second, as_of)
    if source == target:
        return []
    found = tx.query("lineage/path", from_uid=source, to_uid=target)
    if not found:
        return []
    chain = found[0]
    fields = {row["uid"]: row for row in tx.query("versions/get", uids=chain["uids"])}
    statuses = past.statuses_at(tx, as_of)
    hops = [(None, None)] + list(zip(chain["relations"], chain["roles"]))
    steps = []
    for uid, (relation, role) in zip(chain["uids"], hops):
        row = fields[uid]
        steps.append(PathStep(
            uri=format_uri(row["project"], row["asset"], row["number"]), project=row["project"],
            asset=row["asset"], kind=row["kind"], version=row["number"],
            status=statuses.get(uid, row["status"]), relation=relation, role=role or None,
            uid=uid))
    return steps
