"""Run texture transcodes in parallel: a process pool sized by cores and by memory (a 4k
texture takes about 1.2 GB to transcode), each item's failure reported, never raised.

    outcomes = transcode_many(paths, "out/", jobs=2)
    [(o.source, o.error) for o in outcomes if not o.ok]
"""

from __future__ import annotations

import multiprocessing
import os
import resource
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from legos.errors import LegosError

# ~1.2 GB for a 4096x4096 sRGB -> ACEScg texture (LIBRARY-NOTES.md), with some headroom
BYTES_PER_PIXEL = 80
_MIN_JOB_BYTES = 256 << 20


@dataclass(frozen=True)
class Outcome:
    source: str
    result: Any = None          # a TextureResult or UdimResult
    error: str | None = None    # one line
    peak_rss_mb: float = 0.0    # the worker's peak resident memory when it finished the item

    @property
    def ok(self) -> bool:
        return self.error is None


def available_memory() -> int:
    """Bytes of memory available to new work (MemAvailable on Linux, else physical)."""
    try:
        with open("/proc/meminfo") as stream:
            for line in stream:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def job_memory(pixels: int) -> int:
    return max(_MIN_JOB_BYTES, pixels * BYTES_PER_PIXEL)


def pool_size(jobs: int | None, pixels: Sequence[int] = (), items: int | None = None) -> int:
    """Workers to run: what was asked (default: the cores), at most the cores, and at most what
    memory holds for the largest image."""
    cores = os.cpu_count() or 1
    wanted = min(jobs or cores, cores)
    by_memory = max(1, available_memory() // job_memory(max(pixels, default=4096 * 4096)))
    return max(1, min(wanted, by_memory, items if items is not None else wanted))


def _init_worker(threads: int) -> None:
    import OpenImageIO

    OpenImageIO.attribute("threads", threads)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _run_one(fn: Callable[..., Any], item: Any, kwargs: dict[str, Any]) -> Outcome:
    source = str(getattr(item, "pattern", item))
    try:
        result = fn(item, **kwargs)
    except LegosError as exc:
        return Outcome(source, error=str(exc), peak_rss_mb=_peak_rss_mb())
    except Exception as exc:  # one bad file never stops the others; its reason on one line
        return Outcome(source, error=f"{type(exc).__name__}: {exc}".splitlines()[0],
                       peak_rss_mb=_peak_rss_mb())
    return Outcome(source, result=result, peak_rss_mb=_peak_rss_mb())


def run(fn: Callable[..., Any], items: Sequence[Any], *, jobs: int | None = 1,
        pixels: Sequence[int] = (), in_process: bool | None = None,
        **kwargs: Any) -> list[Outcome]:
    """`fn(item, **kwargs)` for every item, in order; in a process pool when more than one
    worker runs (or `in_process=False`: one worker, apart from the caller's memory)."""
    size = pool_size(jobs, pixels, len(items))
    with _progress(len(items)) as advance:
        if in_process or (in_process is None and size <= 1):
            out = []
            for item in items:
                out.append(_run_one(fn, item, kwargs))
                advance()
            return out
        threads = max(1, (os.cpu_count() or 1) // size)
        # spawn: OIIO's thread pool in this process must not be forked mid-use
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(size, mp_context=context, initializer=_init_worker,
                                 initargs=(threads,)) as pool:
            futures = [pool.submit(_run_one, fn, item, kwargs) for item in items]
            for future in futures:
                future.add_done_callback(lambda _f: advance())
            return [f.result() for f in futures]


@contextmanager
def _progress(total: int) -> Iterator[Callable[[], None]]:
    """A bar on stderr for a long run when stderr is a terminal; else nothing is drawn."""
    import sys

    if total < 2 or not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress("ingest", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("ingest", total=total)
        yield lambda: bar.advance(task)


def transcode_item(item: Any, **kwargs: Any) -> Any:
    from legos.ingest.texture import UdimSet, transcode, transcode_udim

    if isinstance(item, UdimSet):
        return transcode_udim(item, **kwargs)
    return transcode(item, **kwargs)


def transcode_many(paths: Iterable[str | os.PathLike[str]], out_dir: str | os.PathLike[str], *,
                   jobs: int | None = 1, in_process: bool | None = None,
                   **kwargs: Any) -> list[Outcome]:
    """Transcode files (UDIM tiles grouped into sets) into `out_dir`, `jobs` at a time."""
    from legos.ingest.texture import UdimSet, group_udims, probe

    items = group_udims(paths)
    pixels = []
    for item in items:  # headers only: size the pool for the largest image
        first = next(iter(item.tiles.values())) if isinstance(item, UdimSet) else item
        try:
            facts, _ = probe(first)
            pixels.append(facts.width * facts.height)
        except LegosError:
            pass  # reported by its own job
    return run(transcode_item, items, jobs=jobs, pixels=pixels, in_process=in_process,
               out_dir=Path(out_dir), **kwargs)
