"""What every legos command shares: the root group, the common options, error handling.

Command modules (main.py, pins.py, usd.py) add their commands to `cli` with `@command(cli, ...)`.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click


class CommandContext:
    def __init__(self, store: str | None, root: str | None, as_json: bool, debug: bool,
                 read_only: bool | None = None) -> None:
        self.store, self.root, self.as_json, self.debug = store, root, as_json, debug
        self.read_only = read_only  # --read-only; None: $LEGOS_READ_ONLY decides

    def open(self) -> Any:
        import legos.api

        return legos.api.open(self.store, self.root, read_only=self.read_only)

    def open_recorded(self) -> Any:
        """The store with its recorded root, ignoring --root (for commands that change it)."""
        import legos.api

        return legos.api.open(self.store, read_only=self.read_only)


def _log_to_stderr() -> None:
    """legos's warnings (a store being waited for, a publish repeating its latest version) go to
    stderr as they are, one line each."""
    import logging

    logger = logging.getLogger("legos")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def command(group: click.Group, name: str, **kwargs: Any) -> Callable:
    """A command with the options every command takes, and LegosError turned into a message."""

    def wrap(fn: Callable) -> Callable:
        @group.command(name, **kwargs)
        @click.option("--store", envvar="LEGOS_STORE", metavar="S",
                      help="Store: a directory (embedded) or a bolt:// / neo4j:// URI.")
        @click.option("--root", "root", envvar="LEGOS_ROOT", metavar="DIR",
                      help="Publish root override (else the one `legos init` recorded).")
        @click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
        @click.option("--debug", is_flag=True, help="Show tracebacks.")
        @click.option("--read-only", "read_only", is_flag=True,
                      help="Refuse every write (also LEGOS_READ_ONLY=1).")
        @functools.wraps(fn)
        def run(store: str | None, root: str | None, as_json: bool, debug: bool,
                read_only: bool, **params: Any) -> None:
            from legos.errors import LegosError

            # the same options given before the command name (`legos --store S deps ...`)
            here = click.get_current_context()
            ctx = CommandContext(_given(here, "store", store), _given(here, "root", root),
                                 as_json or (here.find_root().obj or {}).get("as_json", False),
                                 debug or (here.find_root().obj or {}).get("debug", False),
                                 True if read_only or (here.find_root().obj or {}).get(
                                     "read_only") else None)
            _log_to_stderr()
            try:
                fn(ctx, **params)
            except LegosError as exc:
                if debug:
                    raise
                click.echo(f"legos: error: {exc}", err=True)
                sys.exit(1)
            except OSError as exc:
                # the last net: the core turns the file errors it expects into LegosErrors
                if debug:
                    raise
                where = f" ({exc.filename})" if exc.filename else ""
                click.echo(f"legos: error: {exc.strerror or exc}{where}: check the path and "
                           "its permissions (--debug shows where it happened)", err=True)
                sys.exit(1)
        return run
    return wrap


def _given(here: click.Context, name: str, value: str | None) -> str | None:
    """An option typed on the command line, before or after the command name, beats the same
    one from the environment (`LEGOS_STORE=a legos --store b ls` uses b)."""
    from click.core import ParameterSource

    top = here.find_root()
    if here.get_parameter_source(name) == ParameterSource.COMMANDLINE:
        return value
    if top.get_parameter_source(name) == ParameterSource.COMMANDLINE:
        return (top.obj or {}).get(name)
    return value or (top.obj or {}).get(name)


def _parse_as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    if value is None:
        return None
    from legos.errors import LegosError
    from legos.uri import parse_time

    try:
        return parse_time(value)
    except LegosError as exc:
        raise click.BadParameter(str(exc)) from None


def as_of_option(fn: Callable) -> Callable:
    """`--as-of TIME`: ask the question as the graph stood then (see legos.as_of)."""
    return click.option("--as-of", "as_of", metavar="TIME", callback=_parse_as_of,
                        help="Answer as the graph stood at this UTC time, e.g. "
                             "2026-03-01T18:00:00Z or 2026-03-01.")(fn)


def exact_uri(lg: Any, uri: str, as_of: Any = None) -> str:
    """The exact version URI a (possibly rule-based) URI names, as of a time: for titles."""
    return lg.show(uri, as_of=as_of).uri


class _RootGroup(click.Group):
    """The `legos` group: Ctrl-C in any command is one line and exit status 130 (what shells
    report for SIGINT), not click's bare "Aborted!" with status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            # whatever was under way cleaned up on its way out (a publish puts its folder back)
            click.echo("legos: interrupted", err=True)
            sys.exit(130)


@click.group(cls=_RootGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="legos")
@click.option("--store", envvar="LEGOS_STORE", metavar="S",
              help="Store: a directory (embedded) or a bolt:// / neo4j:// URI.")
@click.option("--root", envvar="LEGOS_ROOT", metavar="DIR", help="Publish root override.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.option("--read-only", "read_only", is_flag=True,
              help="Refuse every write: open the store for reading only (LEGOS_READ_ONLY=1).")
@click.pass_context
def cli(ctx: click.Context, store: str | None, root: str | None, as_json: bool,
        debug: bool, read_only: bool) -> None:
    """legos: asset management for VFX and animation on a graph database.

    \b
    Example:
      legos init --root /studio/publish
      legos publish demo/chr/skaarj/tex/albedo --kind TextureAsset --file albedo.png
      legos deps 'legos:/demo/chr/skaarj/lookdev?version=3'

    Every command also takes --store, --root, --json, --debug and --read-only, before or
    after its name.
    """
    ctx.obj = {"store": store, "root": root, "as_json": as_json, "debug": debug,
               "read_only": read_only}
