"""`legos export`, `legos import`, `legos digest`: backups and moves between backends.

Thin shells over legos.operations.archive_*; the format is docs/archive-format.md.
"""

from __future__ import annotations

import click

from legos.cli import output
from legos.cli.base import CommandContext, cli, command


@command(cli, "export")
@click.option("-o", "--output", "output_path", required=True, metavar="ARCHIVE",
              help="The archive to write (.tar; .tar.gz or .tgz to compress).")
@click.option("--project", "projects", multiple=True, metavar="P",
              help="Only this project's part of the graph. Repeatable.")
@click.option("--with-files", is_flag=True, help="Also archive every published file.")
def export_cmd(ctx: CommandContext, output_path: str, projects: tuple[str, ...],
               with_files: bool) -> None:
    """Write a consistent snapshot of the graph (and the files) to ARCHIVE.

    One read transaction: it runs beside publishes. A project whose versions use versions
    of another project is refused unless that one is exported with it.

    \b
    Example:
      legos export -o studio.tar
      legos export --project demo --with-files -o demo.tar.gz
    """
    from legos.model import validate_project_code

    for code in projects:
        validate_project_code(code)
    with ctx.open() as lg:
        report = lg.export(output_path, projects=list(projects) or None, with_files=with_files)
    fields = {"archive": str(report.path), "digest": report.digest, "nodes": report.nodes,
              "relationships": report.relationships, "files": report.files,
              "bytes": report.bytes, "seconds": round(report.seconds, 3)}
    if ctx.as_json:
        output.emit_json(fields)
    else:
        output.fields([(k, str(v)) for k, v in fields.items()])


@command(cli, "import")
@click.argument("archive", metavar="ARCHIVE")
def import_cmd(ctx: CommandContext, archive: str) -> None:
    """Import ARCHIVE (from `legos export`) into an empty store of either backend.

    The store is made when missing; one holding anything but its settings is refused. The
    publish root is --root (else the store's recorded root, else STORE/publish for an
    embedded store); an archive made --with-files puts its files there, checked and
    read-only. An older archive is upgraded after the import; a newer one is refused.

    \b
    Example:
      legos import studio.tar --store bolt://db.studio:7687 --root /mnt/publish
      legos import demo.tar.gz --store ~/offline-demo --root ~/offline-demo/publish
    """
    import legos.api

    report = legos.api.import_archive(archive, ctx.store, ctx.root)
    fields = dict(report.__dict__)
    if ctx.as_json:
        output.emit_json(fields)
    else:
        output.fields([(k, str(v)) for k, v in fields.items() if k != "seconds"])


@command(cli, "digest")
@click.option("--project", "projects", multiple=True, metavar="P",
              help="Only this project's part of the graph (as `export --project`). Repeatable.")
def digest_cmd(ctx: CommandContext, projects: tuple[str, ...]) -> None:
    """The canonical sha256 of the graph's content, the same on either backend.

    It leaves out what belongs to one store (its root, root id and schema record), so a
    store and its copy through export/import agree.

    \b
    Example:
      legos digest --store ~/legos-store
      legos digest --project demo --store bolt://db.studio:7687
    """
    with ctx.open() as lg:
        value = lg.digest(list(projects) or None)
    if ctx.as_json:
        output.emit_json({"digest": value, "projects": list(projects) or None})
    else:
        click.echo(value)
