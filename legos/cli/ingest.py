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
            error = (record.error or "").removeprefix(f"{record.source}: ")  # named already
            click.echo(f"{record.status:7} {record.uri or record.source}"
                       + (f": {error}" if error else ""), err=record.failed)
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


@command(ingest, "texture")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--project", required=True, metavar="P", help="Project code.")
@click.option("--prefix", metavar="PATH", help="Each file becomes PATH/<file stem>.")
@click.option("--asset", metavar="PATH", help="The asset of a single texture.")
@click.option("--colorspace", metavar="NAME",
              help="The files' colour space (default: the config's rules, then legos's).")
@click.option("--ocio-config", metavar="CONFIG",
              help="OCIO config (default $OCIO, else the pinned ACES studio config).")
@click.option("--format", "fmt", type=click.Choice(["exr", "tx"]), default="exr",
              show_default=True, help="Transcoded texture format.")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Textures transcoded at once (bounded by cores and memory).")
@click.option("--dry-run", is_flag=True, help="Publish nothing; say what would be done.")
@click.option("--comment", default="", help="Comment on the new versions.")
@click.option("--user", help="Publishing user (default $LEGOS_USER or the login name).")
def texture_cmd(ctx: CommandContext, files: tuple[str, ...], project: str,
                prefix: str | None, asset: str | None, colorspace: str | None,
                ocio_config: str | None, fmt: str, jobs: int, dry_run: bool, comment: str,
                user: str | None) -> None:
    """Ingest image files as TextureAssets: tiled, mipmapped, colour-managed textures.

    Each file (the tiles of a UDIM set together) becomes the next version of PREFIX/<stem>:
    the transcoded texture (ACEScg half-float OpenEXR; data maps such as normal or roughness
    stay raw) is its entry, the untouched source is kept under source/, with a thumbnail,
    image facts and the transcode's provenance. A source transcoded before with the same
    config and settings is reused, and republishing it publishes nothing.

    \b
    Example:
      legos ingest texture drop/*.png --project demo --prefix lib/tex --jobs 2
      legos ingest texture hdri.hdr --project demo --asset env/office --json
    """
    with ctx.open() as lg:
        records = lg.ingest_texture(list(files), project=project, prefix=prefix, asset=asset,
                                    colorspace=colorspace, ocio_config=ocio_config, fmt=fmt,
                                    jobs=jobs, dry_run=dry_run, comment=comment, user=user)
    _report(ctx, records)


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


def _print_versions(ctx: CommandContext, records: list[Any]) -> bool:
    """One line per version (which source version becomes which store version, or why it
    fails), its notes indented; JSON: the records. True when one failed."""
    if ctx.as_json:
        output.emit_json([r.to_json() for r in records])
        return any(r.failed for r in records)
    for record in records:
        would = record.extra.get("dry_run") and record.status == "ok"
        where = f"{record.uri or record.extra['asset']} <- {record.source}"
        if record.error:
            click.echo(f"{record.status:7} {where}: {record.error}", err=True)
            continue
        planned = f" ({record.kind}, entry {record.extra['entry']})" \
            if "entry" in record.extra else ""
        if record.status == "skipped":
            planned = " (already in the store with this content)"
        click.echo(f"{'would' if would else record.status:7} {where}{planned}")
        for note in record.extra.get("notes", []):
            click.echo(f"          note: {note}", err=True)
    return any(r.failed for r in records)


@command(ingest, "project")
@click.argument("folder", type=click.Path())
@click.option("--template", required=True, metavar="T",
              help="Path template of the tree, relative to FOLDER: {asset} (one or more "
                   "folders), {version}, optionally {kind} and {project}, ending in /{file}.")
@click.option("--project", required=True, metavar="P", help="Project code to publish into.")
@click.option("-o", "--output", required=True, metavar="PLAN.json", type=click.Path(),
              help="Where to write the plan (JSON, editable).")
@click.option("--kind-rule", "kind_rules", multiple=True, metavar="PATTERN=KIND",
              help="Kind of the versions whose asset name or folder matches the glob PATTERN, "
                   "over the guess from their files (repeatable; the first match wins).")
@click.option("--project-file", metavar="FILE.toml", type=click.Path(),
              help="Also write the project file: an entry per asset and shot found (an "
                   "existing FILE keeps its entries and settings; docs/projects.md).")
def project_cmd(ctx: CommandContext, folder: str, template: str, project: str, output: str,
                kind_rules: tuple[str, ...], project_file: str | None) -> None:
    """Plan the ingest of an existing publish tree: scan it by its path template, write a plan.

    Each version folder becomes a version of its asset: its files (with their layout), a kind
    guessed from them (USD/OBJ/glTF/FBX: ModelAsset; USD defining only materials, MaterialX
    or MTL: MaterialAsset; images only: TextureAsset; else FileAsset), its entry file, and
    the dependencies its USD layers, MTL, OBJ, glTF and MaterialX files name in other
    version folders of the tree. Versions are listed dependencies first; the i-th source
    version of an asset becomes store version i. The tree is only read, the store not at
    all. Edit the plan if needed, then run `legos ingest apply`.

    \b
    Example:
      legos ingest project /shows/old --template '{asset}/v{version:03}/{file}' \\
        --project demo -o plan.json --kind-rule 'tex/*=TextureAsset' --project-file demo.toml
    """
    from legos.ingest.project import make_plan

    plan = make_plan(folder, template=template, project=project, kind_rules=kind_rules)
    written = plan.save(output)
    if project_file:
        from legos.projects.inventory import write_project_file

        click.echo(f"project file {write_project_file(plan.data, project_file)}", err=True)
    failed = _print_versions(ctx, plan.records)
    unmatched = plan.data["unmatched"]
    click.echo(f"plan {written}: {len(plan.records)} version(s)"
               + (f", {sum(r.failed for r in plan.records)} failed" if failed else "")
               + (f"; {len(unmatched)} file(s) outside every version folder (listed under "
                  "\"unmatched\")" if unmatched else ""), err=True)
    if failed:
        sys.exit(1)


@command(ingest, "apply")
@click.argument("plan", type=click.Path())
@click.option("--dry-run", is_flag=True, help="Publish nothing; say what would be done.")
@click.option("--comment", default="", help="Comment on the new versions (default: where "
                                              "each came from).")
@click.option("--user", help="Publishing user (default $LEGOS_USER or the login name).")
@click.option("--project-file", metavar="FILE.toml", type=click.Path(),
              help="Define the project from this file first (created, or loaded as a merge), "
                   "so its publish template and inventory apply.")
def apply_cmd(ctx: CommandContext, plan: str, dry_run: bool, comment: str,
              user: str | None, project_file: str | None) -> None:
    """Publish a plan of `legos ingest project`, dependencies first.

    The i-th source version of an asset becomes store version i, its dependencies mapped the
    same way. A version the store already has with the same content hash is skipped (so
    running it again is safe); one with that number and other content fails, naming both
    hashes. A version whose dependency or earlier version failed fails too; every other one
    is published. The tree is only read.

    \b
    Example:
      legos ingest apply plan.json --dry-run
      legos ingest apply plan.json --json --project-file demo.toml
    """
    from legos.ingest.project_apply import apply_plan

    with ctx.open() as lg:
        if project_file:
            from legos.projects.inventory import define_from_file

            for line in define_from_file(lg, plan, project_file, dry_run=dry_run, user=user):
                click.echo(line, err=True)
        records = apply_plan(lg, plan, dry_run=dry_run, comment=comment, user=user,
                             progress=output.stderr_progress("publishing"))
    if _print_versions(ctx, records):
        sys.exit(1)
