"""Core benchmark: publish throughput and shot-closure latency on a synthetic production, each
against networkx answering the same question over the same graph in memory, in the same run.

    python benchmarks/core.py                          # embedded store, size 1.0 (~100k nodes)
    python benchmarks/core.py --size 0.1 --backend both --json

Ratios are legos's time divided by networkx's (below 1: legos is faster). Publish compares the
total time of N publishes (`Legos.publish`, 10 dependencies each) with networkx adding the same
nodes and edges; the dependencies query compares median latencies of `Legos.dependencies` on
shot packages with a breadth-first walk (`single_source_shortest_path_length`). Every answer is
checked against networkx (versions, depths and roles); a difference fails the run.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click

from common import (
    BACKEND_OPTION,
    JSON_OPTION,
    NEO4J_URI_OPTION,
    SEED_OPTION,
    SIZE_OPTION,
    BenchmarkError,
    embedded,
    log,
    neo4j,
    open_empty,
    quantile,
    timed,
)
from legos.api import Legos
from legos.files import remove_tree
from legos.testing import (
    SynthGraph,
    expected_dependencies,
    expected_lineage,
    generate,
    lineage_digraph,
)
from legos.testing.bulk import bulk_load
from legos.testing.synthetic import DEPENDS_ON

DEPENDENCIES_PER_PUBLISH = 10
BENCH_USER = "bench"


# -- the measurements ------------------------------------------------------------------------

def measure_load(lg: Legos, graph: SynthGraph, baseline_s: float, record: Callable) -> None:
    counts = graph.counts()
    report = bulk_load(lg.store, graph)
    record("bulk_load", [report.total_seconds], [baseline_s], ratio="total",
           nodes=counts["nodes"], edges=counts["edges"],
           rows_per_s=round((counts["nodes"] + counts["edges"]) / report.total_seconds),
           steps_s={k: round(v, 3) for k, v in report.seconds.items()})


def measure_publish(lg: Legos, graph: SynthGraph, digraph: Any, count: int, seed: int,
                    record: Callable) -> None:
    rng = random.Random(seed)
    project = graph.projects[0].code
    pool = graph.versions
    uid_of = {v.uri: v.uid for v in pool}
    plans = [(f"bench/publish/a{i // 5:03d}",
              [v.uri for v in rng.sample(pool, DEPENDENCIES_PER_PUBLISH)]) for i in range(count)]
    legos_s, networkx_s, published = [], [], []
    handle, name = tempfile.mkstemp(prefix="legos-bench-", suffix=".txt")  # a FileAsset has a file
    os.write(handle, b"benchmark publish\n")
    os.close(handle)
    source = Path(name)
    for asset, uris in plans:
        took, version = timed(lambda: lg.publish(
            project, asset, kind="FileAsset", dependencies=[("source", u) for u in uris],
            files=[source], user=BENCH_USER, comment="benchmark publish"))
        legos_s.append(took)
        published.append((version, uris))

        def add() -> None:  # what an in-memory store does: resolve, check, add node and edges
            targets = [uid_of[u] for u in uris]
            if not all(t in digraph for t in targets):
                raise AssertionError("unreachable: the targets exist")
            digraph.add_node(version.uid, uri=version.uri)
            digraph.add_edges_from((version.uid, t, {"type": DEPENDS_ON, "name": "source"})
                                   for t in targets)
        networkx_s.append(timed(add)[0])
    source.unlink()
    for version, uris in published:  # outside the timing: every publish holds its inputs
        got = {row.uri for row in lg.dependencies(version.uri, depth=1)}
        if got != set(uris):
            raise BenchmarkError(f"{version.uri} depends on {sorted(got)}, not {sorted(uris)}")
    numbers = [v.number for v, _ in published if v.asset == plans[0][0]]
    if numbers != list(range(1, len(numbers) + 1)):
        raise BenchmarkError(f"{plans[0][0]} got version numbers {numbers}")
    record("publish", legos_s, networkx_s, ratio="total", count=count,
           dependencies_per_version=DEPENDENCIES_PER_PUBLISH,
           versions_per_s=round(count / sum(legos_s), 2),
           baseline_versions_per_s=round(count / sum(networkx_s), 1))
    digraph.remove_nodes_from(v.uid for v, _ in published)  # the next backend starts equal


def measure_dependencies(lg: Legos, graph: SynthGraph, digraph: Any, shots: int,
                         repeat: int, seed: int, record: Callable) -> None:
    rng = random.Random(seed)
    packages = graph.latest_versions("ShotPackage")
    chosen = rng.sample(packages, min(shots, len(packages)))
    sizes = []
    for version in chosen:  # warm-up and correctness: the whole answer, roles included
        rows = lg.dependencies(version.uri)
        got = {row.uid: (row.depth, tuple(row.roles)) for row in rows}
        want = expected_lineage(digraph, version.uid)
        if got != want:
            missing = sorted(set(want) - set(got))[:3]
            extra = sorted(set(got) - set(want))[:3]
            differ = [u for u in set(got) & set(want) if got[u] != want[u]][:3]
            raise BenchmarkError(
                f"dependencies({version.uri}) differs from networkx: {len(got)} rows vs "
                f"{len(want)}; missing {missing}, extra {extra}, "
                f"different {[(u, got[u], want[u]) for u in differ]}")
        if {row.uri for row in rows} != {graph.version_by_uid[u].uri for u in want}:
            raise BenchmarkError(f"dependencies({version.uri}) names other URIs than networkx")
        sizes.append(len(rows))
    legos_s, networkx_s = [], []
    for _ in range(repeat):
        for version in chosen:
            legos_s.append(timed(lambda: lg.dependencies(version.uri))[0])
            networkx_s.append(timed(lambda: expected_dependencies(digraph, version.uid))[0])
    record("dependencies", legos_s, networkx_s, ratio="median", shots=len(chosen),
           repeat=repeat, closure_median=statistics.median(sizes), closure_max=max(sizes),
           p90_s=quantile(legos_s, 0.9))


# -- the command -----------------------------------------------------------------------------

@click.command()
@SIZE_OPTION
@SEED_OPTION
@BACKEND_OPTION
@JSON_OPTION
@click.option("--repeat", type=int, default=5, show_default=True,
              help="how often each shot's dependencies query is timed")
@click.option("--shots", type=int, default=20, show_default=True,
              help="how many shot packages to query")
@click.option("--publishes", type=int, default=100, show_default=True,
              help="how many versions to publish (10 dependencies each)")
@NEO4J_URI_OPTION
@click.option("--work-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="where the embedded store goes (default: a temporary folder, removed)")
def main(size: float, seed: int | None, backend: str, as_json: bool, repeat: int, shots: int,
         publishes: int, neo4j_uri: str | None, work_dir: Path | None) -> None:
    """Publish throughput and dependencies latency, as ratios against networkx.

    Example: python benchmarks/core.py --size 0.2 --backend both --json
    """
    from legos.testing import DEFAULT_SEED

    seed = DEFAULT_SEED if seed is None else seed
    took, graph = timed(lambda: generate(size, seed))
    counts = graph.counts()
    log(f"generated size {size}: {counts['nodes']} nodes, {counts['edges']} edges "
         f"({counts['DEPENDS_ON'] + counts['CONTAINS']} lineage) in {took:.1f} s")
    baseline_build_s, digraph = timed(lambda: lineage_digraph(graph))
    log(f"networkx lineage graph built in {baseline_build_s:.1f} s")
    records: list[dict[str, Any]] = []
    backends = ["embedded", "neo4j"] if backend == "both" else [backend]
    with ExitStack() as stack:
        base = work_dir or Path(stack.enter_context(
            tempfile.TemporaryDirectory(prefix="legos-bench-")))
        for name in backends:
            try:
                location = stack.enter_context(
                    embedded(base) if name == "embedded" else neo4j(neo4j_uri))
            except Exception as exc:  # no Java, no jars, no server: say so, go on
                log(f"skipping neo4j: {exc}")
                continue
            run_backend(name, location, graph, digraph, baseline_build_s, size, seed, repeat,
                        shots, publishes, records)
    if as_json:
        click.echo(json.dumps(records, indent=2))
    else:
        click.echo(_table(records))


def run_backend(name: str, location: str, graph: SynthGraph, digraph: Any,
                baseline_build_s: float, size: float, seed: int, repeat: int, shots: int,
                publishes: int, records: list[dict[str, Any]]) -> None:
    root = Path(tempfile.mkdtemp(prefix="legos-bench-root-"))
    lg = open_empty(location, root)
    try:
        def record(what: str, legos_s: list[float], networkx_s: list[float], *, ratio: str,
                   **extra: Any) -> None:
            if ratio == "total":
                value = sum(legos_s) / sum(networkx_s)
            else:
                value = statistics.median(legos_s) / statistics.median(networkx_s)
            row = {"name": what, "backend": name, "size": size,
                   "median_s": statistics.median(legos_s), "ratio_vs_networkx": value,
                   "baseline_median_s": statistics.median(networkx_s), "ratio_of": ratio,
                   "samples": len(legos_s), "seed": seed, **extra}
            records.append(row)
            log(f"{name} {what}: median {row['median_s'] * 1e3:.2f} ms, "
                 f"{value:.1f}x networkx ({ratio})")

        log(f"{name}: bulk-loading into {location}")
        measure_load(lg, graph, baseline_build_s, record)
        log(f"{name}: publishing {publishes} versions")
        measure_publish(lg, graph, digraph, publishes, seed + 1, record)
        log(f"{name}: dependencies of {shots} shot packages x {repeat}")
        measure_dependencies(lg, graph, digraph, shots, repeat, seed + 2, record)
    finally:
        lg.close()
        remove_tree(root)


def _table(records: list[dict[str, Any]]) -> str:
    header = ("benchmark", "backend", "size", "median", "networkx", "ratio", "notes")
    lines = []
    for r in records:
        if r["name"] == "publish":
            notes = (f"{r['versions_per_s']:.1f} versions/s vs {r['baseline_versions_per_s']:.0f}"
                     f" (totals of {r['count']})")
        elif r["name"] == "dependencies":
            notes = (f"{r['shots']} shots x {r['repeat']}, closure median "
                     f"{r['closure_median']:.0f} versions")
        else:
            notes = f"{r['nodes']} nodes + {r['edges']} edges, {r['rows_per_s']}/s"
        lines.append((r["name"], r["backend"], f"{r['size']:g}", _ms(r["median_s"]),
                      _ms(r["baseline_median_s"]), f"{r['ratio_vs_networkx']:.1f}x", notes))
    widths = [max(len(str(x)) for x in column) for column in zip(header, *lines, strict=True)]
    out = ["  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)).rstrip()
           for row in (header, *lines)]
    out.insert(1, "  ".join("-" * w for w in widths))
    out.append("ratio = legos time / networkx time over the same graph (below 1: legos is "
               "faster); median is per operation (load: the whole load)")
    return "\n".join(out)


def _ms(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1e3:.3f} ms"


if __name__ == "__main__":
    main()
