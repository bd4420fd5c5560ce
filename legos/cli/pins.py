"""The pin-set and resolution commands: resolve, pin, pins diff, bundle."""

from __future__ import annotations

from typing import Any

import click

from legos.cli import output
from legos.cli.base import CommandContext, cli, command


def _mount() -> str | None:
    """`--root` given on the command line: where a manifest's root is mounted here. Not from
    $LEGOS_ROOT, which names the store's root and would misplace a bundle's manifest."""
    from click.core import ParameterSource

    here = click.get_current_context()
    for context in (here, here.find_root()):
        if context.get_parameter_source("root") == ParameterSource.COMMANDLINE:
            return str(context.params["root"])
    return None


def _resolved_document(resolved: Any) -> dict[str, Any]:
    return {"uri": resolved.uri, "asset": resolved.asset, "version": resolved.version,
            "path": resolved.path, "overridden": resolved.overridden}


@command(cli, "resolve")
@click.argument("uri")
@click.option("--pins", "manifest", metavar="MANIFEST",
              help="Resolve from this frozen manifest only (no database). With --root DIR, the "
                   "manifest's root is read as mounted at DIR ($LEGOS_ROOT does not remap: a "
                   "manifest may be a bundle's).")
@click.option("--scope", default="", help="Scope inside the manifest, e.g. crowd.")
@click.option("--overrides", metavar="FILE",
              help="JSON mapping asset URIs to work files, for this resolution only "
                   "(also $LEGOS_PIN_OVERRIDES).")
def resolve_cmd(ctx: CommandContext, uri: str, manifest: str | None, scope: str,
                overrides: str | None) -> None:
    """Turn a URI into a file path: from a manifest (no database), or from the store.

    \b
    Example:
      legos resolve 'legos:/demo/chr/skaarj/model?rep=usd' --pins sh0040.json
      legos resolve legos:/demo/chr/skaarj/model --pins sh0040.json --root /Volumes/publish
      legos resolve 'legos:/demo/chr/skaarj/model?status=approved'
    """
    if manifest is not None:
        from legos.pins.manifest import read
        from legos.pins.resolver import ManifestResolver, read_overrides

        resolver = ManifestResolver(read(manifest),
                                    read_overrides(overrides) if overrides else None,
                                    root=_mount())
        resolved = resolver.resolve(uri, scope)
    else:
        if overrides or scope:
            from legos.errors import InvalidInputError

            raise InvalidInputError("--scope and --overrides apply to a manifest: add --pins")
        with ctx.open() as lg:
            resolved = lg.resolve(uri)
    if ctx.as_json:
        output.emit_json(_resolved_document(resolved))
    else:
        click.echo(resolved.path)


def _parse_include(text: str) -> tuple[str, str]:
    from legos.errors import InvalidInputError

    scope, sep, path = text.partition("=")
    if not sep or not scope or not path:
        raise InvalidInputError(f"--include {text!r} must be SCOPE=MANIFEST, e.g. crowd=skaarj_v1.json")
    return scope, path


@command(cli, "pin")
@click.argument("uri")
@click.option("-o", "--output", "output_path", required=True, metavar="MANIFEST",
              help="Where to write the manifest (JSON).")
@click.option("--select", default="exact", show_default=True,
              help="How to choose each asset's version: exact (as recorded), latest, approved, "
                   "status:S, tag:T, at:TIME.")
@click.option("--name", help="The pin set's name (default: from the asset name).")
@click.option("--scope", default="", help="Scope for this pin set's own pins.")
@click.option("--include", "includes", multiple=True, metavar="SCOPE=MANIFEST",
              help="Nest another pin set under SCOPE. Repeatable.")
@click.option("--allow-missing", is_flag=True,
              help="Keep the recorded version of assets the selector finds nothing for.")
