"""Publish benchmark: one version at a time (`Legos.publish`, 10 dependencies, a small file)
and a batch (`Legos.publish_many`, the ingest of a whole project) on a synthetic production,
each against networkx adding the same nodes and edges in memory, in the same run.

    python benchmarks/publish.py                       # embedded, size 1.0 (~100k nodes)
    python benchmarks/publish.py --size 0.1 --backend both --json

Records keep the shape of benchmarks/core.py (`name`, `backend`, `size`, `median_s`,
`ratio_vs_networkx`, ...) plus `versions_per_s`. Every published version's inputs are read
back and checked against what was asked (and numbers against 1..n) before a figure counts.
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
from core import BENCH_USER, DEPENDENCIES_PER_PUBLISH, _table, measure_publish

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
    timed,
)
from legos.api import Legos
from legos.batch import PublishItem
from legos.files import remove_tree
from legos.testing import SynthGraph, generate, lineage_digraph
from legos.testing.bulk import bulk_load
from legos.testing.synthetic import DEPENDS_ON

IN_BATCH_DEPENDENCIES = 2  # of the 10, how many name an earlier version of the same batch


def measure_publish_batch(lg: Legos, graph: SynthGraph, digraph: Any, count: int, seed: int,
                          chunk: int, record: Callable) -> None:
    """`count` versions in one publish_many: 10 dependencies each, some on earlier items."""
    rng = random.Random(seed)
    project = graph.projects[0].code
    pool = graph.versions
    uid_of = {v.uri: v.uid for v in pool}
    handle, name = tempfile.mkstemp(prefix="legos-bench-", suffix=".txt")
    os.write(handle, b"benchmark batch publish\n")
    os.close(handle)
    source = Path(name)
    items, wanted = [], []
    for i in range(count):
        asset = f"bench/batch/a{i // 5:04d}"
        earlier = [f"legos:/{project}/bench/batch/a{j // 5:04d}?version={j % 5 + 1}"
                   for j in rng.sample(range(i), min(i, IN_BATCH_DEPENDENCIES))]
        uris = earlier + [v.uri for v in rng.sample(pool, DEPENDENCIES_PER_PUBLISH - len(earlier))]
        items.append(PublishItem(project, asset, "FileAsset", files=[source], user=BENCH_USER,
                                 comment="benchmark batch publish",
                                 dependencies=[("source", u) for u in uris]))
        wanted.append(uris)
    took, results = timed(lambda: lg.publish_many(items, chunk=chunk))
    source.unlink()
    failed = [r for r in results if not r.ok]
    if failed:
        raise BenchmarkError(f"{len(failed)} batch items failed, e.g. {failed[0].error}")

    def add() -> None:  # what an in-memory store does: resolve, check, add nodes and edges
        for result, uris in zip(results, wanted, strict=True):
            targets = [uid_of[u] for u in uris]  # earlier items of the batch included
            digraph.add_node(result.version.uid, uri=result.version.uri)
            uid_of[result.version.uri] = result.version.uid
            digraph.add_edges_from((result.version.uid, t, {"type": DEPENDS_ON, "name": "source"})
                                   for t in targets)
    baseline, _ = timed(add)
    for result, uris in zip(results, wanted, strict=True):  # outside the timing: every input
        got = {row.uri for row in lg.dependencies(result.version.uri, depth=1)}
        if got != set(uris):
            raise BenchmarkError(f"{result.version.uri} depends on {sorted(got)}, "
                                 f"not {sorted(uris)}")
    numbers: dict[str, list[int]] = {}
    for result in results:
        numbers.setdefault(result.version.asset, []).append(result.version.number)
    if any(n != list(range(1, len(n) + 1)) for n in numbers.values()):
        raise BenchmarkError(f"batch version numbers are not 1..n per asset: {numbers}")
    record("publish_batch", [took / count], [baseline / count], ratio="total", count=count,
           chunk=chunk, dependencies_per_version=DEPENDENCIES_PER_PUBLISH,
           versions_per_s=round(count / took, 1),
           baseline_versions_per_s=round(count / baseline, 1))
    digraph.remove_nodes_from(r.version.uid for r in results)


@click.command()
@SIZE_OPTION
@SEED_OPTION
@BACKEND_OPTION
@JSON_OPTION
@click.option("--publishes", type=int, default=100, show_default=True,
              help="how many versions to publish one at a time (10 dependencies each)")
@click.option("--batch", type=int, default=1000, show_default=True,
              help="how many versions to publish in one batch (10 dependencies each)")
@click.option("--chunk", type=int, default=256, show_default=True,
              help="versions per write transaction of the batch")
@NEO4J_URI_OPTION
def main(size: float, seed: int | None, backend: str, as_json: bool, publishes: int,
         batch: int, chunk: int, neo4j_uri: str | None) -> None:
    """Publish latency and batch publish throughput, as ratios against networkx.

    Example: python benchmarks/publish.py --size 0.1 --backend both --batch 500
    """
    from legos.testing import DEFAULT_SEED

    seed = DEFAULT_SEED if seed is None else seed
    graph = generate(size, seed)
    digraph = lineage_digraph(graph)
    records: list[dict[str, Any]] = []
    with ExitStack() as stack:
        base = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="legos-bench-")))
        for name in (["embedded", "neo4j"] if backend == "both" else [backend]):
            try:
                location = stack.enter_context(
                    embedded(base) if name == "embedded" else neo4j(neo4j_uri))
            except Exception as exc:  # no Java, no jars, no server: say so, go on
                log(f"skipping neo4j: {exc}")
                continue
            root = Path(tempfile.mkdtemp(prefix="legos-bench-root-"))
            lg = open_empty(location, root)
            try:
                record = _recorder(name, size, seed, records)
                log(f"{name}: bulk-loading size {size}")
                bulk_load(lg.store, graph)
                log(f"{name}: publishing {publishes} versions one at a time")
                measure_publish(lg, graph, digraph, publishes, seed + 1, record)
                log(f"{name}: publishing {batch} versions in one batch (chunks of {chunk})")
                measure_publish_batch(lg, graph, digraph, batch, seed + 3, chunk, record)
            finally:
                lg.close()
                remove_tree(root)
    click.echo(json.dumps(records, indent=2) if as_json else _batch_table(records))


def _recorder(backend: str, size: float, seed: int,
              records: list[dict[str, Any]]) -> Callable[..., None]:
    def record(what: str, legos_s: list[float], networkx_s: list[float], *, ratio: str,
               **extra: Any) -> None:
        value = sum(legos_s) / sum(networkx_s)
        row = {"name": what, "backend": backend, "size": size,
               "median_s": statistics.median(legos_s), "ratio_vs_networkx": value,
               "baseline_median_s": statistics.median(networkx_s), "ratio_of": ratio,
               "samples": len(legos_s), "seed": seed, **extra}
        records.append(row)
        log(f"{backend} {what}: median {row['median_s'] * 1e3:.2f} ms, "
            f"{row.get('versions_per_s')} versions/s, {value:.1f}x networkx ({ratio})")
    return record


def _batch_table(records: list[dict[str, Any]]) -> str:
    singles = [r for r in records if r["name"] == "publish"]
    lines = [_table(singles)] if singles else []
    for r in records:
        if r["name"] == "publish_batch":
            lines.append(f"publish_batch  {r['backend']:8}  size {r['size']:g}  "
                         f"{r['median_s'] * 1e3:.3f} ms a version  {r['versions_per_s']} "
                         f"versions/s (networkx {r['baseline_versions_per_s']}/s, "
                         f"{r['ratio_vs_networkx']:.0f}x)  {r['count']} versions, chunks of "
                         f"{r['chunk']}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
