"""Which packages have the most similar contents: Jaccard over the member assets of their
latest versions (cypher/analytics/similar.cypher)."""

from __future__ import annotations

from datetime import datetime

from legos.analytics.pairs import PackagePair, package_pairs
from legos.store.base import Transaction


def similar(tx: Transaction, project: str | None = None, kind: str | None = None,
            top: int | None = 10, as_of: datetime | str | None = None) -> list[PackagePair]:
    """The `top` pairs of packages (0: all pairs sharing anything) by Jaccard index of their
    member assets, highest first; ties by shared count, then by path. `kind` restricts both
    packages to one package kind."""
    return package_pairs(tx, "analytics/similar", project, kind, top, as_of)
