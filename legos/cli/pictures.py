"""`--format dot|mermaid|svg|png` for lineage commands: a Closure drawn by legos.drawing."""

from __future__ import annotations

import sys
from collections.abc import Callable, Set
from typing import Any

import click

FORMATS = ("table", "dot", "mermaid", "svg", "png")


def picture_options(fn: Callable) -> Callable:
    fn = click.option("-o", "--output", "output_path", metavar="FILE",
                      help="Write the picture here (needed for png on a terminal).")(fn)
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                        show_default=True,
                        help="A table, or a picture of the subgraph: dot, mermaid, svg, png.")(fn)


def draw(closure: Any, fmt: str, output_path: str | None, *, stale: Set[str] = frozenset(),
         title: str | None = None) -> None:
    """Render `closure` (legos.lineage.Closure) and write it to `output_path` or stdout."""
    from legos.drawing import from_closure, render

    nodes, edges = from_closure(closure, stale)
    picture = render(nodes, edges, fmt, title=title)
    if output_path:
        with open(output_path, "wb") as out:
            out.write(picture)
        click.echo(output_path, err=True)
    elif fmt == "png" and sys.stdout.isatty():
        raise click.UsageError("a PNG on a terminal is noise: pass -o FILE.png")
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(picture)
        sys.stdout.buffer.flush()
