"""A Change records one edit of a mutable field (status, tag, alias, review): who, when, from,
to; `legos changes` lists them and `set_status` answers with the one it recorded."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class Change(BaseModel):
    model_config = ConfigDict(frozen=True)

    uid: str
    field: str                 # status, tag, alias or review
    from_value: str | None
    to_value: str | None
    user: str
    at: datetime
    note: str = ""
