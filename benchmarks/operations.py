"""Operations benchmarks: each a named function in BENCHMARKS giving records, against a
baseline measured in the same run (no absolute times are goals).

    python benchmarks/operations.py                         # every benchmark, embedded
    python benchmarks/operations.py --only verify --json    # one of them, JSON records
    python benchmarks/operations.py --only verify --backend both --large 64 --large-mib 32

- `verify`: `legos verify` hashing the published files against `sha256sum` over the same files
  (one `sha256sum` process, as a TD would run it, and `--jobs` of them side by side), warm page
  cache for both, each run `--repeat` times in turn. Two records: `verify_hash` is legos's
  parallel streamed hashing alone (legos.operations.hashing, what `verify` spends its time
  in); `verify` is the whole `lg.verify(jobs=N)` (graph pages, stats, hashing, the walk of the
  root); `verify_hash_1job` hashes on one thread (per-core speed against one sha256sum).
  The files are `--large` files of `--large-mib` MiB and `--small` files of 32 KiB (texture
  tiles, where per-file costs show), published through legos.

With --json it prints a list of records {"name", "backend", "size", "median_s",
"ratio_vs_<baseline>", ...} to stdout (`size`: MiB hashed for verify); the log goes to stderr.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from common import (
    BACKEND_OPTION,
    JSON_OPTION,
    BenchmarkError,
    embedded,
    log,
    neo4j,
    open_empty,
    timed,
)
from legos.operations import hashing
from legos.testing import DEFAULT_SEED


@dataclass
class Options:
    backends: list[str]
    work: Path
    repeat: int
    neo4j_uri: str | None
    jobs: int
    large: int
    large_mib: int
    small: int


Benchmark = Callable[[Options], list[dict[str, Any]]]
BENCHMARKS: dict[str, Benchmark] = {}


def benchmark(name: str) -> Callable[[Benchmark], Benchmark]:
    def register(fn: Benchmark) -> Benchmark:
        BENCHMARKS[name] = fn
        return fn
    return register


@contextmanager
def backend_location(backend: str, work: Path, neo4j_uri: str | None) -> Iterator[str]:
    if backend == "embedded":
        with embedded(work) as location:
            yield location
    else:
        with neo4j(neo4j_uri) as location:
            yield location


# -- verify ---------------------------------------------------------------------------------

def _make_sources(folder: Path, opts: Options) -> list[list[Path]]:
    """Files to publish, in groups (one group per version): random bytes, so nothing
    compresses or dedupes."""
    rng = random.Random(7)
    groups: list[list[Path]] = []
    for i in range(opts.large):
        path = folder / f"plate{i:03}.exr"
        with open(path, "wb") as out:
            for _ in range(opts.large_mib):
                out.write(rng.randbytes(1 << 20))
        groups.append([path])
    per_folder = 500
    for start in range(0, opts.small, per_folder):
        tiles = folder / f"tiles{start // per_folder:03}"
        tiles.mkdir()
        for i in range(start, min(start + per_folder, opts.small)):
            (tiles / f"t{i:05}.exr").write_bytes(rng.randbytes(32 << 10))
        groups.append([tiles])
    return groups


def _sha256sum(paths: list[str], processes: int) -> dict[str, str]:
    """What `sha256sum` says of the files, run as `processes` processes side by side."""
    chunks = [paths[i::processes] for i in range(processes)]
    procs = [subprocess.Popen(["sha256sum", "--", *chunk], stdout=subprocess.PIPE, text=True)
             for chunk in chunks if chunk]
    out = {}
    for proc in procs:
        stdout, _ = proc.communicate()
        if proc.returncode:
            raise BenchmarkError("sha256sum failed")
        for line in stdout.splitlines():
            digest, _, name = line.partition("  ")
            out[name] = digest
    return out


@benchmark("verify")
def verify_benchmark(opts: Options) -> list[dict[str, Any]]:
    if shutil.which("sha256sum") is None:
        raise BenchmarkError("sha256sum is not on PATH")
    records = []
    sources = opts.work / "sources"
    if not sources.exists():
        sources.mkdir(parents=True)
        log(f"writing {opts.large} x {opts.large_mib} MiB and {opts.small} x 32 KiB files")
        groups = _make_sources(sources, opts)
    else:
        raise BenchmarkError(f"{sources} exists: give an empty --work-dir")
    for backend in opts.backends:
        with backend_location(backend, opts.work / backend, opts.neo4j_uri) as location:
            lg = open_empty(location, opts.work / backend / "publish")
            try:
                log(f"{backend}: publishing {len(groups)} versions")
                for i, group in enumerate(groups):
                    entry = None if group[0].is_file() else sorted(group[0].iterdir())[0].name
                    lg.publish("bench", f"verify/a{i:03}", kind="FileAsset", files=group,
                               entry=entry)
                files = [(r["path"], r["size"], r["sha256"]) for r in lg.store.query(
                    "operations/version_files", after="", limit=1_000_000, project="bench")]
                paths = [str(lg.root / p) for p, _, _ in files]
                expected = {str(lg.root / p): digest for p, _, digest in files}
                total = sum(size for _, size, _ in files)
                records += _measure_verify(lg, backend, paths, expected, total, opts)
            finally:
                lg.close()
    return records


def _measure_verify(lg: Any, backend: str, paths: list[str], expected: dict[str, str],
                    total: int, opts: Options) -> list[dict[str, Any]]:
    def legos_hash() -> dict[str, str | OSError]:
        return {str(p): d for p, d in hashing.hash_many(paths, lambda p: p,
                                                          os.path.getsize, opts.jobs)}

    runs: dict[str, Callable[[], Any]] = {
        "sha256sum": lambda: _sha256sum(paths, 1),
        "sha256sum_parallel": lambda: _sha256sum(paths, opts.jobs),
        "verify_hash": legos_hash,
        "verify_hash_1job": lambda: dict(hashing.hash_many(paths, lambda p: p, os.path.getsize, 1)),
        "verify": lambda: lg.verify("bench", jobs=opts.jobs),
    }
    # every answer checked once (also warms the page cache for all of them alike)
    if _sha256sum(paths, 1) != expected or legos_hash() != expected:
        raise BenchmarkError("a digest differs from the recorded sha256")
    if lg.verify("bench", jobs=opts.jobs) != []:
        raise BenchmarkError("verify found problems on a clean root")
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(opts.repeat):
        for name, run in runs.items():  # in turn, so drifts in the machine's load are shared
            times[name].append(timed(run)[0])
    median = {name: statistics.median(values) for name, values in times.items()}
    log(f"{backend}: " + ", ".join(f"{n} {m:.3f} s" for n, m in median.items()))
    common = {"backend": backend, "size": round(total / (1 << 20), 1), "files": len(paths),
              "jobs": opts.jobs, "sha256sum_median_s": median["sha256sum"],
              "sha256sum_parallel_median_s": median["sha256sum_parallel"]}
    return [{"name": name, "median_s": median[name],
             "ratio_vs_sha256sum": median[name] / median["sha256sum"],
             "ratio_vs_sha256sum_parallel": median[name] / median["sha256sum_parallel"],
             **common}
            for name in ("verify_hash", "verify", "verify_hash_1job")]


# -- import (benchmarks/archive.py) -----------------------------------------------------------

@benchmark("import")
def import_benchmark(opts: Options) -> list[dict[str, Any]]:
    """The synthetic production's archive imported into each backend vs networkx built from
    the same archive (benchmarks/archive.py); size from $LEGOS_BENCH_SIZE (default 1.0)."""
    from archive import measure

    size = float(os.environ.get("LEGOS_BENCH_SIZE", "1.0"))
    records: list[dict[str, Any]] = []
    for backend in opts.backends:
        with backend_location(backend, opts.work, opts.neo4j_uri) as location:
            measure(size, DEFAULT_SEED, {backend: location}, opts.repeat, opts.work, records)
    return records


@click.command()
@click.option("--only", "only", multiple=True, type=click.Choice(sorted(BENCHMARKS)),
              help="run only this benchmark (repeatable)")
@BACKEND_OPTION
@click.option("--repeat", type=int, default=5, show_default=True)
@click.option("--jobs", type=int, default=hashing.default_jobs(), show_default=True,
              help="threads for legos, processes for the parallel sha256sum")
@click.option("--large", type=int, default=24, show_default=True,
              help="verify: large files")
@click.option("--large-mib", type=int, default=16, show_default=True,
              help="verify: MiB per large file")
@click.option("--small", type=int, default=2000, show_default=True,
              help="verify: 32 KiB files")
@JSON_OPTION
@click.option("--neo4j-uri", envvar="LEGOS_BENCH_NEO4J_URI", default=None,
              help="a Neo4j to use (else a throw-away server is started)")
@click.option("--work-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
def main(only: tuple[str, ...], backend: str, repeat: int, jobs: int, large: int,
         large_mib: int, small: int, as_json: bool, neo4j_uri: str | None,
         work_dir: Path | None) -> None:
    """Operations benchmarks against baselines measured in the same run.

    Example: python benchmarks/operations.py --only verify --json
    """
    work = Path(work_dir or tempfile.mkdtemp(prefix="legos-bench-ops-"))
    work.mkdir(parents=True, exist_ok=True)
    opts = Options(["embedded", "neo4j"] if backend == "both" else [backend], work, repeat,
                   neo4j_uri, jobs, large, large_mib, small)
    records: list[dict[str, Any]] = []
    for name in only or list(BENCHMARKS):
        log(f"benchmark {name}")
        records += BENCHMARKS[name](opts)
    if as_json:
        click.echo(json.dumps(records, indent=2))
    else:
        for r in records:
            ratios = ", ".join(f"{k} {v:.2f}" for k, v in r.items() if k.startswith("ratio_"))
            click.echo(f"{r['name']:12} {r['backend']:8} {r['size']:>8} {r['median_s']:.3f} s  "
                       f"{ratios}")
    if work_dir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
