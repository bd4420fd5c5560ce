"""The most reused assets: fan-in, the number of distinct other assets (or versions) that
depend on or contain any version of an asset: now, from the counts publish keeps on each asset
(cypher/analytics/reuse_kept.cypher); before the newest version, over every edge (reuse.cypher)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Literal

from pydantic import BaseModel

from legos.analytics import params
from legos.errors import InvalidInputError
from legos.store.base import Transaction
from legos.uri import format_uri

RANKINGS = ("assets", "versions")


class Reuse(BaseModel):
    uri: str              # the asset's URI
    project: str
    asset: str
    kind: str
    version: int          # its latest version as of the time
    user_assets: int      # distinct other assets with a version using any of its versions
    user_versions: int    # distinct versions (of other assets) using any of its versions


def reuse(tx: Transaction, project: str | None = None, kind: str | None = None,
          by: Literal["assets", "versions"] = "assets", top: int | None = 10,
          as_of: datetime | str | None = None) -> list[Reuse]:
    """The `top` most reused assets (0: every used asset), ranked by distinct using assets
    (`by="assets"`) or distinct using versions (`by="versions"`), direct uses only."""
    if by not in RANKINGS:
        raise InvalidInputError(f"cannot rank reuse by {by!r}: use one of {', '.join(RANKINGS)}")
    at = params.moment(as_of)
    rows = tx.query(_module(tx, at), project=params.project_rule(project),
                    kind=params.kind_rule(kind), by=by, top=params.limit(top), as_of=at)
    return [Reuse(uri=format_uri(r["project"], r["asset"]), project=r["project"],
                  asset=r["asset"], kind=r["kind"], version=r["version"],
                  user_assets=r["user_assets"], user_versions=int(r["user_versions"]))
            for r in rows]


def _module(tx: Transaction, at: datetime) -> str:
    """At or after the newest version (now, unless a clock wrote versions ahead of it): the
    counts publish keeps on each asset (a scan of assets); before: the count over every edge
    (analytics/reuse)."""
    newest = tx.query("analytics/newest")[0]["newest"]
    if newest is None or (newest if newest.tzinfo else newest.replace(tzinfo=timezone.utc)) <= at:
        return "analytics/reuse_kept"
    return "analytics/reuse"
