"""`legos events`: what happened in the store, in order, once or followed (legos.events)."""

from __future__ import annotations

import sys
import time
from typing import Any

import click

from legos.cli.base import CommandContext, cli, command


def _line(event: Any) -> str:
    d = event.detail
    if event.kind == "publish":
        what = f"{d['kind']} {d['comment']!r}" if d["comment"] else d["kind"]
    elif event.kind == "meta":
        what = f"{d['key']}: {d['from'] or '(none)'} -> {d['to'] or '(unset)'}"
    elif event.kind == "tag":
        what = d["to"]
    elif event.kind == "submit":
        what = f"{d['revision']} {d['note']!r}" if d["note"] else d["revision"]
    elif event.kind == "project_load":
        what = f"load {d['number']}"
    else:  # status, alias, review
        what = f"{d['from'] or '(none)'} -> {d['to']}"
        if d.get("revision"):
            what += f" ({d['revision']})"
    return f"{event.cursor.split('/')[0]}  {event.kind:<12}  {event.uri}  {what}  by {event.user}"


@command(cli, "events")
@click.option("--since", metavar="TIME", help="From this instant on (UTC, e.g. "
              "2026-03-01T18:00:00Z or 2026-03-01); default: the beginning, or now with "
              "--follow.")
@click.option("--after", "after", metavar="CURSOR",
              help="Resume after the event with this cursor (--json prints each one's).")
@click.option("--project", metavar="P", help="Only the events of this project.")
@click.option("--follow", is_flag=True, help="Keep printing new events as they happen.")
@click.option("--limit", type=click.IntRange(min=0), metavar="N",
              help="At most N events (without --follow).")
@click.option("--max-events", type=click.IntRange(min=1), metavar="N",
              help="With --follow: stop after N events.")
@click.option("--timeout", type=click.FloatRange(min=0), metavar="S",
              help="With --follow: stop after S seconds.")
@click.option("--poll", type=click.FloatRange(min=0.05), default=1.0, show_default=True,
              metavar="S", help="With --follow: seconds between two looks at the store.")
@click.option("--settle", type=click.FloatRange(min=0), default=2.0, show_default=True,
              metavar="S", help="With --follow: stay S seconds behind now, so a transaction "
              "committing late is not skipped (raise it for clocks that disagree).")
def events_cmd(ctx: CommandContext, since: str | None, after: str | None, project: str | None,
               follow: bool, limit: int | None, max_events: int | None,
               timeout: float | None, poll: float, settle: float) -> None:
    """Every publish, status change, tag, alias, review, submission, metadata change and
    project load, oldest first. --json prints one JSON object per line, each with its
    `cursor`; --after CURSOR resumes after it, with no duplicate and no gap.

    \b
    Example:
      legos events --since 2026-03-01 --project demo
      legos events --follow --json   # one JSON line per event as it happens, until Ctrl-C
      legos events --json --after 2026-03-01T18:00:00.000000Z/3f2a9c0e
    """
    from legos import events

    with ctx.open() as lg:
        if not follow:
            for option, value in (("--max-events", max_events), ("--timeout", timeout)):
                if value is not None:
                    raise click.UsageError(f"{option} goes with --follow")
            for event in events.events(lg.store, since=since, after=after, project=project,
                                       limit=limit):
                _emit(event, ctx.as_json)
            return
        if limit is not None:
            raise click.UsageError("--limit goes without --follow (use --max-events)")
        deadline = None if timeout is None else time.monotonic() + timeout
        count = 0

        def stop() -> bool:
            return deadline is not None and time.monotonic() >= deadline

        try:
            for event in events.follow(lg.store, since=since, after=after, project=project,
                                       poll=poll, settle=settle, stop=stop):
                _emit(event, ctx.as_json)
                count += 1
                if max_events is not None and count >= max_events:
                    return
        except KeyboardInterrupt:
            return  # the way a follower is stopped: not an error


def _emit(event: Any, as_json: bool) -> None:
    if as_json:
        import json

        click.echo(json.dumps(event.to_json(), sort_keys=True))
    else:
        click.echo(_line(event))
    sys.stdout.flush()  # a follower's reader sees each event at once
