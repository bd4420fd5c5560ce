"""Publish again and again in forked children and SIGKILL each one somewhere (tests/test_faults.py).

    python tests/fault_publisher.py STORE ROOT WORKDIR --count 100 --seed 1

Even iterations die at a named point of the publish (legos.operations.faults: copy, hash,
rename, commit, in turn); odd ones are killed by this process a random delay after their first
copied chunk, within the span a plain publish takes from there to its commit (measured first),
so they land anywhere there, also inside the engine's commit. Each child
reports the points it passed on a pipe. legos is imported once here and each child forks from
it, so an iteration costs a publish, not an interpreter. Prints one JSON summary.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import sys
import threading
import time
import traceback
from collections import Counter
from pathlib import Path

import legos
import legos.api
import legos.publish
from legos.operations.faults import POINTS
from legos.store.connect import is_neo4j_uri

ASSETS = 4
SIZE = 4 << 20  # 4 MiB: a copy takes some milliseconds


def _child(store: str, root: str, asset: str, source: Path, kill_at: str | None,
           phase_fd: int) -> None:
    os.environ["LEGOS_TEST_PHASE_FD"] = str(phase_fd)
    if kill_at:
        os.environ["LEGOS_TEST_KILL_AT"] = kill_at
    try:
        with legos.open(store, root=root) as lg:
            lg.publish("faults", asset, kind="FileAsset", files=[source], comment=kill_at or "")
        os.write(phase_fd, b"done\n")
        code = 0
    except BaseException:
        traceback.print_exc()
        code = 3
    os._exit(code)


def _run(store: str, root: str, asset: str, source: Path, kill_at: str | None,
         delay: float | None) -> tuple[str, list[tuple[str, float]], float]:
    """One publish in a forked child: ("killed" | "done" | "failed", the points it passed with
    when they were reported, seconds)."""
    read, write = os.pipe()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read)
        _child(store, root, asset, source, kill_at, write)
    os.close(write)
    timer = None
    points: list[tuple[str, float]] = []
    pending = b""
    while chunk := os.read(read, 4096):  # until the child's end closes the pipe
        at = time.perf_counter() - started
        pending += chunk
        *lines, pending = pending.split(b"\n")
        points.extend((line.decode(), at) for line in lines if line)
        if delay is not None and timer is None and points:
            # counted from its first copied chunk, whatever the machine's load before it (a
            # child that already ended is a zombie until waited for: the kill is harmless)
            timer = threading.Timer(delay, os.kill, (pid, signal.SIGKILL))
            timer.start()
    os.close(read)
    _, status = os.waitpid(pid, 0)
    if timer is not None:
        timer.cancel()
        timer.join()
    elapsed = time.perf_counter() - started
    names = [name for name, _ in points]
    if "done" in names:
        outcome = "done"
    elif os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
        outcome = "killed"
    else:
        outcome = "failed"
    return outcome, [(n, t) for n, t in points if n != "done"], elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store")
    parser.add_argument("root")
    parser.add_argument("work", type=Path)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    # what a publish imports lazily is imported once here, before any fork
    if is_neo4j_uri(args.store):
        import neo4j  # noqa: F401
    else:
        import ladybug  # noqa: F401
    args.work.mkdir(parents=True, exist_ok=True)
    sources = []
    for i in range(ASSETS):
        path = args.work / f"plate{i}.exr"
        path.write_bytes(rng.randbytes(SIZE))
        sources.append(path)
    begun = time.perf_counter()
    # how long a plain publish takes from its first copied chunk to its commit, measured here:
    # the random kills fall in that span (and a little after), where the files and the store
    # change
    spans = []
    for i in range(ASSETS):  # the first ones run cold (a new connection, empty caches)
        outcome, points, _ = _run(args.store, args.root, f"a{i}", sources[i], None, None)
        if outcome != "done":
            sys.exit(f"a plain publish failed ({outcome})")
        when = dict(points)
        spans.append(when["commit"] - when["copy"])
    span = statistics.median(spans) * 1.2
    summary: dict[str, object] = {"random_span_s": round(span, 4)}
    at_point: Counter[str] = Counter()
    random_last: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    reached_commit = reached_rename = ASSETS  # the plain publishes
    for i in range(args.count):
        asset = f"a{rng.randrange(ASSETS)}"
        source = sources[rng.randrange(ASSETS)]
        if i % 2 == 0:
            point = POINTS[(i // 2) % len(POINTS)]
            outcome, points, _ = _run(args.store, args.root, asset, source, point, None)
            if outcome == "killed":
                at_point[point] += 1
        else:
            delay = rng.uniform(0, span)
            outcome, points, _ = _run(args.store, args.root, asset, source, None, delay)
            if outcome == "killed":
                random_last[points[-1][0] if points else "start"] += 1
        outcomes[outcome] += 1
        names = {name for name, _ in points}
        reached_commit += "commit" in names or outcome == "done"
        reached_rename += "rename" in names or outcome == "done"
        if outcome == "failed":
            sys.exit(f"iteration {i} failed instead of dying or publishing")
    summary.update({
        "iterations": args.count, "outcomes": dict(outcomes), "killed_at_point": dict(at_point),
        "killed_at_random_after": dict(random_last),
        # committed versions lie between these: a random kill may land inside the commit
        "versions_at_least": reached_commit, "versions_at_most": reached_rename,
        "seconds": round(time.perf_counter() - begun, 2)})
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
