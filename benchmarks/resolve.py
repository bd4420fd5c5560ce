"""Resolution benchmark: the farm resolves from a frozen manifest, never from the database.

Measures in one run, on a synthetic production (legos.testing) loaded into each backend:
- resolves per second from a manifest (cold: each URI seen for the first time; warm: the same
  URIs again, as every frame of a render asks them), against resolving each URI in the store;
- the time to build (select, record in the graph, write) the manifest of a shot pinning 10k
  assets, against looking each of those assets up one by one.

    python benchmarks/resolve.py                       # embedded store, size 1.0 (~100k nodes)
    python benchmarks/resolve.py --backend both --json

With --json it prints records {"name", "backend", "size", "median_s", "ratio", "baseline"}:
ratio = legos's time / the baseline's time (below 1: legos is faster).
"""

from __future__ import annotations

import json
import random
import statistics
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click

from common import (
    BACKEND_OPTION,
    JSON_OPTION,
    NEO4J_URI_OPTION,
    SIZE_OPTION,
    BenchmarkError,
    embedded,
    log,
    neo4j,
    open_empty,
    timed,
)
from legos.api import Legos
from legos.files import remove_tree
from legos.pins.resolver import ManifestResolver
from legos.testing import DEFAULT_SEED, generate
from legos.testing.bulk import bulk_load


def _shot_of(lg: Legos, graph: Any, assets: int, seed: int) -> tuple[str, list[str]]:
    """A ShotPackage version holding the latest version of `assets` distinct assets."""
    rng = random.Random(seed)
    latest: dict[str, Any] = {}
    for version in graph.versions:
        latest[version.asset_uid] = version  # versions come oldest first
    pool = sorted(latest.values(), key=lambda v: v.uri)
    if len(pool) < assets:
        raise BenchmarkError(f"the graph has {len(pool)} assets, fewer than {assets}: raise --size")
    members = [v.uri for v in rng.sample(pool, assets)]
    project = graph.projects[0].code
    log(f"publishing a shot with {assets} members")
    took, shot = timed(lambda: lg.publish(project, "bench/mega_shot", kind="ShotPackage",
                                          members=[(f"m{i}", u) for i, u in enumerate(members)],
                                          user="bench"))
    log(f"  published {shot.uri} in {took:.1f} s")
    return shot.uri, members


def run_backend(name: str, location: str, graph: Any, size: float, assets: int, repeat: int,
                seed: int, records: list[dict[str, Any]]) -> None:
    root = Path(tempfile.mkdtemp(prefix="legos-bench-root-"))
    work = Path(tempfile.mkdtemp(prefix="legos-bench-pins-"))
    lg = open_empty(location, root)
    try:
        def record(what: str, legos_s: list[float], baseline_s: list[float], baseline: str,
                   **extra: Any) -> None:
            value = statistics.median(legos_s) / statistics.median(baseline_s)
            records.append({"name": what, "backend": name, "size": size,
                            "median_s": statistics.median(legos_s), "ratio": value,
                            "baseline": baseline, "baseline_median_s": statistics.median(baseline_s),
                            **extra})
            log(f"{name} {what}: median {statistics.median(legos_s) * 1e6:.2f} us, "
                f"ratio {value:.4f} vs {baseline}")

        log(f"{name}: bulk-loading into {location}")
        bulk_load(lg.store, graph)
        shot, _members = _shot_of(lg, graph, assets, seed)

        # -- building the manifest, against one lookup per asset --------------------------
        build_s, lookup_s = [], []
        result = None
        for attempt in range(repeat):
            took, result = timed(lambda: lg.pin(shot, output=work / f"shot{attempt}.json",
                                                name="mega"))
            build_s.append(took)
        pinned = [pin for _scope, pin in result.manifest.pins()]
        if len(pinned) < assets:
            raise BenchmarkError(f"the manifest pins {len(pinned)} assets, expected >= {assets}")
        # the baseline looks every pinned version up one by one; timed on a sample and scaled
        # to all pins (a full run would take many minutes)
        sample = random.Random(seed).sample([pin.uri for pin in pinned], min(500, len(pinned)))
        per_lookup = timed(lambda: [lg.show(uri) for uri in sample])[0] / len(sample)
        lookup_s.append(per_lookup * len(pinned))
        record("manifest_build", build_s, lookup_s, "per-asset lookups", pins=len(pinned),
               members=assets, baseline_sampled=len(sample))

        # -- resolving from the manifest, against resolving in the store -------------------
        manifest = result.manifest
        uris = [pin.uri for pin in pinned if pin.files]  # exact: both sides resolve the same
        for pin in pinned:  # bulk-loaded versions have no files, and both resolvers check
            for file in pin.files.values():
                (root / file.path).parent.mkdir(parents=True, exist_ok=True)
                (root / file.path).touch()
        cold, warm = [], []
        for _ in range(repeat):
            resolver = ManifestResolver(manifest)
            cold.append(timed(lambda: [resolver.path(u) for u in uris])[0] / len(uris))
            warm.append(timed(lambda: [resolver.path(u) for u in uris])[0] / len(uris))
        db_uris = random.Random(seed).sample(uris, min(300, len(uris)))
        store_s = [timed(lambda u=u: lg.resolve(u))[0] for u in db_uris]
        for uri in db_uris[:50]:  # the same answer both ways
            if resolver.path(uri) != lg.resolve(uri).path:
                raise BenchmarkError(f"{uri}: the manifest and the store disagree")
        record("resolve_from_manifest_cold", cold, store_s, "resolve in the store",
               resolves_per_s=round(1 / statistics.median(cold)), uris=len(uris))
        record("resolve_from_manifest_warm", warm, store_s, "resolve in the store",
               resolves_per_s=round(1 / statistics.median(warm)), uris=len(uris))
    finally:
        lg.close()
        remove_tree(root)
        remove_tree(work)


@click.command()
@SIZE_OPTION
@BACKEND_OPTION
@click.option("--assets", type=int, default=10_000, show_default=True,
              help="how many assets the benchmark shot pins")
@click.option("--repeat", type=int, default=3, show_default=True)
@JSON_OPTION
@NEO4J_URI_OPTION
def main(size: float, backend: str, assets: int, repeat: int, as_json: bool,
         neo4j_uri: str | None) -> None:
    """Manifest resolution rate and manifest build time, as ratios against the store.

    Example: python benchmarks/resolve.py --size 1.0 --backend both --json
    """
    graph = generate(size, DEFAULT_SEED)
    records: list[dict[str, Any]] = []
    with ExitStack() as stack:
        base = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="legos-bench-")))
        for name in (["embedded", "neo4j"] if backend == "both" else [backend]):
            try:
                location = stack.enter_context(embedded(base) if name == "embedded"
                                               else neo4j(neo4j_uri))
            except Exception as exc:
                log(f"skipping {name}: {exc}")
                continue
            run_backend(name, location, graph, size, assets, repeat, DEFAULT_SEED, records)
    if as_json:
        click.echo(json.dumps(records, indent=2))
        return
    for r in records:
        extra = f", {r['resolves_per_s']:,} resolves/s" if "resolves_per_s" in r else ""
        click.echo(f"{r['backend']:9} {r['name']:28} median {r['median_s'] * 1e3:10.4f} ms  "
                   f"ratio {r['ratio']:.5f} vs {r['baseline']}{extra}")


if __name__ == "__main__":
    main()
