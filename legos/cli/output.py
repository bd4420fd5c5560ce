"""How the CLI prints: one JSON document with --json, else rich tables for people."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from enum import Enum
from typing import Any

import click


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if hasattr(value, "model_dump"):
        return _plain(value.model_dump())
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def emit_json(document: Any) -> None:
    click.echo(json.dumps(_plain(document), indent=2, sort_keys=False))


def version_document(version: Any) -> dict[str, Any]:
    """A Version as `show --json` and `publish --json` print it (and `select --json`)."""
    return {
        "uri": version.uri, "project": version.project, "asset": version.asset,
        "kind": version.kind, "version": version.number, "status": version.status.value,
        "created_by": version.created_by, "created_at": version.created_at,
        "comment": version.comment, "content_hash": version.content_hash,
        "tags": list(version.tags), "uid": version.uid, "entry": version.entry,
        "representations": [{**r.model_dump(), "entry": r.name == version.entry}
                            for r in version.representations],
        "provenance": version.provenance, "meta": version.meta,
    }


def meta_fields(meta: dict[str, Any]) -> list[tuple[str, str]]:
    """A version's metadata as `show` prints it: one "meta KEY" line per key."""
    from legos.metadata import display

    return [(f"meta {key}", display(value)) for key, value in meta.items()]


def revision_document(rev: Any) -> dict[str, Any]:
    """A Revision as `submit --json` and `review --json` print it."""
    return {
        "revision": rev.uid, "kind": rev.kind, "status": rev.status.value, "note": rev.note,
        "created_by": rev.created_by, "created_at": rev.created_at,
        "reviewed_by": rev.reviewed_by, "reviewed_at": rev.reviewed_at,
        "review_note": rev.review_note, "version_uid": rev.version_uid,
        "project": rev.project, "asset": rev.asset, "version": rev.version, "uri": rev.uri,
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    grid = Table(title=title, show_lines=False, header_style="bold")
    for column in columns:
        grid.add_column(column)
    for row in rows:
        grid.add_row(*(_cell(v) for v in row))
    console = Console(soft_wrap=True)
    if not console.is_terminal:  # piped output: do not squeeze columns into 80 characters
        console = Console(soft_wrap=True, width=200)
    console.print(grid)


def fields(pairs: Sequence[tuple[str, Any]]) -> None:
    width = max(len(k) for k, _ in pairs)
    for key, value in pairs:
        click.echo(f"{key.ljust(width)}  {_cell(value)}")


_PROGRESS_FROM = 256 << 20  # bytes: smaller copies finish before a bar would help


def copy_progress() -> Any:
    """A `progress(done, total)` bar of bytes on stderr for a big copy (a terminal only)."""
    return stderr_progress("copying", in_bytes=True, smallest=_PROGRESS_FROM)


def stderr_progress(label: str, *, in_bytes: bool = False, smallest: int = 0) -> Any:
    """A `progress(done, total)` callback drawing a bar on stderr when it is a terminal and the
    total is at least `smallest`; None otherwise (scripts and pipes get no bar)."""
    import sys

    if not sys.stderr.isatty():
        return None
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if total < smallest:
            return
        if "bar" not in state:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                DownloadColumn,
                MofNCompleteColumn,
                Progress,
                TimeRemainingColumn,
                TransferSpeedColumn,
            )

            columns = ((DownloadColumn(), TransferSpeedColumn()) if in_bytes
                       else (MofNCompleteColumn(),))
            bar = Progress(label, BarColumn(), *columns, TimeRemainingColumn(),
                           console=Console(stderr=True), transient=True)
            bar.start()
            state["bar"], state["task"] = bar, bar.add_task(label, total=total)
        state["bar"].update(state["task"], completed=done)
        if done >= total:
            state.pop("bar").stop()

    return update
