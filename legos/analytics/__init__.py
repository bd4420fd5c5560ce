"""Analytics: the questions producers and TDs ask of the whole graph (similar and shared
packages, iteration times, reuse, users, compound search), and a networkx export for what
Cypher does not express well (communities of assets that travel together).

Each question takes a Transaction (`store.read(lambda tx: similar(tx, top=5))`) and an
as-of instant, and returns plain rows (pydantic models); `lg.analytics.similar(top=5)` asks it
of an open store in one read transaction.
"""

from legos.analytics.export import CommunityMember, comembership_graph, communities, to_networkx
from legos.analytics.iteration import (
    Iteration,
    IterationMean,
    iteration,
    iteration_means,
    iterations,
)
from legos.analytics.pairs import PackagePair
from legos.analytics.reuse import Reuse, reuse
from legos.analytics.search import Found, search
from legos.analytics.shared import shared
from legos.analytics.similar import similar
from legos.analytics.users import Collaborator, UserActivity, users

__all__ = [
    "Collaborator", "CommunityMember", "Found", "Iteration", "IterationMean", "PackagePair",
    "Reuse", "UserActivity", "comembership_graph", "communities", "iteration",
    "iteration_means", "iterations", "reuse", "search", "shared", "similar", "to_networkx",
    "users",
]
