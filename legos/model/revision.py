"""A Revision is a dailies submission of a version for review; approving it approves the version."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from pydantic import BaseModel, ConfigDict

from legos.errors import InvalidStatusError

REVISION_KINDS = ("QCRevision", "AssetRevision")


class ReviewStatus(str, Enum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    NEEDS_CHANGES = "needs_changes"
    REJECTED = "rejected"

    @classmethod
    def parse(cls, value: str) -> ReviewStatus:
        try:
            return cls(value)
        except ValueError:
            known = ", ".join(s.value for s in cls)
            raise InvalidStatusError(f"unknown review status {value!r}: use one of {known}") from None


class Revision(BaseModel):
    model_config = ConfigDict(frozen=True)

    uid: str
    kind: str
    status: ReviewStatus
    note: str = ""
    created_by: str
    created_at: datetime
    version_uri: str
