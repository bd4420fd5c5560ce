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
    breadth-first, so each version appears once). `relation` is the edge type of the hop that
    reached it (depends_on, contains or submits) and `role` that edge's role or slot.
    """

    model_config = ConfigDict(frozen=True)

    uri: str
    project: str
    asset: str
    kind: str
    version: int
    status: str
    role: str | None
    relation: str
    depth: int
    created_by: str
    created_at: datetime
    revision: str | None = None
