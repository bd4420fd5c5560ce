"""The core `legos` commands. Each parses its options, calls the API and prints the result.

Heavy modules (the API, the store engines, rich) load inside the commands, so that
`legos --help` answers at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from legos.cli import output
from legos.cli.base import CommandContext, as_of_option, cli, command, exact_uri
from legos.cli.pictures import draw, picture_options

if TYPE_CHECKING:
    from legos.model import Revision


@command(cli, "init")
@click.option("--template", metavar="T", help="Path template, default "
              "'{root}/{project}/{asset}/v{version:03}/{file}'.")
def init_cmd(ctx: CommandContext, template: str | None) -> None:
    """Create a store (or open one) and record its publish root and path template.

    The only command that creates a store. An embedded store's root defaults to
    STORE/publish. A store whose versions live under another root keeps it: use
    `legos relocate` when the files moved.

    \b
    Example:
      legos init --store ~/legos-store --root ~/legos-publish
      legos init --store bolt://db.studio:7687 --root /mnt/publish
    """
    import legos.api

    with legos.api.init(ctx.store, ctx.root, template, read_only=ctx.read_only) as lg:
        info = {"store": lg.store.location, "backend": lg.info().backend, "root": str(lg.root),
                "template": lg.template}
    if ctx.as_json:
        output.emit_json(info)
    else:
        output.fields(list(info.items()))


@command(cli, "relocate")
@click.argument("new_root", metavar="NEW_ROOT")
def relocate_cmd(ctx: CommandContext, new_root: str) -> None:
    """Record that the publish root moved to NEW_ROOT (after copying it there).

    Every published file must be at NEW_ROOT with its recorded size, or nothing changes.
    To reach the same root under another mount, pass --root to each command instead.

    \b
    Example:
      rsync -a /old/publish/ /mnt/publish/ && legos relocate /mnt/publish
    """
    with ctx.open_recorded() as lg:
        checked = lg.relocate(new_root)
        root = str(lg.root)
    if ctx.as_json:
        output.emit_json({"root": root, "files_checked": checked})
    else:
        click.echo(f"publish root is now {root} ({checked} files checked)")


@command(cli, "info")
def info_cmd(ctx: CommandContext) -> None:
    """The store, its publish root and template, its size, and leftovers under the root.

    Leftovers are staging areas of publishes in flight (or killed) and folders moved aside
    as orphans; legos never deletes an orphan: look at it, then remove it yourself.

    \b
    Example:
      legos info --store ~/legos-store
    """
    with ctx.open() as lg:
        info = lg.info()
    if ctx.as_json:
        output.emit_json({**{k: v for k, v in info.__dict__.items() if k != "leftovers"},
                          "leftovers": [{"path": str(x.path), "size": x.size, "kind": x.kind}
                                        for x in info.leftovers]})
        return
    output.fields([("store", info.store), ("backend", info.backend),
                   ("schema", str(info.schema_version)), ("root", info.root or "(none)"),
                   ("template", info.template), ("assets", str(info.assets)),
                   ("versions", str(info.versions))])
    for item in info.leftovers:
        click.echo(f"{item.kind}: {item.path} ({item.size} bytes)", err=True)


def _print_version(ctx: CommandContext, version: Any, headline: bool = False) -> None:
    if ctx.as_json:
        output.emit_json(output.version_document(version))
        return
    if headline:
        click.echo(version.uri)
        return
    output.fields([("uri", version.uri), ("kind", version.kind), ("status", version.status),
                   ("created", f"{version.created_at:%Y-%m-%d %H:%M:%S} by {version.created_by}"),
                   ("comment", version.comment), ("tags", ", ".join(version.tags)),
                   ("content", version.content_hash), ("entry", version.entry or ""),
                   *output.meta_fields(version.meta)])
    if version.representations:
        output.table(None, ["file", "format", "size", "sha256", "role", "path"],
                     [(r.name, r.format, r.size, r.sha256[:12],
                       "entry" if r.name == version.entry else r.role, r.path)
                      for r in version.representations])


@command(cli, "publish")
@click.argument("asset")
@click.option("--kind", required=True, help="Asset kind, e.g. TextureAsset (see `legos kinds`).")
@click.option("--file", "files", multiple=True, metavar="F",
              help="File or folder to publish (a folder keeps its layout). Repeatable.")
@click.option("--dep", "deps", multiple=True, metavar="[ROLE=]URI",
              help="A version this one was made from. Repeatable.")
@click.option("--member", "members", multiple=True, metavar="[SLOT=]URI",
              help="A member version of this package. Repeatable.")
@click.option("--comment", default="", help="What changed.")
@click.option("--user", help="Publishing user (default $LEGOS_USER or the login name).")
@click.option("--status", default="published", help="Initial status (default: published).")
@click.option("--allow-empty", is_flag=True,
              help="Publish zero-byte files too (refused by default: usually a failed export).")
@click.option("--skip-unchanged", is_flag=True,
              help="Publish nothing when the files and inputs are the latest version's.")
@click.option("--entry", metavar="FILE",
              help="The file a URI without rep= resolves to, as published (e.g. Knight.usd); "
                   "default: the only file, a USD asset's root layer, or the main file.")
@click.option("--thumbnail", metavar="PNG", help="A small PNG shown for this version.")
@click.option("--meta", "meta", multiple=True, metavar="KEY=VALUE",
              help="Metadata of the version; VALUE is JSON when it parses as JSON (1001, true, "
                   "[1,2]), else text. Repeatable.")
def publish_cmd(ctx: CommandContext, asset: str, kind: str, files: tuple[str, ...],
                deps: tuple[str, ...], members: tuple[str, ...], comment: str,
                user: str | None, status: str, allow_empty: bool,
                skip_unchanged: bool,
                entry: str | None, thumbnail: str | None, meta: tuple[str, ...]) -> None:
    """Publish the next version of PROJECT/ASSET; prints its URI.

    \b
    Example:
      legos publish demo/chr/skaarj/mat --kind MaterialAsset --file mat.usda \\
          --dep texture=legos:/demo/chr/skaarj/tex/albedo --comment "rougher"
      legos publish demo/seq010/sh0040/anim --kind FileAsset --file anim.usd \
          --meta frame_in=1001 --meta frame_out=1096 --meta camera=main
    """
    from legos.metadata import parse_assignments
    from legos.publish import parse_input

    project, name = _split_asset(asset)
    values = parse_assignments(meta)  # a bad key or value is said before anything is copied
    with ctx.open() as lg:
        version = lg.publish(project, name, kind=kind, files=files,
                             dependencies=[parse_input(d) for d in deps],
                             members=[parse_input(m) for m in members], comment=comment,
                             user=user, status=status, allow_empty=allow_empty,
                             entry=entry, thumbnail=thumbnail, meta=values,
                             skip_unchanged=skip_unchanged, progress=output.copy_progress())
    _print_version(ctx, version, headline=True)


def _split_asset(text: str) -> tuple[str, str]:
    from legos.uri import parse_asset

    uri = parse_asset(text, "publish")
    return uri.project, uri.asset


@command(cli, "show")
@click.argument("uri")
def show_cmd(ctx: CommandContext, uri: str) -> None:
    """Show one version: fields and files.

    \b
    Example:
      legos show 'legos:/demo/chr/skaarj/model?version=2'
    """
    with ctx.open() as lg:
        _print_version(ctx, lg.show(uri))


@command(cli, "history")
@click.argument("uri")
@as_of_option
def history_cmd(ctx: CommandContext, uri: str, as_of: Any) -> None:
    """All versions of an asset, newest first.

    \b
    Example:
      legos history legos:/demo/chr/skaarj/model
      legos history legos:/demo/chr/skaarj/model --as-of 2026-03-01
    """
    with ctx.open() as lg:
        rows = lg.history(uri, as_of=as_of)
    if ctx.as_json:
        output.emit_json([{k: getattr(r, k) for k in ("uri", "version", "status", "created_by",
                                                      "created_at", "comment")} for r in rows])
    else:
        output.table(uri, ["version", "status", "created by", "created at", "comment"],
                     [(r.version, r.status, r.created_by, r.created_at, r.comment) for r in rows])


@command(cli, "ls")
@click.argument("project", metavar="[PROJECT|PATTERN]", required=False)
@click.option("--kind", help="Only assets of this kind.")
@click.option("--tag", help="Only assets with a version carrying this tag (or alias).")
@click.option("--status", help="Only assets with a version of this status, e.g. approved.")
@click.option("--where", "where", multiple=True, metavar="TERM",
              help="A metadata term: KEY=VALUE, KEY<N, KEY>N, KEY<=N, KEY>=N or KEY~TEXT "
                   "(substring, any case), on the asset's metadata or its latest version's. "
                   "Repeatable (all must hold).")
def ls_cmd(ctx: CommandContext, project: str | None, kind: str | None, tag: str | None,
           status: str | None, where: tuple[str, ...]) -> None:
    """List assets with their latest version: of a PROJECT, or whose PROJECT/ASSET matches a
    glob PATTERN (`*` also crosses '/').

    \b
    Example:
      legos ls demo --kind TextureAsset
      legos ls 'demo/chr/*/tex/*' --status approved
      legos ls demo --tag hero
      legos ls demo --where frame_in'>'1000 --where dept=lookdev
    """
    pattern = None
    if project is not None and ("/" in project or any(c in project for c in "*?[")):
        project, pattern = None, project
    with ctx.open() as lg:
        assets = lg.assets(project, kind, pattern=pattern, tag=tag, status=status,
                           where=where)
    if ctx.as_json:
        output.emit_json([{"uri": a.uri, "project": a.project, "asset": a.name, "kind": a.kind,
                           "latest": a.latest} for a in assets])
    else:
        output.table(None, ["asset", "kind", "latest"], [(a.uri, a.kind, a.latest) for a in assets])


_LINEAGE_COLUMNS = ("uri", "asset", "kind", "version", "status", "role", "roles", "relation",
                    "depth", "created_by", "created_at", "revision")


@command(cli, "deps")
@click.argument("uri")
@click.option("--reverse", is_flag=True, help="What uses URI, instead of what URI uses.")
@click.option("--depth", type=click.IntRange(min=1), help="Deepest hop to report.")
@click.option("--role", help="Only inputs reached through this role or slot.")
@as_of_option
@picture_options
def deps_cmd(ctx: CommandContext, uri: str, reverse: bool, depth: int | None, role: str | None,
             as_of: Any, fmt: str, output_path: str | None) -> None:
    """Everything a version was made from (or, with --reverse, everything using it).

    Each version appears once, at its shortest depth. With --format, a picture of the
    subgraph: packages as clusters, kinds as colours, stale inputs marked.

    \b
    Example:
      legos deps 'legos:/demo/chr/skaarj/qc?version=1'
      legos deps legos:/demo/chr/skaarj/tex/albedo --reverse --depth 2
      legos deps 'legos:/demo/chr/skaarj/qc?version=1' --format svg -o qc.svg
    """
    if fmt != "table":
        _draw_lineage(ctx, uri, reverse, depth, as_of, fmt, output_path)
        return
    with ctx.open() as lg:
        if reverse:
            rows = lg.dependents(uri, depth, role, as_of=as_of)
        else:
            rows = lg.dependencies(uri, depth, role, as_of=as_of)
        exact = uri if ctx.as_json else exact_uri(lg, uri, as_of)
    if ctx.as_json:
        output.emit_json([{k: getattr(r, k) for k in _LINEAGE_COLUMNS} for r in rows])
    else:
        title = f"{'used by' if reverse else 'made from'}: {exact}"
        output.table(title, ["depth", "uri", "kind", "role", "status", "created by",
                             "created at", "revision"],
                     [(r.depth, r.uri, r.kind, ", ".join(r.roles), r.status, r.created_by,
                       r.created_at, r.revision) for r in rows])


def _draw_lineage(ctx: CommandContext, uri: str, reverse: bool, depth: int | None, as_of: Any,
                  fmt: str, output_path: str | None) -> None:
    with ctx.open() as lg:
        closure = lg.closure(uri, reverse=reverse, depth=depth, as_of=as_of)
        # stale inputs are marked: those with a newer approved version (what `legos stale` says)
        stale = set() if reverse else {r.uid for r in lg.stale(uri, as_of=as_of)}
    start = closure.start
    title = f"{'used by' if reverse else 'made from'}: legos:/{start['project']}/" \
            f"{start['asset']}?version={start['number']}"
    draw(closure, fmt, output_path, stale=stale, title=title)


@command(cli, "contents")
@click.argument("uri")
@as_of_option
def contents_cmd(ctx: CommandContext, uri: str, as_of: Any) -> None:
    """A package version's members, recursively.

    \b
    Example:
      legos contents 'legos:/demo/chr/skaarj/lookdev?version=3'
    """
    with ctx.open() as lg:
        rows = lg.contents(uri, as_of=as_of)
        exact = uri if ctx.as_json else exact_uri(lg, uri, as_of)
    if ctx.as_json:
        output.emit_json([{k: getattr(r, k) for k in (*_LINEAGE_COLUMNS, "parents")}
                          for r in rows])
    else:
        output.table(exact, ["depth", "slot", "uri", "kind", "status", "in"],
                     [(r.depth, r.role, r.uri, r.kind, r.status, ", ".join(r.parents))
                      for r in rows])


@command(cli, "status")
@click.argument("uri")
@click.argument("status")
@click.option("--note", default="", help="Why.")
@click.option("--user", help="Who (default $LEGOS_USER or the login name).")
def status_cmd(ctx: CommandContext, uri: str, status: str, note: str, user: str | None) -> None:
    """Set a version's status (the change is recorded).

    \b
    Example:
      legos status 'legos:/demo/chr/skaarj/model?version=2' approved --note "ok for shots"
    """
    with ctx.open() as lg:
        change = lg.set_status(uri, status, user=user, note=note)
    if ctx.as_json:
        output.emit_json({"uri": uri, "from_value": change.from_value,
                          "to_value": change.to_value})
    else:
        click.echo(f"{uri}: {change.from_value} -> {change.to_value}")


@command(cli, "tag")
@click.argument("uri")
@click.argument("tag")
@click.option("--colour", "--color", "colour", help="'#rrggbb' or a colour name.")
@click.option("--user", help="Who (default $LEGOS_USER or the login name).")
def tag_cmd(ctx: CommandContext, uri: str, tag: str, colour: str | None, user: str | None) -> None:
    """Tag a version (the change is recorded).

    \b
    Example:
      legos tag 'legos:/demo/chr/skaarj/lookdev?version=3' hero --colour '#ff8800'
    """
    with ctx.open() as lg:
        result = lg.tag(uri, tag, colour=colour, user=user)
    if ctx.as_json:
        output.emit_json({"uri": uri, "tag": result.name, "colour": result.colour})
    else:
        click.echo(f"{uri}: tagged {result.name}")


def _print_revision(ctx: CommandContext, rev: Revision) -> None:
    if ctx.as_json:
        output.emit_json(output.revision_document(rev))
    else:
        click.echo(f"{rev.uid}  {rev.kind}  {rev.status.value}  {rev.uri}")


@command(cli, "submit")
@click.argument("uri")
@click.option("--kind", default="QCRevision", show_default=True,
              type=click.Choice(["QCRevision", "AssetRevision"]),
              help="QCRevision (a render for QC) or AssetRevision (the asset itself).")
@click.option("--note", default="", help="What to look at.")
@click.option("--user", help="Who submits (default $LEGOS_USER or the login name).")
def submit_cmd(ctx: CommandContext, uri: str, kind: str, note: str, user: str | None) -> None:
    """Submit a version to dailies; prints the revision id alone (--json: the whole revision),
    so that a script can review it.

    \b
    Example:
      legos submit 'legos:/demo/chr/skaarj/qc?version=1' --note "turntable, studio light"
      legos review "$(legos submit 'legos:/demo/chr/skaarj/qc?version=1')" approved
    """
    with ctx.open() as lg:
        revision = lg.submit(uri, kind=kind, note=note, user=user)
    if ctx.as_json:
        _print_revision(ctx, revision)
    else:
        # the id alone, on a terminal too: one rule, and what `$(legos submit ...)` needs
        click.echo(revision.uid)


@command(cli, "review")
@click.argument("revision")
@click.argument("verdict", type=click.Choice(["approved", "needs_changes", "rejected"]))
@click.option("--note", default="", help="The reviewer's note.")
@click.option("--user", help="The reviewer (default $LEGOS_USER or the login name).")
def review_cmd(ctx: CommandContext, revision: str, verdict: str, note: str, user: str | None) -> None:
    """Review a dailies revision; approving it approves its version.

    \b
    Example:
      legos review rev-3f9a1c0b2d approved --note "final"
    """
    with ctx.open() as lg:
        _print_revision(ctx, lg.review(revision, verdict, note=note, user=user))


@command(cli, "changes")
@click.argument("uri")
def changes_cmd(ctx: CommandContext, uri: str) -> None:
    """The recorded status, tag, review and metadata changes of a version.

    \b
    Example:
      legos changes 'legos:/demo/chr/skaarj/qc?version=1'
    """
    with ctx.open() as lg:
        rows = lg.changes(uri)
    if ctx.as_json:
        output.emit_json([{k: getattr(r, k) for k in ("field", "from_value", "to_value", "user",
                                                      "at", "note")} for r in rows])
    else:
        output.table(uri, ["at", "field", "from", "to", "user", "note"],
                     [(r.at, r.field, r.from_value, r.to_value, r.user, r.note) for r in rows])


@cli.command("kinds")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def kinds_cmd(as_json: bool) -> None:
    """The asset kinds this installation knows (built-ins and plugins).

    \b
    Example:
      legos kinds
    """
    from legos.kinds import registry

    kinds = registry.all()
    if as_json:
        output.emit_json([k.__dict__ for k in kinds])
        return
    output.table(None, ["kind", "package", "default role", "description"],
                 [(k.name, "yes" if k.is_package else "", k.default_role, k.description)
                  for k in kinds])
    for name, reason in registry.load_failures().items():
        click.echo(f"plugin {name!r} failed to load: {reason}", err=True)


# The other command modules register themselves on import (they import nothing heavy).
from legos.cli import (  # noqa: E402,F401
    analytics,
    archive,
    events,
    hooks,
    ingest,
    metadata,
    operations,
    pins,
    projects,
    questions,
    selection,
    usd,
)


def main() -> None:
    cli(prog_name="legos")
