"""Each user's output (versions published, per kind) and collaborators (users whose versions
use each other's) over a window (cypher/analytics/user_output.cypher, collaborators.cypher)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

from pydantic import BaseModel

from legos.analytics import params
from legos.store.base import Transaction


class Collaborator(BaseModel):
    user: str
    uses: int       # edges from this user's versions to the collaborator's
    used_by: int    # edges from the collaborator's versions to this user's
    edges: int      # both directions


class UserActivity(BaseModel):
    user: str
    versions: int                  # versions published in the window
    kinds: dict[str, int]          # of which, per asset kind
    collaborators: list[Collaborator]  # most edges first


def users(tx: Transaction, project: str | None = None, since: datetime | str | None = None,
          until: datetime | str | None = None, as_of: datetime | str | None = None,
          top: int | None = 0) -> list[UserActivity]:
    """Every user who published in the window (most versions first; `top` of them, 0: all).
    Collaboration is counted on the versions published in the window, in both directions."""
    at = params.moment(as_of)
    start, end = params.window(since, until, at)
    rule = dict(project=params.project_rule(project), since=start, until=end, as_of=at)
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    for r in tx.query("analytics/user_output", **rule):
        kinds[r["user"]][r["kind"]] += r["versions"]
    uses: dict[str, Counter[str]] = defaultdict(Counter)
    used_by: dict[str, Counter[str]] = defaultdict(Counter)
    for r in tx.query("analytics/collaborators", **rule):
        uses[r["user"]][r["other"]] += r["edges"]
        used_by[r["other"]][r["user"]] += r["edges"]
    out = []
    for user in kinds.keys() | uses.keys() | used_by.keys():
        others = uses[user].keys() | used_by[user].keys()
        collaborators = [Collaborator(user=o, uses=uses[user][o], used_by=used_by[user][o],
                                      edges=uses[user][o] + used_by[user][o]) for o in others]
        collaborators.sort(key=lambda c: (-c.edges, c.user))
        out.append(UserActivity(user=user, versions=sum(kinds[user].values()),
                                kinds=dict(sorted(kinds[user].items())),
                                collaborators=collaborators))
    out.sort(key=lambda u: (-u.versions, u.user))
    return out[:params.limit(top)]
