"""Rows of the lineage walks: versions met along DEPENDS_ON edges (made from an exact version,
with a role), CONTAINS edges (a package holds a member in a slot) and SUBMITS edges (a dailies
revision submits a version)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


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


class MemberRow(LineageRow):
    """One member of a package version, met walking its contents recursively (`role` is its
    slot), with the URIs of the package versions that hold it (`parents`)."""

    parents: list[str] = []
