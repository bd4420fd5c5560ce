"""A Change records one edit of a mutable field (status, tag, review): who, when, from, to."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class Change(BaseModel):
    model_config = ConfigDict(frozen=True)

    field: str
    from_value: str | None
    to_value: str | None
    user: str
    at: datetime
    note: str = ""
