"""`legos usd ...`: dependencies of a USD file, freezing it to a pin set, pins directories,
package versions assembled as stages.

usd-core and the store load inside the commands, so that `legos --help` stays instant.
"""

from __future__ import annotations

import click

from legos.cli import output
from legos.cli.base import CommandContext, cli, command


@cli.group("usd")
def usd() -> None:
    """USD files and legos: dependencies, frozen copies, pins directories, assembled stages.

    \b
    Example:
      legos usd assemble 'legos:/demo/chr/skaarj/lookdev?version=2' -o skaarj.usda
      legos usd deps shot.usda
      legos usd freeze shot.usda --pins sh0040.json -o /farm/sh0040
      legos usd pins sh0040.json --dir /shots/sh0040/pins
    """


@command(usd, "deps")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--pins-dir", metavar="DIR",
              help="Resolve search-path references through this pins directory.")
def deps_cmd(ctx: CommandContext, file: str, pins_dir: str | None) -> None:
    """Every layer and asset a USD file needs, with the legos version each belongs to.

    Files outside the publish root that are byte-identical to a published file are shown as
    copies of it; everything else is unmanaged. Paths USD cannot resolve are listed last.

    \b
    Example:
      legos usd deps shot.usda
      legos usd deps shot.usda --pins-dir /shots/sh0040/pins --json
    """
    from legos.usd.dependencies import analyse_dependencies
    from legos.usd.layers import check_usd_file

    check_usd_file(file)  # a wrong path is the first thing to say, before the store is asked
    with ctx.open() as lg:
        found = analyse_dependencies(lg, file, pins_dir)
    if ctx.as_json:
        output.emit_json([d.to_json() for d in found])
        return
    output.table(None, ["type", "path", "legos"],
                 [(d.type, d.path, d.uri or (f"copy of {d.copy_of}" if d.copy_of else
                                             "" if d.type == "unresolved" else "unmanaged"))
                  for d in found])


_REASONS = {
    "unmanaged": "not managed by legos; the copy names it by absolute path",
    "unresolved": "does not resolve (it did not before either)",
    "unmatched": "matches no pinned asset; left as authored",
}


@command(usd, "freeze")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--pins", "manifest_path", required=True, metavar="MANIFEST",
              help="The pin set's manifest (JSON) to freeze to.")
@click.option("-o", "--output", "out", required=True, metavar="DIR",
              help="Folder for the frozen copy (new, empty, or an earlier frozen copy).")
@click.option("--scope", default="", metavar="S",
              help="Scope of the manifest to resolve from, e.g. crowd/row3 (default: top).")
def freeze_cmd(ctx: CommandContext, file: str, manifest_path: str, out: str, scope: str) -> None:
    """Write a copy of a USD file whose every asset path names a pinned file.

    The copy renders the same anywhere, with no resolver setup and no database: references
    to any version of a pinned asset, search paths such as @chr/skaarj/model/model.usd@
    and legos:/ URIs all become the manifest's files. Prints the frozen root layer.

    \b
    Example:
      legos usd freeze shot.usda --pins sh0040.json -o /farm/sh0040
      legos usd freeze crowd.usda --pins sh0040.json -o /farm/crowd --scope crowd
    """
    from legos.pins.manifest import read
    from legos.usd.freeze import freeze

    result = freeze(file, read(manifest_path), out, scope)
    if ctx.as_json:
        output.emit_json(result.to_json())
        return
    click.echo(str(result.output))
    for path in result.left_alone:
        click.echo(f"legos: warning: @{path.authored}@ in {path.layer}: {_REASONS[path.status]}",
                   err=True)


@command(usd, "pins")
@click.argument("manifest_path", metavar="MANIFEST", type=click.Path(dir_okay=False))
@click.option("--dir", "directory", required=True, metavar="DIR",
              help="The pins directory to build or switch (a symlink legos manages).")
@click.option("--scope", default="", metavar="S",
              help="Scope of the manifest to pin from, e.g. crowd (default: top).")
def pins_cmd(ctx: CommandContext, manifest_path: str, directory: str, scope: str) -> None:
    """Build a pins directory: one folder link per pinned asset, for USD's search paths.

    Open USD with the directory as a search path (PXR_AR_DEFAULT_SEARCH_PATH=DIR, or a
    resolver context) and @chr/skaarj/model/model.usd@ composes the pinned version.
    Running it again with another manifest switches all pins at once.

    \b
    Example:
      legos usd pins sh0040.json --dir /shots/sh0040/pins
      PXR_AR_DEFAULT_SEARCH_PATH=/shots/sh0040/pins usdview shot.usda
    """
    from legos.pins.manifest import read
    from legos.usd.pins_dir import build_pins_dir

    built = build_pins_dir(read(manifest_path), directory, scope)
    if ctx.as_json:
        output.emit_json(built.to_json())
        return
    output.table(str(built.path), ["asset", "version folder"], sorted(built.links.items()))
    for uri in built.skipped:
        click.echo(f"legos: note: {uri} has no files: nothing to link", err=True)


@command(usd, "assemble")
@click.argument("uri")
@click.option("--pins", "manifest_path", metavar="MANIFEST",
              help="A pin set's manifest: its pinned versions replace the members'.")
@click.option("--select", "rule", metavar="RULE",
              help="Re-choose every member (and every file they name) by a selector: "
                   "latest, approved, tag:NAME, ...")
@click.option("-o", "--output", "out", required=True, metavar="STAGE",
              help="The stage to write (.usda); its asset paths are absolute.")
def assemble_cmd(ctx: CommandContext, uri: str, manifest_path: str | None, rule: str | None,
                 out: str) -> None:
    """Write a package version (or one asset version) as a USD stage ready to render.

    One prim per package and per member, each member's entry file referenced at its exact
    version with its legos URI in assetInfo; looks bound on their models, render settings under
    /Render aimed at the package's camera. A shot package becomes one sublayer per department
    (written beside the stage). Prints the stage's path; see docs/usd-assembly.md.

    \b
    Example:
      legos usd assemble 'legos:/demo/chr/skaarj/lookdev?version=2' -o skaarj.usda
      legos usd assemble legos:/demo/chr/skaarj/lookdev --select latest -o latest.usda
      legos usd assemble legos:/demo/seq010/sh0040 --pins sh0040.json -o sh0040.usda
    """
    from legos.usd.assemble import assemble

    with ctx.open() as lg:
        assembly = assemble(lg, uri, pins=manifest_path, select=rule)
    path = assembly.save(out)
    if ctx.as_json:
        output.emit_json({"stage": str(path), **assembly.to_json()})
        return
    click.echo(str(path))
    for warning in assembly.warnings:
        click.echo(f"legos: warning: {warning}", err=True)
