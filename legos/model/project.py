"""A Project is a show: the namespace every asset lives in."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, field_validator


class Project(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    created_at: datetime | None = None

    @field_validator("code")
    @classmethod
    def _valid_code(cls, code: str) -> str:
        from legos.model.asset import validate_project_code

        return validate_project_code(code)
