"""`lg.analytics`: every analytics question bound to a store, so callers (the CLI among them)
ask `lg.analytics.reuse(kind="TextureAsset")` instead of opening transactions themselves.

Each method takes the question's own parameters (see legos.analytics) without the transaction
and runs it in one read transaction.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, Generic, ParamSpec, TypeVar

from legos.analytics.export import communities
from legos.analytics.iteration import iteration, iteration_means, iterations
from legos.analytics.reuse import reuse
from legos.analytics.search import search
from legos.analytics.shared import shared
from legos.analytics.similar import similar
from legos.analytics.users import users
from legos.store.base import GraphStore, Transaction

P = ParamSpec("P")
R = TypeVar("R")


class _Question(Generic[P, R]):
    """A question of legos.analytics, asked in one read transaction of its owner's store."""

    def __init__(self, question: Callable[Concatenate[Transaction, P], R]) -> None:
        self.question = question
        self.__doc__ = question.__doc__

    def __get__(self, owner: Analytics | None, cls: type | None = None) -> Callable[P, R]:
        if owner is None:
            raise AttributeError(f"{self.question.__name__} is asked of a store: "
                                 f"lg.analytics.{self.question.__name__}(...)")
        question, store = self.question, owner.store

        @functools.wraps(question)
        def ask(*args: P.args, **kwargs: P.kwargs) -> R:
            return store.read(lambda tx: question(tx, *args, **kwargs))

        return ask


class Analytics:
    """The analytics questions of one store (`Legos.analytics`)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    similar = _Question(similar)
    shared = _Question(shared)
    iteration = _Question(iteration)
    iterations = _Question(iterations)
    iteration_means = _Question(iteration_means)
    reuse = _Question(reuse)
    users = _Question(users)
    search = _Question(search)
    communities = _Question(communities)
