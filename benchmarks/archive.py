"""Import benchmark: the synthetic production's archive imported into each backend through its
bulk path (legos import), against building the same graph in networkx from the same archive,
in the same run.

    python benchmarks/archive.py --size 1 --backend both --json
    python benchmarks/archive.py --size 10 --backend both --json   # ~1M nodes (minutes)

The archive is written once per size from the seeded generator (legos.testing.archive: what
the bulk loader writes, node for node). Each timed import goes into a new empty store and is
checked afterwards (outside the timing): `legos digest` of the store equals the archive's.
The networkx baseline reads the same archive (tar members, one JSON object per line) and
builds a MultiDiGraph of every node and relationship with its properties: the floor for
"reading this archive into a graph". `ratio_vs_networkx` is the import's median time over the
baseline's (goal of issue 11: <= 5 embedded, <= 10 Neo4j at --size 10).

With --json it prints a list of records {"name", "backend", "size", "median_s",
"ratio_vs_networkx", ...} to stdout; the log goes to stderr.
"""

from __future__ import annotations

import json
import statistics
import sys
import tarfile
import tempfile
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import Any

import click

from common import BenchmarkError, log, neo4j, timed
from legos.files import remove_tree
from legos.operations.archive_export import write_archive
from legos.operations.archive_import import import_archive
from legos.operations.archive_tables import schema
from legos.store import open_store
from legos.testing import DEFAULT_SEED, generate
from legos.testing.archive import synthetic_snapshot

GOALS = {"embedded": 5.0, "neo4j": 10.0}


def networkx_from_archive(path: Path) -> Any:
    """The baseline: the archive's graph in memory, every node and edge with its properties."""
    import networkx as nx

    keys = {label: spec.key for label, spec in schema().nodes.items()}
    graph = nx.MultiDiGraph()
    loads = json.loads
    with tarfile.open(path) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        for entry in manifest["tables"]:
            lines = tar.extractfile(entry["file"]).read().decode().splitlines()  # type: ignore[union-attr]
            if entry["kind"] == "nodes":
                label, key = entry["label"], keys[entry["label"]]
                graph.add_nodes_from(((label, row[key]), row) for row in map(loads, lines))
            else:
                rel, source, target = entry["type"], entry["from"], entry["to"]
                graph.add_edges_from(
                    ((source, row["from"]), (target, row["to"]),
                     {"type": rel, **row.get("properties", {})}) for row in map(loads, lines))
    return graph


def _fresh_store(backend: str, location: str, work: Path, n: int) -> tuple[str, Path]:
    root = work / f"root-{backend}-{n}"
    if backend == "embedded":
        return str(work / f"store-{n}"), root
    with open_store(location, schema=False) as store:
        store.wipe()
    return location, root


def measure(size: float, seed: int, backends: dict[str, str], repeat: int, work: Path,
            records: list[dict[str, Any]]) -> None:
    took, graph = timed(lambda: generate(size, seed))
    snap = synthetic_snapshot(graph)
    nodes = sum(len(r) for r in snap.nodes.values())
    rels = sum(len(r) for r in snap.rels.values())
    log(f"size {size}: generated {nodes} nodes, {rels} relationships in {took:.1f} s")
    archive = work / f"synthetic-{size}.tar"
    took, report = timed(partial(write_archive, snap, archive, backend="synthetic"))
    log(f"archive {archive} ({archive.stat().st_size / 1e6:.0f} MB) written in {took:.1f} s")
    del graph, snap
    baseline = []
    for _ in range(repeat):
        took, digraph = timed(lambda: networkx_from_archive(archive))
        if digraph.number_of_nodes() != nodes or digraph.number_of_edges() != rels:
            raise BenchmarkError(f"networkx read {digraph.number_of_nodes()} nodes and "
                                 f"{digraph.number_of_edges()} edges, not {nodes} and {rels}")
        del digraph
        baseline.append(took)
    base = statistics.median(baseline)
    log(f"networkx from the archive: median {base:.2f} s")
    for backend, location in backends.items():
        times, phases = [], []
        for n in range(repeat):
            store, root = _fresh_store(backend, location, work, n)
            took, done = timed(lambda: import_archive(archive, store, root))
            times.append(took)
            phases.append(done.seconds)
            log(f"{backend}: imported in {took:.2f} s {done.seconds}")
            with open_store(store) as opened:  # outside the timing: the whole graph is there
                from legos.operations.archive_export import store_digest

                if store_digest(opened) != report.digest:
                    raise BenchmarkError(f"{backend}: the imported store's digest differs "
                                         "from the archive's")
            if backend == "embedded":
                remove_tree(Path(store))
            remove_tree(root)
        median = statistics.median(times)
        records.append({
            "name": "import", "backend": backend, "size": size, "median_s": round(median, 3),
            "ratio_vs_networkx": round(median / base, 2), "baseline_median_s": round(base, 3),
            "nodes": nodes, "relationships": rels, "samples": repeat,
            "rows_per_s": round((nodes + rels) / median), "phases_s": phases[0],
            "goal_ratio": GOALS[backend]})


@click.command()
@click.option("--size", "sizes", type=float, multiple=True, help="Generator size (repeatable); "
              "1.0 is ~100k nodes, 10 ~1M. Default 1.0.")
@click.option("--backend", type=click.Choice(["embedded", "neo4j", "both"]), default="embedded")
@click.option("--neo4j-uri", help="An empty Neo4j to use (wiped!); default: a throw-away server.")
@click.option("--heap", default="4g", help="Heap of the throw-away Neo4j server.")
@click.option("--repeat", type=int, default=3, help="Imports per backend and size (median).")
@click.option("--seed", type=int, default=DEFAULT_SEED)
@click.option("--work-dir", type=click.Path(path_type=Path), help="Scratch folder (kept).")
@click.option("--json", "as_json", is_flag=True, help="Print the records as JSON to stdout.")
def main(sizes: tuple[float, ...], backend: str, neo4j_uri: str | None, heap: str, repeat: int,
         seed: int, work_dir: Path | None, as_json: bool) -> None:
    records: list[dict[str, Any]] = []
    with ExitStack() as stack:
        work = work_dir or Path(stack.enter_context(tempfile.TemporaryDirectory(
            prefix="legos-bench-archive-")))
        work.mkdir(parents=True, exist_ok=True)
        backends: dict[str, str] = {}
        if backend in ("embedded", "both"):
            backends["embedded"] = ""
        if backend in ("neo4j", "both"):
            backends["neo4j"] = stack.enter_context(neo4j(neo4j_uri, heap=heap,
                                                          pagecache="2g"))
        for size in sizes or (1.0,):
            measure(size, seed, backends, repeat, work, records)
    for r in records:
        log(f"{r['backend']:9} size {r['size']:<5} import {r['median_s']:8.2f} s  "
            f"networkx {r['baseline_median_s']:7.2f} s  ratio {r['ratio_vs_networkx']:5.2f} "
            f"(goal <= {r['goal_ratio']})")
    if as_json:
        json.dump(records, sys.stdout, indent=1)
        sys.stdout.write("\n")


if __name__ == "__main__":
    main()
