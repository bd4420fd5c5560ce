"""Lineage path: how version A came to depend on version B, as one shortest chain with roles."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from legos import as_of as past
from legos.catalog import asset_row
from legos.lineage import inputs_of
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
    only both ends to have existed then. A `second` that names no version (nor a rule) means
    the version of that asset `first` actually reaches (the nearest, then the newest), not
    its latest."""
    source = past.start_uid(tx, first, as_of)
    if second.version is None and second.status is None and second.tag is None \
            and second.at is None:
        asset_row(tx, second.path)  # an unknown asset is an error, not "no path"
        reached = [r for r in inputs_of(tx, source, {}, as_of=as_of)
                   if r.project == second.project and r.asset == second.asset]
        if not reached:
            return []
        target = min(reached, key=lambda r: (r.depth, -r.version)).uid
    else:
        target = past.start_uid(tx, second, as_of)
    if source == target:
        return []
    found = tx.query("lineage/path", from_uid=source, to_uid=target)
    if not found:
        return []
    chain = found[0]
    fields = {row["uid"]: row for row in tx.query("versions/get", uids=chain["uids"])}
    statuses = past.statuses_at(tx, as_of)
    hops = [(None, None)] + list(zip(chain["relations"], chain["roles"], strict=True))
    steps = []
    for uid, (relation, role) in zip(chain["uids"], hops, strict=True):
        row = fields[uid]
        steps.append(PathStep(
            uri=format_uri(row["project"], row["asset"], row["number"]), project=row["project"],
            asset=row["asset"], kind=row["kind"], version=row["number"],
            status=statuses[uid] if uid in statuses else row["status"], relation=relation, role=role or None,
            uid=uid))
    return steps