@click.option("--user", help="Who pins (default $LEGOS_USER or the login name).")
@click.option("--force", is_flag=True, help="Replace MANIFEST if it exists (refused otherwise).")
def pin_cmd(ctx: CommandContext, uri: str, output_path: str, select: str, name: str | None,
            scope: str, includes: tuple[str, ...], allow_missing: bool,
            user: str | None, force: bool) -> None:
    """Freeze everything a package or shot uses into a pin set and write its manifest.

    \b
    Example:
      legos pin 'legos:/demo/seq010/sh0040?version=3' -o sh0040.json
      legos pin legos:/demo/seq010/sh0040 --select approved -o sh0040.json \\
          --include crowd=skaarj_v1.json
    """
    with ctx.open() as lg:
        result = lg.pin(uri, output=output_path, name=name, select=select, scope=scope,
                        includes=[_parse_include(i) for i in includes],
                        allow_missing=allow_missing, user=user, force=force)
    manifest = result.manifest
    for line in result.conflicts:
        click.echo(f"legos: note: {line}", err=True)
    for line in result.mismatches:
        click.echo(f"legos: warning: {line}", err=True)
    if ctx.as_json:
        output.emit_json({"manifest": str(manifest.path), "name": manifest.name,
                          "uid": manifest.uid, "hash": manifest.content_hash(),
                          "pins": sum(1 for _ in manifest.pins()),
                          "conflicts": result.conflicts, "mismatches": result.mismatches})
    else:
        click.echo(f"{manifest.path}: {sum(1 for _ in manifest.pins())} pins, "
                   f"{manifest.content_hash()[:19]}")


@cli.group("pins")
def pins_group() -> None:
    """Work with frozen manifests (pin sets).

    \b
    Example:
      legos pins diff sh0040_v1.json sh0040_v2.json
    """


@command(pins_group, "export")
@click.argument("pinset")
@click.option("-o", "--output", "output_path", required=True, metavar="MANIFEST",
              help="Where to write the manifest (JSON).")
@click.option("--force", is_flag=True, help="Replace MANIFEST if it exists (refused otherwise).")
def pins_export_cmd(ctx: CommandContext, pinset: str, output_path: str, force: bool) -> None:
    """Rebuild a recorded pin set's manifest from the graph (PINSET: its uid, or its name when
    only one pin set has it): the same document, with the same hash, as when it was pinned.

    \b
    Example:
      legos pins export 3f2a9c0d5e8b4a71b6c2d9e0f1a2b3c4 -o sh0040.json
    """
    with ctx.open() as lg:
        manifest = lg.export_pins(pinset, output_path, force=force)
    if ctx.as_json:
        output.emit_json({"manifest": str(manifest.path), "name": manifest.name,
                          "uid": manifest.uid, "hash": manifest.content_hash(),
                          "pins": sum(1 for _ in manifest.pins())})
    else:
        click.echo(f"{manifest.path}: {sum(1 for _ in manifest.pins())} pins, "
                   f"{manifest.content_hash()[:19]}")


@command(pins_group, "diff")
@click.argument("first")
@click.argument("second")
def pins_diff_cmd(ctx: CommandContext, first: str, second: str) -> None:
    """What changed between two manifests: added, removed and re-versioned pins.

    \b
    Example:
      legos pins diff sh0040_v1.json sh0040_v2.json --json
    """
    from legos.pins.manifest import read
    from legos.pins.pinset import diff

    changes = diff(read(first), read(second))
    if ctx.as_json:
        output.emit_json(changes)
    else:
        output.table(f"{first} -> {second}", ["change", "scope", "asset", "from", "to"],
                      [(c["change"], c["scope"], c["uri"], c["from_version"], c["to_version"])
                       for c in changes])


@command(cli, "bundle")
@click.argument("manifest_path", metavar="MANIFEST")
@click.option("--to", "destination", required=True, metavar="DIR",
              help="New, empty folder for the files and the relocated manifest.")
def bundle_cmd(ctx: CommandContext, manifest_path: str, destination: str) -> None:
    """Copy every file a pin set needs to a new root, with a relocated manifest, and verify it.

    \b
    Example:
      legos bundle sh0040.json --to /mnt/vendor/sh0040
      legos bundle sh0040.json --to /mnt/vendor/sh0040 --root /Volumes/publish

    USD layers that would reach outside the bundle are rewritten to paths inside it; every
    layer is then opened from the bundle to check it needs nothing else. --root reads the
    manifest's publish root as mounted there.
    """
    from legos.pins.bundle import BundleError, bundle, verify
    from legos.pins.manifest import read

    relocated = bundle(read(manifest_path), destination, root=_mount())
    problems = verify(relocated)
    if problems:
        raise BundleError("the bundle does not verify: " + "; ".join(problems[:5]))
    files = {f.path for _s, p in relocated.pins() for f in p.files.values()}
    if ctx.as_json:
        output.emit_json({"manifest": str(relocated.path), "root": relocated.root,
                          "files": len(files), "hash": relocated.content_hash()})
    else:
        click.echo(f"{relocated.path}: {len(files)} files under {relocated.root}")
