"""Which packages share the most assets, with the shared assets listed
(cypher/analytics/shared.cypher)."""

from __future__ import annotations

from datetime import datetime

from legos.analytics.pairs import PackagePair, package_pairs
from legos.store.base import Transaction


def shared(tx: Transaction, project: str | None = None, kind: str | None = None,
           top: int | None = 10, as_of: datetime | str | None = None) -> list[PackagePair]:
    """The `top` pairs of packages (0: all pairs sharing anything) by the number of member
    assets both hold, most first; ties by Jaccard index, then by path."""
    return package_pairs(tx, "analytics/shared", project, kind, top, as_of)
