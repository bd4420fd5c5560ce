"""`legos project ...` (a show's definition: create, show, load, save, history) and the work
area commands `legos workdir` and `legos context` (legos.projects)."""

from __future__ import annotations

import shlex
from typing import Any

import click

from legos.cli import output
from legos.cli.base import CommandContext, as_of_option, cli, command


@cli.group("project")
def project() -> None:
    """A project's definition: settings, path templates, inventory of assets and shots.

    One TOML file (docs/projects.md) loads into the store and saves back; every load is
    recorded, so earlier definitions stay readable.

    \b
    Example:
      legos project create demo --from demo.toml
      legos project load demo demo.toml --dry-run
    """


def _report_document(report: Any) -> dict[str, Any]:
    return {"project": report.project, "load": report.number, "dry_run": report.dry_run,
            "created": report.created, **report.diff.to_data()}


def _print_report(ctx: CommandContext, report: Any) -> None:
    if ctx.as_json:
        output.emit_json(_report_document(report))
        return
    for line in report.diff.lines():
        click.echo(line)
    if report.dry_run:
        click.echo(f"dry run: project {report.project} unchanged "
                   f"({_counts(report.diff)} on load)", err=True)
    else:
        verb = "created" if report.created else "loaded"
        click.echo(f"{verb} project {report.project}: load {report.number} "
                   f"({_counts(report.diff)})", err=True)


def _counts(diff: Any) -> str:
    return (f"{len(diff.added)} added, {len(diff.changed)} changed, "
            f"{len(diff.removed)} removed")


@command(project, "create")
@click.argument("name")
@click.option("--from", "source", metavar="FILE", type=click.Path(),
              help="Project file (TOML) to define it from; else it starts empty.")
@click.option("--user", help="Who creates it (default $LEGOS_USER or the login name).")
def create_cmd(ctx: CommandContext, name: str, source: str | None, user: str | None) -> None:
    """Create a project, empty or from a project file (recorded as its first load).

    A project that publishes made (and nobody defined) can be created too; one already
    defined is changed with `legos project load`.

    \b
    Example:
      legos project create demo --from demo.toml
    """
    with ctx.open() as lg:
        report = lg.create_project(name, source, user=user)
    _print_report(ctx, report)


@command(project, "show")
@click.argument("name")
@click.option("--toml", "as_toml", is_flag=True, help="Print the project file (TOML).")
@as_of_option
def show_cmd(ctx: CommandContext, name: str, as_toml: bool, as_of: Any) -> None:
    """Show a project's definition (with --as-of: the one it had then).

    \b
    Example:
      legos project show demo
      legos project show demo --toml --as-of 2026-03-01T18:00:00Z > demo_then.toml
    """
    from legos.projects.toml_file import dumps

    with ctx.open() as lg:
        definition = lg.project(name, as_of=as_of)
    if ctx.as_json:
        output.emit_json(definition.to_data())
    elif as_toml:
        click.echo(dumps(definition), nl=False)
    else:
        _print_definition(name, definition)


def _print_definition(name: str, definition: Any) -> None:
    data = definition.to_data()
    fields = [("project", name)]
    fields += [(key, _text(value)) for key, value in data.get("metadata", {}).items()]
    fields += [(f"{key} template", value) for key, value in data.get("template", {}).items()]
    for section in ("tasks", "apps"):
        if data.get(section):
            fields.append((section, ", ".join(data[section])))
    output.fields(fields)
    rows = [(section, entry_name, entry.label, entry.kind, entry.frame_in, entry.frame_out,
             entry.fps, ", ".join(f"{k}={_text(v)}" for k, v in sorted(entry.extra.items())))
            for entry_name, (section, entry) in sorted(definition.entries().items())]
    if rows:
        output.table(None, ["section", "name", "label", "kind", "in", "out", "fps", "more"],
                     rows)


def _text(value: Any) -> str:
    import json

    return value if isinstance(value, str) else json.dumps(value)


@command(project, "load")
@click.argument("name")
@click.argument("file", type=click.Path())
@click.option("--dry-run", is_flag=True, help="Say what the load would change; write nothing.")
@click.option("--user", help="Who loads it (default $LEGOS_USER or the login name).")
def load_cmd(ctx: CommandContext, name: str, file: str, dry_run: bool,
             user: str | None) -> None:
    """Load a project file into a project: a merge that prints what it adds (+), changes (~)
    and removes (-).

    The file is the whole definition: an entry it leaves out is removed, which is refused
    while published versions use it. A bad file changes nothing.

    \b
    Example:
      legos project load demo demo.toml --dry-run
      legos project load demo demo.toml
    """
    with ctx.open() as lg:
        report = lg.load_project(name, file, dry_run=dry_run, user=user)
    _print_report(ctx, report)


