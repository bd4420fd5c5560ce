"""An Asset is the stable identity of a piece of content; its kind comes from the registry."""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from legos.errors import InvalidNameError

PROJECT_CODE_MAX = 64
SEGMENT_MAX = 128
_PROJECT_CODE = re.compile(rf"^[a-z0-9][a-z0-9_-]{{0,{PROJECT_CODE_MAX - 1}}}\Z")
# One path segment: starts with a letter or digit, then letters, digits, '_', '-' or '.'.
# Patterns end in \Z, never $: `$` also matches before a final newline ("demo\n").
_SEGMENT = re.compile(rf"^[A-Za-z0-9][A-Za-z0-9_.-]{{0,{SEGMENT_MAX - 1}}}\Z")


def check_length(what: str, text: str, limit: int) -> None:
    """A name over its limit is refused for its length (and not for its characters, which the
    pattern checks would otherwise report); the name is shortened in the message."""
    if len(text) > limit:
        raise InvalidNameError(
            f"{what} {text[:24]!r}... is {len(text)} characters long: at most {limit} are "
            "allowed; choose a shorter one"
        )


def validate_project_code(code: str) -> str:
    if code == "":
        raise InvalidNameError(
            "the project code is empty: write PROJECT/ASSET without a leading '/' "
            "(e.g. 'demo/chr/skaarj/model'), or the URI legos:/demo/chr/skaarj/model"
        )
    if isinstance(code, str):
        check_length("project code", code, PROJECT_CODE_MAX)
    if not isinstance(code, str) or not _PROJECT_CODE.match(code):
        raise InvalidNameError(
            f"project code {code!r} is not valid: use lower-case letters, digits, '_' or '-', "
            "starting with a letter or digit (e.g. 'demo' or 'show_042')"
        )
    return code


def validate_asset_name(name: str) -> str:
    """Asset names are path-like (`chr/skaarj/tex/albedo`): segments joined by '/'."""
    if not isinstance(name, str) or not name:
        raise InvalidNameError("an asset name is required, e.g. 'chr/skaarj/model'")
    if name.startswith("/"):
        raise InvalidNameError(
            f"asset name {name!r} starts with '/': drop the leading '/', e.g. 'chr/skaarj/model'"
        )
    segments = name.split("/")
    for segment in segments:
        check_length("asset name segment", segment, SEGMENT_MAX)
        if segment in ("", ".", "..") or not _SEGMENT.match(segment) or segment.endswith("."):
            raise InvalidNameError(
                f"asset name {name!r} is not valid at {segment!r}: use '/'-separated segments of "
                "letters, digits, '_', '-' or '.', e.g. 'chr/skaarj/tex/albedo'"
            )
    if len(segments) > 16:
        raise InvalidNameError(f"asset name {name!r} is nested more than 16 levels deep")
    return name


class Asset(BaseModel):
    model_config = ConfigDict(frozen=True)

    uid: str
    project: str
    name: str
    kind: str
    created_at: datetime | None = None
    created_by: str | None = None
    latest: int = 0

    @property
    def path(self) -> str:
        return f"{self.project}/{self.name}"

    @property
    def uri(self) -> str:
        return f"legos:/{self.project}/{self.name}"
