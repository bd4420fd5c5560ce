"""`legos hooks`: the publish hook plugins this installation has, and those that failed to load.

pluggy and the plugins load inside the command, so that `legos --help` stays instant.
"""

from __future__ import annotations

import click

from legos.cli import output
from legos.cli.base import cli


@cli.command("hooks")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def hooks_cmd(as_json: bool) -> None:
    """The publish hook plugins (built-in validators and the `legos.hooks` entry points).

    A plugin that failed to load is listed with its error (on stderr) and never runs. The
    built-in validators' levels come from LEGOS_VALIDATORS (see docs/hooks.md).

    \b
    Example:
      legos hooks
      legos hooks --json
    """
    from legos import hooks, validators
    from legos.errors import LegosError

    try:
        levels = validators.levels()
    except LegosError as exc:
        click.echo(f"legos: error: {exc}", err=True)
        raise SystemExit(1) from None
    rows = [{"name": p.name, "source": p.source, "hooks": list(p.hooks),
             "level": levels.get(p.name.removeprefix("legos."), "") if p.source == "built-in"
             else ""} for p in hooks.plugins()]
    failed = hooks.failures()
    if as_json:
        output.emit_json({"plugins": rows, "failed": [{"name": name, "error": error}
                                                      for name, error in failed.items()]})
        return
    output.table(None, ["plugin", "hooks", "level", "source"],
                 [(r["name"], ", ".join(r["hooks"]), r["level"], r["source"]) for r in rows])
    for name, reason in failed.items():
        click.echo(f"plugin {name!r} failed to load: {reason}", err=True)