@command(project, "save")
@click.argument("name")
@click.option("-o", "--output", required=True, metavar="FILE", type=click.Path(),
              help="Where to write the project file (TOML).")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@as_of_option
def save_cmd(ctx: CommandContext, name: str, output: str, force: bool, as_of: Any) -> None:
    """Write a project's definition (with --as-of: the one it had then) as a project file.

    \b
    Example:
      legos project save demo -o demo.toml
    """
    from pathlib import Path

    from legos.errors import ConflictError

    if Path(output).exists() and not force:
        raise ConflictError(f"{output} exists: pass --force to replace it, or choose another "
                            "name")
    with ctx.open() as lg:
        written = lg.save_project(name, output, as_of=as_of)
    if ctx.as_json:
        from legos.cli.output import emit_json

        emit_json({"project": name, "file": str(written)})
    else:
        click.echo(str(written))


@command(project, "history")
@click.argument("name")
def history_cmd(ctx: CommandContext, name: str) -> None:
    """Every load of a project, oldest first: who, when, what it added, changed and removed.

    `legos project show NAME --as-of TIME` shows the definition after any of them.

    \b
    Example:
      legos project history demo
    """
    with ctx.open() as lg:
        loads = lg.project_history(name)
    if ctx.as_json:
        output.emit_json([{"load": r.number, "created_by": r.created_by,
                           "created_at": r.created_at, **r.diff.to_data()} for r in loads])
        return
    output.table(f"project {name}", ["load", "when", "who", "added", "changed", "removed"],
                 [(r.number, r.created_at, r.created_by, _names(r.diff.added),
                   _names([c.path for c in r.diff.changed]), _names(r.diff.removed))
                  for r in loads])


def _names(paths: list[str], most: int = 4) -> str:
    shown = ", ".join(paths[:most])
    return shown + (f" (+{len(paths) - most})" if len(paths) > most else "")


# -- work areas ------------------------------------------------------------------------------
def _work_options(fn: Any) -> Any:
    for option in reversed([
        click.argument("asset", metavar="PROJECT/ASSET"),
        click.option("--task", required=True, metavar="TASK",
                     help="The task (one of the project's [tasks] when it lists any)."),
        click.option("--app", metavar="APP",
                     help="The application (one of the project's [apps] when it lists any)."),
        click.option("--user", help="Whose work area (default $LEGOS_USER or the login name)."),
    ]):
        fn = option(fn)
    return fn


@command(cli, "workdir")
@_work_options
@click.option("--create", is_flag=True, help="Create the folder (and its parents).")
def workdir_cmd(ctx: CommandContext, asset: str, task: str, app: str | None,
                user: str | None, create: bool) -> None:
    """Print the work folder of an asset and task, from the project's work template.

    The default template is {work}/{project}/{asset}/{task}/{app}/{user}, where {work} is
    $LEGOS_WORK_ROOT or `work` beside the publish root; a folder of {app} alone is left out
    when no --app is given.

    \b
    Example:
      legos workdir demo/chr/skaarj --task model --app blender --create
    """
    with ctx.open() as lg:
        area = lg.workdir(asset, task=task, app=app, user=user, create=create)
    if ctx.as_json:
        output.emit_json({"path": str(area.path), **area.environment()})
    else:
        click.echo(str(area.path))


@command(cli, "context")
@_work_options
@click.option("--shell", "shell", type=click.Choice(["sh", "json"]), default="sh",
              show_default=True, help="sh: export lines to eval; json: one object.")
def context_cmd(ctx: CommandContext, asset: str, task: str, app: str | None,
                user: str | None, shell: str) -> None:
    """Print the environment a launcher exports for a DCC session on an asset and task.

    LEGOS_PROJECT, LEGOS_ASSET, LEGOS_TASK, LEGOS_APP (when given), LEGOS_USER, LEGOS_STORE,
    LEGOS_ROOT and LEGOS_WORKDIR: a session started with them knows where it is and
    publishes back to the right asset.

    \b
    Example:
      eval "$(legos context demo/chr/skaarj --task model --app blender)"
    """
    with ctx.open() as lg:
        env = lg.workdir(asset, task=task, app=app, user=user).environment()
    if ctx.as_json or shell == "json":
        output.emit_json(env)
    else:
        for key, value in env.items():
            click.echo(f"export {key}={shlex.quote(value)}")
