"""A Version is one immutable published state of an asset; only its status and tags change."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from legos.errors import InvalidStatusError
from legos.model.representation import THUMBNAIL, Representation


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
    entry: str | None = None           # the file a URI without rep= resolves to
    provenance: dict[str, Any] | None = None  # how the content was made (ingest records it)
    meta: dict[str, Any] = Field(default_factory=dict)  # its metadata (legos.metadata)

    @property
    def entry_file(self) -> Representation | None:
        return next((r for r in self.representations if r.name == self.entry), None)

    @property
    def thumbnail(self) -> Representation | None:
        return next((r for r in self.representations if r.role == THUMBNAIL), None)

    @property
    def uri(self) -> str:
        return f"legos:/{self.project}/{self.asset}?version={self.number}"
