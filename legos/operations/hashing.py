"""sha256 of many files at once: streamed through a fixed buffer per thread, in parallel.

hashlib releases the GIL while it digests a large buffer and reads release it too, so threads
keep every core busy; the biggest files go first so that one large file does not end the run
alone. Memory stays at one buffer per thread whatever the file sizes.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
CHUNK = 1 << 20  # 1 MiB reads: large enough to amortise the calls, small enough for caches
_local = threading.local()


def default_jobs() -> int:
    """One thread per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def sha256_file(path: str | os.PathLike[str]) -> str:
    """The file's sha256, read in CHUNK-sized pieces into this thread's reused buffer."""
    buffer = getattr(_local, "buffer", None)
    if buffer is None:
        buffer = _local.buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    digest = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY)
    try:
        if hasattr(os, "posix_fadvise"):
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_SEQUENTIAL)
        with open(fd, "rb", buffering=0, closefd=False) as stream:
            while count := stream.readinto(buffer):
                digest.update(view[:count])
    finally:
        os.close(fd)
    return digest.hexdigest()


def hash_many(items: Iterable[T], path_of: Callable[[T], str | os.PathLike[str]],
              size_of: Callable[[T], int], jobs: int | None = None
              ) -> Iterator[tuple[T, str | OSError]]:
    """(item, hex digest) for every item, or (item, the OSError) for one that cannot be read;
    in no particular order. `jobs` threads (default: one per core)."""
    ordered = sorted(items, key=size_of, reverse=True)
    workers = jobs or default_jobs()

    def one(item: T) -> tuple[T, str | OSError]:
        try:
            return item, sha256_file(path_of(item))
        except OSError as exc:
            return item, exc

    if workers == 1 or len(ordered) < 2:
        yield from map(one, ordered)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="legos-hash") as pool:
        yield from pool.map(one, ordered)
