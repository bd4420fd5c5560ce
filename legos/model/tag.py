"""A Tag is a label with an optional colour, for search and dynamic line-ups."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from legos.errors import InvalidInputError
from legos.model.asset import check_length

TAG_MAX = 64
_TAG = re.compile(rf"^[A-Za-z0-9][A-Za-z0-9_.:-]{{0,{TAG_MAX - 1}}}\Z")  # \Z: not "hero\n"
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}\Z|^[a-z]{3,20}\Z")


def validate_tag(name: str, colour: str | None = None) -> None:
    if isinstance(name, str):
        check_length("tag", name, TAG_MAX)
    if not isinstance(name, str) or not _TAG.match(name):
        raise InvalidInputError(
            f"tag {name!r} is not valid: use letters, digits, '_', '.', ':' or '-' (e.g. 'hero')"
        )
    if colour is not None and (not isinstance(colour, str) or not _COLOUR.match(colour)):
        raise InvalidInputError(f"colour {colour!r} is not valid: use '#rrggbb' or a name like 'red'")


class Tag(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    colour: str | None = None
