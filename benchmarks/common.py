"""What the benchmarks share: logging, timing, and the two backends to measure on."""

from __future__ import annotations

import importlib.util
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from legos.api import Legos
from legos.store import open_store

REPO = Path(__file__).resolve().parent.parent


class BenchmarkError(click.ClickException):
    """A wrong answer or an unusable backend: the run fails loudly."""


# the options every graph benchmark takes, spelt once
SIZE_OPTION = click.option("--size", type=float, default=1.0, show_default=True,
                           help="graph size: 1.0 is ~100k nodes and ~500k edges")
SEED_OPTION = click.option("--seed", type=int, default=None,
                           help="generator seed (default: the fixed one)")
BACKEND_OPTION = click.option("--backend", type=click.Choice(["embedded", "neo4j", "both"]),
                              default="embedded", show_default=True)
JSON_OPTION = click.option("--json", "as_json", is_flag=True,
                           help="print only a JSON list of records")
NEO4J_URI_OPTION = click.option(
    "--neo4j-uri", envvar="LEGOS_BENCH_NEO4J_URI", default=None,
    help="a Neo4j to use (it is WIPED); default: start one from scripts/neo4j_server.py")


def log(message: str) -> None:
    click.echo(f"[{time.strftime('%H:%M:%S')}] {message}", err=True)


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


# -- backends --------------------------------------------------------------------------------

@contextmanager
def embedded(work_dir: Path) -> Iterator[str]:
    yield str(work_dir / "store")


@contextmanager
def neo4j(uri: str | None, heap: str = "2g", pagecache: str = "1g") -> Iterator[str]:
    """A Bolt URI: the one given, else a throw-away server from scripts/neo4j_server.py (with
    that heap and page cache)."""
    if uri:
        yield uri
        return
    helper = REPO / "scripts" / "neo4j_server.py"
    if not helper.is_file():
        raise BenchmarkError(f"no --neo4j-uri and no server helper at {helper}")
    spec = importlib.util.spec_from_file_location("neo4j_server", helper)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["neo4j_server"] = module
    spec.loader.exec_module(module)
    log("starting a throw-away Neo4j server (scripts/neo4j_server.py)")
    # the defaults (512 MB heap, 128 MB page cache) are for the small test graphs
    server = module.Neo4jServer(heap=heap, pagecache=pagecache)
    started, _ = timed(server.start)
    log(f"Neo4j {server.version} up at {server.uri} in {started:.1f} s")
    try:
        yield server.uri
    finally:
        server.stop()


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def open_empty(location: str, root: Path) -> Legos:
    if location.startswith(("bolt", "neo4j")):
        with open_store(location, schema=False) as store:  # wipe before the schema's Meta
            store.wipe()
    elif Path(location).exists():
        raise BenchmarkError(f"{location} exists: give an empty --work-dir")
    return Legos(open_store(location, create=True), root=root)
