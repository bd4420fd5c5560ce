"""The most reused assets: fan-in, the number of distinct other assets (or versions) that
depend on or contain any version of an asset (cypher/analytics/reuse.cypher)."""

from __future__ import annotations

from datetime import datetime
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
    rows = tx.query("analytics/reuse", project=params.project_rule(project),
                    kind=params.kind_rule(kind), by=by, top=params.limit(top),
                    as_of=params.moment(as_of))
    return [Reuse(uri=format_uri(r["project"], r["asset"]), project=r["project"],
                  asset=r["asset"], kind=r["kind"], version=r["version"],
                  user_assets=r["user_assets"], user_versions=int(r["user_versions"]))
            for r in rows]
