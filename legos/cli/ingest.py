"""`legos ingest ...`: bringing outside content in (textures, models, USD assets, projects).

The ingest steps (usd-core, MaterialX, OpenImageIO, ...) load inside the commands, so that
`legos --help` stays instant. Every command prints one record per item (`--json`: the records
as JSON) and exits 1 when any item failed, after every other item was done.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from legos.cli import output
from legos.cli.base import CommandContext, cli, command


@cli.group("ingest")
def ingest() -> None:
    """Bring outside content in: vendor textures, models, USD assets, existing projects.

    \b
    Example:
      legos ingest usd vendor/Rook --project demo --asset chr/rook
    """


def _report(ctx: CommandContext, records: list[Any]) -> None:
    """Print the records (JSON, or one line per item and texture) and exit 1 if one failed."""
    if ctx.as_json:
        output.emit_json([r.to_json() for r in records])
    else:
        for record in records:
            for tex in record.extra.get("textures", []):
                click.echo(f"  {tex.status:7} {tex.uri or tex.source}"
                           + (f": {tex.error}" if tex.error else ""), err=tex.failed)
            for problem in record.extra.get("problems", []):
                click.echo(f"  {problem['kind']:10} {problem['error']}", err=True)
            click.echo(f"{record.status:7} {record.uri or record.source}"
                       + (f": {record.error}" if record.error else ""), err=record.failed)
    if any(r.failed or any(t.failed for t in r.extra.get("textures", [])) for r in records):
        sys.exit(1)


@command(ingest, "usd")
@click.argument("path", type=click.Path())
@click.option("--project", required=True, metavar="P", help="Project code.")
@click.option("--asset", required=True, metavar="PATH", help="Asset name, e.g. chr/rook.")
@click.option("--textures-prefix", metavar="PATH",
              help="Where its textures become assets (default ASSET/tex).")
@click.option("--entry", metavar="FILE",
              help="The root layer inside a folder, relative to it.")
@click.option("--kind", default="ModelAsset", show_default=True, help="Kind of the USD asset.")
@click.option("--dry-run", is_flag=True, help="Publish nothing; say what would be published.")
@click.option("--comment", default="", help="Comment on the new versions.")
@click.option("--user", help="Publishing user (default $LEGOS_USER or the login name).")
def usd_cmd(ctx: CommandContext, path: str, project: str, asset: str,
            textures_prefix: str | None, entry: str | None, kind: str, dry_run: bool,
            comment: str, user: str | None) -> None:
    """Ingest a USD asset (its root layer, or its folder) with every texture it uses.

    Every layer it composes (sublayers, references, payloads, in every variant) goes into one
    version with its layout kept, its entry the root layer. Every texture, also those named
    only in MaterialX documents, and UDIM sets, becomes a TextureAsset version the asset
    depends on, with the material input as role; the published layers name the published
    textures by relative paths. Missing files, layers that fail to open and paths leaving
    the folder are reported one by one, and nothing is published then.

    \b
    Example:
      legos ingest usd vendor/Rook --project demo --asset chr/rook --dry-run
      legos ingest usd vendor/Teapot --project demo --asset prop/teapot --entry Teapot.usd
    """
    from legos.ingest.usd_publish import ingest_usd

    with ctx.open() as lg:
        record = ingest_usd(lg, path, project=project, asset=asset,
                            textures_prefix=textures_prefix, entry=entry, kind=kind,
                            dry_run=dry_run, comment=comment, user=user)
    _report(ctx, [record])


@command(ingest, "model")
@click.argument("file", type=click.Path())
@click.option("--project", required=True, metavar="P", help="Project code.")
@click.option("--asset", required=True, metavar="PATH", help="Asset name, e.g. prop/stool.")
@click.option("--textures-prefix", metavar="PATH",
              help="Where its textures become assets (default ASSET/tex).")
@click.option("--blender", metavar="EXE",
              help="A Blender executable to convert with (default $LEGOS_BLENDER, else "
                   "$LEGOS_BLENDER_PYTHON, else .venv-blender).")
@click.option("--up-axis", type=click.Choice(["Y", "Z"]), default="Y", show_default=True,
              help="Up axis of the published USD layer.")
@click.option("--dry-run", is_flag=True, help="Convert, but publish nothing; say what would be.")
@click.option("--comment", default="", help="Comment on the new versions.")
@click.option("--user", help="Publishing user (default $LEGOS_USER or the login name).")
def model_cmd(ctx: CommandContext, file: str, project: str, asset: str,
              textures_prefix: str | None, blender: str | None, up_axis: str, dry_run: bool,
              comment: str, user: str | None) -> None:
    """Ingest a model (OBJ+MTL, glTF, GLB, FBX, USD, USDZ) as a ModelAsset whose entry is USD.

    Blender converts it in a separate process: meshes, normals, UVs and UsdPreviewSurface
    materials, metersPerUnit and upAxis stated, and a Cycles thumbnail. Every texture its
    materials use becomes a TextureAsset version the model depends on, with the material
    input as role; the published layer names the published textures by relative paths. The
    converter, its version and the units/axes decisions are recorded on the version.

    \b
    Example:
      legos ingest model vendor/stool.gltf --project demo --asset prop/stool
      legos ingest model cow.obj --project demo --asset prop/cow --blender /opt/blender/blender
    """
    from legos.ingest.model import ingest_model

    with ctx.open() as lg:
        record = ingest_model(lg, file, project=project, asset=asset,
                              textures_prefix=textures_prefix, blender=blender,
                              up_axis=up_axis, dry_run=dry_run, comment=comment, user=user)
    _report(ctx, [record])
