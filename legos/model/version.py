"""A Version is one immutable published state of an asset; only its status and tags change."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from pydantic import BaseModel, ConfigDict

from legos.errors import InvalidStatusError
from legos.model.representation import Representation


class VersionStatus(str, Enum):
    WIP = "wip"
    PUBLISHED = "published"
    REVIEW = "review"
    APPROVED = "approved"
    NEEDS_CHANGES = "needs_changes"
    REJECTED = "rejected"
    DEPRECATED = "deprecated"


def parse_status(value: str) -> VersionStatus:
    try:
        return VersionStatus(value)
    except ValueError:
        known = ", ".join(s.value for s in VersionStatus)
        raise InvalidStatusError(f"unknown status {value!r}: use one of {known}") from None


class Version(BaseModel):
    model_config = ConfigDict(frozen=True)

    uid: str
    project: str
    asset: str
    kind: str
    number: int
    status: VersionStatus
    content_hash: str
    comment: str = ""
    created_by: str
    created_at: datetime
    representations: tuple[Representation, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def uri(self) -> str:
        return f"legos:/{self.project}/{self.asset}?version={self.number}"
