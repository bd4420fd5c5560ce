"""Who acts: an artist or a service account that publishes, reviews and tags, recorded by
name on what they do."""

from __future__ import annotations

import getpass
import os
import re

from legos.errors import InvalidInputError
from legos.model.asset import check_length

_USER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}\Z")  # \Z: not "ana\n"


def current_user(name: str | None = None) -> str:
    """The acting user: an explicit name, else $LEGOS_USER, else the login name."""
    chosen = name or os.environ.get("LEGOS_USER") or getpass.getuser()
    check_length("user name", chosen, 64)
    if not _USER_NAME.match(chosen):
        raise InvalidInputError(
            f"user name {chosen!r} is not valid: use letters, digits, '.', '_', '@' or '-' "
            "(at most 64 characters)"
        )
    return chosen
