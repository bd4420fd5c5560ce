"""The inputs every analytics question shares, checked once: as-of instants, windows, top-k,
kinds and projects, turned into the parameter values the query modules expect.

LadybugDB types a null parameter as BOOL, so "no rule" is always '' or 0 or a sentinel
instant, never None.
"""

from __future__ import annotations

from datetime import datetime, timezone

from legos import as_of as past
from legos.errors import InvalidInputError

EARLIEST = datetime(1970, 1, 1, tzinfo=timezone.utc)  # "no lower bound" for windows
NO_LIMIT = 2**31 - 1                                   # top=0: every row


def instant(value: datetime | str | None, what: str = "as-of time") -> datetime | None:
    """A UTC instant from a datetime or ISO 8601 text (None stays None)."""
    return past.given(value, what)


def moment(as_of: datetime | str | None) -> datetime:
    """The instant a question is asked at: the one given, else now."""
    return past.instant(instant(as_of))


def window(since: datetime | str | None, until: datetime | str | None,
           at: datetime) -> tuple[datetime, datetime]:
    """[since, until] clipped to the as-of instant; both ends optional."""
    start = instant(since, "start of the window") or EARLIEST
    end = instant(until, "end of the window") or at
    if start > end:
        raise InvalidInputError(
            f"the window starts ({start.isoformat()}) after it ends ({end.isoformat()}): "
            "give --since before --until")
    return start, min(end, at)


def limit(top: int | None, default: int = 10) -> int:
    """How many rows a ranking returns: `top` (0: all of them)."""
    if top is None:
        return default
    if not isinstance(top, int) or isinstance(top, bool) or top < 0:
        raise InvalidInputError(f"top {top!r} is not valid: give 1 or more, or 0 for all")
    return top or NO_LIMIT


def project_rule(project: str | None) -> str:
    return project or ""


def kind_rule(kind: str | None, *, package: bool = False) -> str:
    """A known kind (a package kind where `package`), or '' for every kind."""
    if not kind:
        return ""
    from legos.kinds import registry

    found = registry.get(kind)  # UnknownKindError names the known ones
    if package and not found.is_package:
        packages = ", ".join(k.name for k in registry.all() if k.is_package)
        raise InvalidInputError(f"{kind} is not a package kind: use one of {packages}")
    return kind


def count(value: int | None, what: str) -> int:
    if value is None:
        return 0
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidInputError(f"{what} {value!r} is not valid: give 0 (no rule) or more")
    return value

