"""`legos meta set|unset|show|changes`: metadata of assets and versions (legos.metadata), a thin
shell over the API. A URI without a version names the asset; `?version=N` (or
`?version=latest`, or a rule) names a version."""

from __future__ import annotations

from typing import Any

import click

from legos.cli import output
from legos.cli.base import CommandContext, cli, command


@cli.group("meta")
def meta_group() -> None:
    """Metadata of assets and versions: KEY=VALUE pairs, JSON values allowed.

    A URI without a version (legos:/demo/chr/skaarj/model) names the ASSET;
    ?version=N, ?version=latest or a rule such as ?status=approved names a version.
    A version's content never changes; its metadata may, and every change is recorded.

    \b
    Example:
      legos meta set legos:/demo/seq010/sh0040 fps=24 frame_in=1001 frame_out=1096
      legos meta set 'legos:/demo/chr/skaarj/model?version=3' qc=true
      legos ls demo --where frame_in=1001
    """


def _print_changes(ctx: CommandContext, answer: Any) -> None:
    if ctx.as_json:
        output.emit_json({"uri": answer.uri, "owner": answer.owner, "changes": [
            {k: getattr(c, k) for k in ("field", "from_value", "to_value", "user", "at", "note")}
            for c in answer.changes]})
        return
    if not answer.changes:
        click.echo(f"{answer.owner} {answer.uri}: nothing changed")
    for c in answer.changes:
        key = c.field.removeprefix("meta:")
        was = "(none)" if c.from_value is None else c.from_value
        now = "(removed)" if c.to_value is None else c.to_value
        click.echo(f"{answer.owner} {answer.uri}: {key}: {was} -> {now}")


@command(meta_group, "set")
@click.argument("uri")
@click.argument("pairs", nargs=-1, required=True, metavar="KEY=VALUE...")
@click.option("--note", default="", help="Why.")
@click.option("--user", help="Who (default $LEGOS_USER or the login name).")
def set_cmd(ctx: CommandContext, uri: str, pairs: tuple[str, ...], note: str,
            user: str | None) -> None:
    """Set metadata of an asset or a version; each change is recorded.

    VALUE is read as JSON when it parses as JSON (1001, 23.976, true, ["a","b"],
    {"w":2048}, '"007"'), else kept as text. Keys: a letter or '_', then letters, digits,
    '_', '.', ':' or '-'.

    \b
    Example:
      legos meta set legos:/demo/seq010/sh0040 fps=24 frame_in=1001 label='Opening shot'
      legos meta set 'legos:/demo/chr/skaarj/model?version=3' qc=true
    """
    from legos import metadata

    values = metadata.parse_assignments(pairs)
    with ctx.open() as lg:
        _print_changes(ctx, lg.set_meta(uri, values, user=user, note=note))


@command(meta_group, "unset")
@click.argument("uri")
@click.argument("keys", nargs=-1, required=True, metavar="KEY...")
@click.option("--note", default="", help="Why.")
@click.option("--user", help="Who (default $LEGOS_USER or the login name).")
def unset_cmd(ctx: CommandContext, uri: str, keys: tuple[str, ...], note: str,
              user: str | None) -> None:
    """Remove metadata keys of an asset or a version; each removal is recorded.

    \b
    Example:
      legos meta unset 'legos:/demo/chr/skaarj/model?version=3' qc
    """
    with ctx.open() as lg:
        _print_changes(ctx, lg.unset_meta(uri, list(keys), user=user, note=note))


@command(meta_group, "show")
@click.argument("uri")
def show_cmd(ctx: CommandContext, uri: str) -> None:
    """The metadata of an asset or a version.

    \b
    Example:
      legos meta show legos:/demo/seq010/sh0040
      legos meta show 'legos:/demo/seq010/sh0040?version=latest'
    """
    from legos import metadata

    where = metadata.target(uri)
    with ctx.open() as lg:
        if where.is_version:
            version = lg.show(uri)
            shown, values, owner = version.uri, version.meta, "version"
        else:
            shown, values, owner = where.uri.asset_uri(), lg.meta(uri), "asset"
    if ctx.as_json:
        output.emit_json({"uri": shown, "owner": owner, "meta": values})
    else:
        output.table(f"{owner} {shown}", ["key", "value"],
                     [(k, metadata.display(v)) for k, v in values.items()])


@command(meta_group, "changes")
@click.argument("uri")
def changes_cmd(ctx: CommandContext, uri: str) -> None:
    """The recorded metadata changes of an asset or a version, oldest first.

    \b
    Example:
      legos meta changes legos:/demo/seq010/sh0040
    """
    with ctx.open() as lg:
        answer = lg.meta_changes(uri)
    if ctx.as_json:
        _print_changes(ctx, answer)
    else:
        output.table(f"{answer.owner} {answer.uri}", ["at", "key", "from", "to", "user", "note"],
                     [(c.at, c.field.removeprefix("meta:"), c.from_value, c.to_value, c.user,
                       c.note) for c in answer.changes])
