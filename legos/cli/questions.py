"""The question commands: `legos query` for any module in cypher/, and the shortcuts
`impact`, `stale`, `diff`, `path` and `evolution` (legos.questions). Each takes --as-of."""

from __future__ import annotations

from typing import Any

import click

from legos.cli import output
from legos.cli.base import CommandContext, as_of_option, cli, command, exact_uri
from legos.cli.pictures import draw, picture_options

_ROW_KEYS = ("uri", "project", "asset", "kind", "version", "status", "relation", "role",
             "roles", "depth", "created_by", "created_at", "revision")


@command(cli, "query")
@click.argument("name", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of the question (JSON, a time, or text; a legos: URI for a "
                   "uid parameter means that version). Repeatable.")
@click.option("--list", "list_only", is_flag=True, help="List the questions and parameters.")
@as_of_option
def query_cmd(ctx: CommandContext, name: str | None, params: tuple[str, ...], list_only: bool,
              as_of: Any) -> None:
    """Ask any question in cypher/ by name: one parameterised Cypher module, read-only.

    \b
    Example:
      legos query --list
      legos query lineage/path -p from_uid='legos:/demo/chr/skaarj/qc?version=2' \\
          -p to_uid='legos:/demo/chr/skaarj/tex/albedo?version=1'
      legos query analytics/reuse -p top=5 --as-of 2026-03-01 --json
    """
    from legos.errors import InvalidInputError

    if list_only or not name:
        _list_questions(ctx)
        return
    given = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise InvalidInputError(f"--param {item!r} is not KEY=VALUE: e.g. -p top=5")
        given[key.strip()] = value
    with ctx.open() as lg:
        rows = lg.query(name, given, as_of=as_of)
    if ctx.as_json:
        output.emit_json(rows)
    elif rows:
        columns = list(rows[0])
        output.table(name, columns, [[_cell(r.get(c)) for c in columns] for r in rows])
    else:
        click.echo(f"{name}: no rows", err=True)


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def _list_questions(ctx: CommandContext) -> None:
    from legos import query

    questions = query.catalogue()
    if ctx.as_json:
        output.emit_json([{"name": q.name, "description": q.description, "params": q.params,
                           "defaults": q.defaults} for q in questions])
        return
    output.table("questions (legos query NAME -p KEY=VALUE)", ["name", "parameters", "answers"],
                 [(q.name, "\n".join(f"{k}{'=' + repr(q.defaults[k]) if k in q.defaults else ''}"
                                     for k in q.params), q.summary) for q in questions])


@command(cli, "impact")
@click.argument("uri")
@click.option("--no-revisions", is_flag=True, help="Leave out dailies revisions.")
@as_of_option
@picture_options
def impact_cmd(ctx: CommandContext, uri: str, no_revisions: bool, as_of: Any, fmt: str,
               output_path: str | None) -> None:
    """If URI changes, what must be re-published or re-rendered, in rebuild order.

    Every downstream version, package and QC revision, grouped by asset within waves: a wave
    only uses versions of earlier waves, so rebuild wave by wave (a wave's versions can be
    rebuilt side by side).

    \b
    Example:
      legos impact 'legos:/demo/chr/skaarj/tex/albedo?version=2'
      legos impact 'legos:/demo/chr/skaarj/tex/albedo?version=2' --format png -o impact.png
    """
    from legos.questions import by_asset

    with ctx.open() as lg:
        if fmt != "table":
            closure = lg.closure(uri, reverse=True, as_of=as_of)
            start = closure.start
            draw(closure, fmt, output_path, title=f"impact of legos:/{start['project']}/"
                                                  f"{start['asset']}?version={start['number']}")
            return
        rows = lg.impact(uri, as_of=as_of, revisions=not no_revisions)
        exact = uri if ctx.as_json else exact_uri(lg, uri, as_of)
    if ctx.as_json:
        output.emit_json([{**{k: getattr(r, k) for k in _ROW_KEYS}, "wave": r.wave}
                          for r in rows])
        return
    output.table(f"impact of {exact}", ["wave", "asset", "kind", "versions", "revisions"],
                 [(wave, asset, members[0].kind,
                   ", ".join(f"v{v}" for v in sorted({m.version for m in members
                                                       if not m.revision})),
                   ", ".join(m.revision for m in members if m.revision))
                  for wave, asset, members in by_asset(rows)])


@command(cli, "stale")
@click.argument("uri")
@click.option("--any-newer", is_flag=True,
              help="Any newer version makes an input stale, not only a newer approved one.")
@as_of_option
def stale_cmd(ctx: CommandContext, uri: str, any_newer: bool, as_of: Any) -> None:
    """The out-of-date breakdown of a package or shot: inputs with a newer approved version.

    \b
    Example:
      legos stale 'legos:/demo/seq010/sh0010/pkg?version=4'
      legos stale legos:/demo/seq010/sh0010/pkg --any-newer --as-of 2026-03-01
    """
    with ctx.open() as lg:
        rows = lg.stale(uri, any_newer=any_newer, as_of=as_of)
        exact = uri if ctx.as_json else exact_uri(lg, uri, as_of)
    if ctx.as_json:
        output.emit_json([{**{k: getattr(r, k) for k in _ROW_KEYS},
                           "newer_version": r.newer_version, "newer_status": r.newer_status,
                           "newer_uri": r.newer_uri, "behind": r.behind} for r in rows])
        return
    output.table(f"stale in {exact}", ["depth", "uri", "kind", "role", "uses", "newer",
                                       "newer status", "behind"],
                 [(r.depth, r.uri, r.kind, ", ".join(r.roles), f"v{r.version}",
                   f"v{r.newer_version}", r.newer_status, r.behind) for r in rows])
    if not rows:
        click.echo("nothing stale", err=True)


@command(cli, "diff")
@click.argument("first")
@click.argument("second")
@click.option("--depth", type=click.IntRange(min=1), help="Compare inputs down to this depth.")
@as_of_option
def diff_cmd(ctx: CommandContext, first: str, second: str, depth: int | None, as_of: Any) -> None:
    """What changed between two versions (of a package, or two QC renders): their own files
    (added, removed, changed by sha256), then their inputs at any depth (added, removed and
    re-versioned).

    \b
    Example:
      legos diff 'legos:/demo/chr/skaarj/qc?version=1' 'legos:/demo/chr/skaarj/qc?version=2'
    """
    with ctx.open() as lg:
        rows = lg.diff(first, second, depth, as_of=as_of)
    if ctx.as_json:
        output.emit_json(rows)
        return
    files = [r for r in rows if r.file is not None]
    inputs = [r for r in rows if r.file is None]
    if files:
        output.table(f"files: {first} -> {second}", ["change", "file", "from", "to"],
                     [(r.change, r.file, (r.from_sha256 or "")[:12], (r.to_sha256 or "")[:12])
                      for r in files])
    else:
        click.echo("the same files", err=True)
    if inputs:
        output.table(f"inputs: {first} -> {second}",
                     ["change", "asset", "kind", "from", "to", "depth"],
                     [(r.change, f"{r.project}/{r.asset}", r.kind,
                       ", ".join(f"v{v}" for v in r.from_versions),
                       ", ".join(f"v{v}" for v in r.to_versions), r.depth) for r in inputs])
    else:
        click.echo("the same inputs", err=True)


@command(cli, "path")
@click.argument("first")
@click.argument("second")
@as_of_option
def path_cmd(ctx: CommandContext, first: str, second: str, as_of: Any) -> None:
    """How FIRST came to depend on SECOND: one shortest chain, with the role of each hop.

    A SECOND without a version means the version of that asset FIRST actually uses (the
    nearest), not its latest.

    \b
    Example:
      legos path 'legos:/demo/chr/skaarj/qc?version=2' 'legos:/demo/chr/skaarj/tex/albedo?version=1'
      legos path 'legos:/demo/chr/skaarj/qc?version=2' legos:/demo/chr/skaarj/tex/albedo
    """
    with ctx.open() as lg:
        steps = lg.path(first, second, as_of=as_of)
        backwards = [] if steps else lg.path(second, first, as_of=as_of)
    if ctx.as_json:
        output.emit_json(steps)
        return
    if not steps:
        hint = (" (but the second depends on the first: swap them)" if backwards else "")
        which = "" if "?" in second else "any version of "
        click.echo(f"{first} does not depend on {which}{second}{hint}", err=True)
        return
    for step in steps:
        via = f"  --{step.role or step.relation}--> " if step.relation else ""
        click.echo(f"{via}{step.uri}  [{step.kind}, {step.status}]")


@command(cli, "evolution")
@click.argument("asset")
@as_of_option
def evolution_cmd(ctx: CommandContext, asset: str, as_of: Any) -> None:
    """How an asset evolved: its versions, each with how its inputs changed.

    \b
    Example:
      legos evolution legos:/demo/chr/skaarj/lookdev
    """
    with ctx.open() as lg:
        steps = lg.evolution(asset, as_of=as_of)
    if ctx.as_json:
        output.emit_json(steps)
        return
    rows = []
    for step in steps:
        changes = "; ".join(
            f"+{c.asset} v{c.to_version}" if c.change == "added" else
            f"-{c.asset} v{c.from_version}" if c.change == "removed" else
            f"{c.asset} v{c.from_version}->v{c.to_version}" for c in step.changes)
        rows.append((f"v{step.version}", step.status, step.created_by, step.created_at,
                     step.comment, changes))
    output.table(asset, ["version", "status", "by", "at", "comment", "input changes"], rows)
