"""A HistoryRow is one version as an asset's history lists it (`legos history`): who made it,
when, with what comment and status; no files or tags (`show` gives those)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class HistoryRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    uri: str
    uid: str
    version: int
    status: str
    created_by: str
    created_at: datetime
    comment: str = ""
