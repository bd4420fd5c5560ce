"""Dependencies (made from an exact version, with a role) and package membership (slots)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class Dependency(BaseModel):
    """`(:Version)-[:DEPENDS_ON {role}]->(:Version)`: this version was made from that one."""

    model_config = ConfigDict(frozen=True)

    role: str
    uri: str


class Membership(BaseModel):
    """`(:Version)-[:CONTAINS {slot}]->(:Version)`: a package version holds that member."""

    model_config = ConfigDict(frozen=True)

    slot: str
    uri: str


class LineageRow(BaseModel):
    """One version met while walking dependencies or dependents.

    `depth` is the shortest number of hops from the starting version (the walk is
    breadth-first, so each version appears once). `roles` are the roles (or slots) of every
    edge that reaches it along a shortest path; `role` is the first of them and `relation`
    that edge's type (depends_on, contains, or submits for a dailies revision).
    """

    model_config = ConfigDict(frozen=True)

    uri: str
    project: str
    asset: str
    kind: str
    version: int
    status: str
    role: str | None
    roles: list[str] = []
    relation: str
    depth: int
    created_by: str
    created_at: datetime
    revision: str | None = None
    uid: str = ""          # the version's uid (for revisions: the submitted version's)
