"""Read-only stores (`legos --read-only`, LEGOS_READ_ONLY=1, `legos.open(read_only=True)`): every
write is refused with one message naming the operation, before anything is touched.

Producers' analytics and TDs' queries open the store this way beside artists who publish: an
embedded store is then only ever opened read-only and takes the shared (reader) lock, never
the writer's; a Neo4j session is opened in read access mode (see docs/reading-while-writing.md).
"""

from __future__ import annotations

import os
import sys

from legos.errors import ReadOnlyStoreError

ENV = "LEGOS_READ_ONLY"
_TRUE = ("1", "true", "yes", "on")


def wanted(read_only: bool | None) -> bool:
    """The read-only choice: the one given, else $LEGOS_READ_ONLY."""
    if read_only is not None:
        return bool(read_only)
    return os.environ.get(ENV, "").strip().lower() in _TRUE


def refused(location: str, operation: str | None = None) -> ReadOnlyStoreError:
    """The error for a write asked of the read-only store at `location`. Without `operation`,
    the public API method (or CLI command) that asked for it is named."""
    what = operation or _asking_operation()
    return ReadOnlyStoreError(
        f"{what} writes to the store at {location}, which is open read-only (--read-only, "
        f"{ENV}=1 or read_only=True): run it without read-only to change the store")


def _asking_operation() -> str:
    """The outermost public method of legos.api on the stack (`publish`, `tag`, ...), else the
    CLI command being run, else "a write"."""
    found = None
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        if (code.co_filename.endswith(os.path.join("legos", "api.py"))
                and not code.co_name.startswith(("_", "<")) and code.co_name != "work"):
            found = code.co_name
        frame = frame.f_back  # type: ignore[assignment]
    if found is not None:
        return found
    try:
        import click

        ctx = click.get_current_context(silent=True)
    except ImportError:  # pragma: no cover - click is a dependency
        ctx = None
    if ctx is not None and ctx.info_name:
        return f"legos {ctx.info_name}"
    return "a write"
