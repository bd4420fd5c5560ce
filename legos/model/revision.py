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
    """A revision as `submit` and `review` answer: its id (`uid`, what `legos review` takes),
    its verdict so far, and the version it submits."""

    model_config = ConfigDict(frozen=True)

    uid: str                   # the revision id, e.g. rev-3f9a1c0b2d
    kind: str                  # one of REVISION_KINDS
    status: ReviewStatus
    note: str = ""
    created_by: str
    created_at: datetime
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    review_note: str | None = None
    version_uid: str           # the submitted version
    project: str
    asset: str
    version: int

    @property
    def uri(self) -> str:
        """The submitted version's URI."""
        return f"legos:/{self.project}/{self.asset}?version={self.version}"
