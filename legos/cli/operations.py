"""Commands that run a store: verify, gc (and export, import, digest, events).

Each command is a thin shell over legos.operations; heavy modules load inside the commands.
"""

from __future__ import annotations

import sys

import click

from legos.cli import output
from legos.cli.base import CommandContext, cli, command


def _size(count: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if count < 1024 or unit == "GiB":
            return f"{count} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024  # type: ignore[assignment]
    return str(count)


@command(cli, "verify")
@click.argument("project", required=False)
@click.option("--quick", is_flag=True, help="Sizes and modes only (no hashing).")
@click.option("--jobs", type=click.IntRange(min=1), metavar="N",
              help="Files hashed at once (default: one per core).")
@click.option("--fix", is_flag=True, help="Make safe repairs: restore read-only bits, move what "
              "no version owns to ROOT.quarantine beside the root. Never touches published "
              "content; a hash mismatch is only reported.")
def verify_cmd(ctx: CommandContext, project: str | None, quick: bool, jobs: int | None,
               fix: bool) -> None:
    """Check that the publish root and the graph agree; exit 1 when anything is wrong.

    Every version's files must be under the root with their recorded size and sha256 and be
    read-only; entry files and dependency/member edges must be whole; nothing under the root
    may be owned by no version. Finding kinds: missing, size, hash, writable, partial, entry,
    edge, stray, orphan, staging. With --json: a list of {kind, uri, path, detail} records
    (and "fixed" for what --fix did).

    \b
    Example:
      legos verify                     # the whole root, hashing every file
      legos verify demo --quick        # one project, sizes and modes only
      legos verify --fix --json        # repair what is safe, list everything
    """
    with ctx.open() as lg:
        report = lg.verify(project, quick=quick, jobs=jobs, fix=fix)
    if ctx.as_json:
        output.emit_json([f.record() for f in report])
    else:
        for f in report:
            fixed = f"  [fixed: {f.fixed}]" if f.fixed else ""
            click.echo(f"{f.kind:8} {f.uri or '-'} {f.path or '-'}: {f.detail}{fixed}")
        checked = (f"{report.files} files ({_size(report.bytes)}) of {report.versions} versions"
                   f"{' (sizes and modes)' if quick else ''}")
        wrong = len(report.unfixed)
        if not report:
            click.echo(f"verify: {checked} checked: nothing wrong")
        else:
            click.echo(f"verify: {checked} checked: {wrong} problem(s)"
                       f"{f', {len(report) - wrong} fixed' if fix else ''}", err=bool(wrong))
    if report.unfixed:
        sys.exit(1)


@command(cli, "gc")
@click.option("--older-than", "older_than", type=click.FloatRange(min=0), metavar="HOURS",
              help="Only leftovers at least this old.")
@click.option("--dry-run", is_flag=True, help="List what would be removed; remove nothing.")
def gc_cmd(ctx: CommandContext, older_than: float | None, dry_run: bool) -> None:
    """Remove the staging leftovers of publishes that died (never a live publish's).

    A dead publish's staging copies, its lock, and a version folder it renamed into place
    but never committed (the store is asked). Nothing else is touched: files that no
    version owns are for `legos verify --fix`.

    \b
    Example:
      legos gc --dry-run
      legos gc --older-than 24
    """
    with ctx.open() as lg:
        removed = lg.gc(older_than, dry_run=dry_run)
    if ctx.as_json:
        output.emit_json([r.record() for r in removed])
        return
    verb = "would remove" if dry_run else "removed"
    for r in removed:
        click.echo(f"{verb} {r.kind:7} {r.path} ({r.files} files, {_size(r.bytes)})")
    total = sum(r.bytes for r in removed)
    click.echo(f"gc: {verb} {len(removed)} leftover(s), {_size(total)}" if removed
               else "gc: nothing to remove")
