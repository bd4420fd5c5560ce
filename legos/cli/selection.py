"""The selection commands: pick a version by selector, move aliases and show their history.

Registered on the root `legos` group by import, like the other command modules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from legos.cli import output
from legos.cli.base import CommandContext, cli, command

if TYPE_CHECKING:
    from legos.model import AliasMove


@command(cli, "select")
@click.argument("asset")
@click.argument("selector", default="latest")
def select_cmd(ctx: CommandContext, asset: str, selector: str) -> None:
    """The version of ASSET (a URI or PROJECT/ASSET) that SELECTOR picks; prints its URI.

    SELECTOR is latest (the default), approved, status:NAME, tag:NAME, at:TIME (ISO 8601 with
    Z or an offset, or a date), version:N, depends-on:URI (a direct input), depends-on*:URI
    (an input at any depth), compatible:MANIFEST, or exact; rules join with ','.

    \b
    Example:
      legos select demo/chr/skaarj/lookdev approved,at:2026-11-20T18:00Z
      legos select legos:/demo/chr/skaarj/lookdev 'depends-on:legos:/demo/chr/skaarj/model?version=7'
    """
    with ctx.open() as lg:
        version = lg.select(asset, selector)
    if ctx.as_json:
        output.emit_json({**output.version_document(version), "selector": selector})
    else:
        click.echo(version.uri)


@command(cli, "alias")
@click.argument("uri")
@click.argument("name")
@click.option("--note", default="", help="Why it moves.")
@click.option("--user", help="Who (default $LEGOS_USER or the login name).")
def alias_cmd(ctx: CommandContext, uri: str, name: str, note: str, user: str | None) -> None:
    """Point the alias NAME of an asset at the version URI names (the move is recorded).

    An alias is a tag on exactly one version of its asset: moving it takes it off the others.
    Select it with ?tag=NAME or the selector tag:NAME.

    \b
    Example:
      legos alias 'legos:/demo/chr/skaarj/lookdev?version=5' hero --note "approved in dailies"
    """
    with ctx.open() as lg:
        move = lg.set_alias(uri, name, user=user, note=note)
    if ctx.as_json:
        output.emit_json(_move_document(move, _SET_ALIAS_KEYS))
        return
    before = f"v{move.from_version}" if move.from_version else "(new)"
    state = "" if move.moved else " (already there)"
    click.echo(f"{move.uri}: {name} {before} -> v{move.to_version}{state}")


@command(cli, "alias-history")
@click.argument("asset_uri")
@click.argument("name", required=False)
def alias_history_cmd(ctx: CommandContext, asset_uri: str, name: str | None) -> None:
    """Every move of an asset's aliases (or of alias NAME), oldest first: who, when, from, to.

    \b
    Example:
      legos alias-history legos:/demo/chr/skaarj/lookdev hero
    """
    with ctx.open() as lg:
        rows = lg.alias_history(asset_uri, name)
    if ctx.as_json:
        output.emit_json([_move_document(r, _HISTORY_KEYS) for r in rows])
        return
    output.table(asset_uri, ["at", "alias", "from", "to", "user", "note"],
                 [(r.at, r.alias, f"v{r.from_version}" if r.from_version else "",
                   f"v{r.to_version}", r.user, r.note) for r in rows])


# the JSON of `alias` (one move, whether it moved) and of `alias-history` (recorded moves)
_SET_ALIAS_KEYS = ("alias", "uri", "from_value", "to_value", "from_version", "to_version",
                   "user", "note", "moved", "at")
_HISTORY_KEYS = ("alias", "from_version", "to_version", "from_value", "to_value", "user", "at",
                 "note")


def _move_document(move: AliasMove, keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: getattr(move, k) for k in keys}
