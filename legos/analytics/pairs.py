"""Pairs of packages compared by the member assets of their latest versions: the rows of
`similar` (Jaccard) and `shared` (most shared assets)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from legos.analytics import params
from legos.store.base import Transaction
from legos.uri import format_uri


class PackagePair(BaseModel):
    """Two packages (the first has the smaller path), each at its latest version as of the
    time, with the member assets they share."""

    uri: str                 # the first package's latest version
    project: str
    asset: str
    kind: str
    version: int
    members: int             # how many member assets it holds
    other_uri: str
    other_project: str
    other_asset: str
    other_kind: str
    other_version: int
    other_members: int
    shared: int              # |A ∩ B|
    jaccard: float           # |A ∩ B| / |A ∪ B|
    shared_assets: list[str]  # URIs of the shared assets, sorted


def package_pairs(tx: Transaction, module: str, project: str | None, kind: str | None,
                  top: int | None, as_of: datetime | str | None) -> list[PackagePair]:
    rows = tx.query(module, project=params.project_rule(project),
                    kind=params.kind_rule(kind, package=True), top=params.limit(top),
                    as_of=params.moment(as_of))
    return [PackagePair(
        uri=format_uri(r["project"], r["asset"], r["version"]), project=r["project"],
        asset=r["asset"], kind=r["kind"], version=r["version"], members=r["members"],
        other_uri=format_uri(r["other_project"], r["other_asset"], r["other_version"]),
        other_project=r["other_project"], other_asset=r["other_asset"],
        other_kind=r["other_kind"], other_version=r["other_version"],
        other_members=r["other_members"], shared=r["shared"], jaccard=float(r["jaccard"]),
        shared_assets=sorted(f"legos:/{p}" for p in r["shared_assets"]))
        for r in rows]
