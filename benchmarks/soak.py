"""Soak a Neo4j store: writer processes publish (and tag) while reader processes ask questions,
for a bounded time; then check that nothing went wrong, and report p50/p99 of each operation.

    python benchmarks/soak.py --writers 8 --readers 4 --seconds 60        # CI size
    python benchmarks/soak.py --minutes 10 --json                          # a longer run
    python benchmarks/soak.py --writers 4 --restart-at 8 --seconds 40      # kill -9 the server

Without --neo4j-uri a throw-away server is started (scripts/neo4j_server.py); --restart-at S
kills that server with SIGKILL S seconds into the run and starts it again on the same data
and port (only a server this script started). Checks, printed in the summary (exit 1 if any
fails):
- every failure was a LegosError with a one-line message (no other exception), and without
  --restart-at there were none at all;
- every asset's version numbers are 1..n, gap-free;
- each publish call made one version if it reported success, none if it reported failure
  (every call's comment is a unique token): a retried fault never publishes twice;
- every recorded file is in place with its size, and nothing is left under the root (staging
  areas, orphans, folders no version owns).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

import click

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BenchmarkError, log, quantile

PROJECT = "soak"
SHARED = "shared/look"  # every writer publishes it now and then: contention on one asset


# -- workers (run as `soak.py worker ...` processes) -------------------------------------------

def _record(out: Any, op: str, started: float, error: BaseException | None = None,
            **extra: Any) -> None:
    row: dict[str, Any] = {"op": op, "s": time.perf_counter() - started, **extra}
    if error is not None:
        from legos.errors import LegosError

        row["error"] = str(error)
        if not isinstance(error, LegosError):
            row["unexpected"] = "".join(traceback.format_exception(error))
    out.write(json.dumps(row) + "\n")
    out.flush()


def _writer(lg: Any, index: int, deadline: float, out: Any, scratch: Path) -> None:
    from legos.errors import LegosError

    own = [f"w{index}/asset{k}" for k in range(3)]
    step = 0
    while time.monotonic() < deadline:
        asset = SHARED if step % 4 == 3 else own[step % 3]
        token = f"{index}-{step}-{uuid.uuid4().hex[:8]}"
        source = scratch / f"{token}.txt"
        source.write_text(token * 50)
        started = time.perf_counter()
        try:
            version = lg.publish(PROJECT, asset, kind="FileAsset", files=[source],
                                 comment=token, user=f"writer{index}")
        except Exception as exc:  # every failure is recorded and judged
            _record(out, "publish", started, exc, token=token, asset=asset)
        else:
            _record(out, "publish", started, token=token, asset=asset, uri=version.uri)
            if step % 5 == 4:
                started = time.perf_counter()
                try:
                    lg.tag(version.uri, "soak")
                except LegosError as exc:
                    _record(out, "tag", started, exc)
                except Exception as exc:
                    _record(out, "tag", started, exc)
                else:
                    _record(out, "tag", started)
        source.unlink()
        step += 1


def _reader(lg: Any, index: int, deadline: float, out: Any) -> None:
    cursor = None
    step = 0
    while time.monotonic() < deadline:
        op = ("ls", "history", "deps", "events")[step % 4]
        started = time.perf_counter()
        try:
            if op == "ls":
                lg.assets(project=PROJECT)
            elif op == "history":
                lg.history(f"legos:/{PROJECT}/{SHARED}")
            elif op == "deps":
                lg.dependencies(f"legos:/{PROJECT}/{SHARED}?version=latest")
            else:
                got = lg.events(after=cursor, limit=200) if cursor else lg.events(limit=200)
                cursor = got[-1].cursor if got else cursor
        except Exception as exc:
            from legos.errors import NotFoundError

            if isinstance(exc, NotFoundError) and op != "ls":
                time.sleep(0.05)  # nothing published yet
                step += 1
                continue
            _record(out, op, started, exc)
        else:
            _record(out, op, started)
        step += 1


def _worker(role: str, index: int, store: str, seconds: float, out_path: Path) -> None:
    import legos
    import legos.api

    deadline = time.monotonic() + seconds
    scratch = out_path.parent / f"src-{role}{index}"
    scratch.mkdir(exist_ok=True)
    with out_path.open("a") as out:
        lg = None
        while lg is None and time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                lg = legos.open(store, read_only=role == "reader")
            except Exception as exc:  # e.g. the server is down right now
                _record(out, "open", started, exc)
                time.sleep(1)
        if lg is None:
            return
        with lg:
            if role == "writer":
                _writer(lg, index, deadline, out, scratch)
            else:
                _reader(lg, index, deadline, out)


# -- the run --------------------------------------------------------------------------------

def _server_module() -> Any:
    import importlib.util

    helper = Path(__file__).resolve().parent.parent / "scripts" / "neo4j_server.py"
    spec = importlib.util.spec_from_file_location("neo4j_server", helper)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["neo4j_server"] = module
    spec.loader.exec_module(module)
    return module


def kill_and_restart(server: Any) -> float:
    """SIGKILL the server's JVM and start it again on the same home (data) and port; returns
    the seconds it was away."""
    old = server.process
    started = time.monotonic()
    os.killpg(old.pid, signal.SIGKILL)  # its own session: the JVM and anything it started
    old.wait()
    log_fh = open(server.log_path, "ab")  # noqa: SIM115 - the server object keeps it
    server.process = subprocess.Popen(old.args, cwd=server.home, stdin=subprocess.DEVNULL,
                                      stdout=log_fh, stderr=subprocess.STDOUT,
                                      start_new_session=True)
    server._wait_ready()  # a real query answered
    return time.monotonic() - started


def _check(lg: Any, rows: list[dict[str, Any]], root: Path, restarts: int) -> dict[str, Any]:
    from legos.publish_root import check_files_at
    from legos.staging import leftovers

    problems: list[str] = []
    unexpected = [r for r in rows if "unexpected" in r]
    for row in unexpected[:5]:
        problems.append(f"not a LegosError: {row['unexpected'][-600:]}")
    failures = [r for r in rows if "error" in r]
    for row in failures:
        if "\n" in row["error"]:
            problems.append(f"a failure of {row['op']} took several lines: {row['error']!r}")
    if not restarts and failures:
        problems.append(f"{len(failures)} operations failed, e.g. {failures[0]['error']}")
    by_token: dict[str, list[Any]] = defaultdict(list)
    gaps = []
    for asset in lg.assets(project=PROJECT):
        history = lg.history(asset.uri)
        numbers = sorted(h.version for h in history)
        if numbers != list(range(1, len(numbers) + 1)):
            gaps.append(asset.uri)
        for h in history:
            by_token[h.comment].append(h.uri)
    problems += [f"version numbers of {uri} are not gap-free" for uri in gaps]
    publishes = [r for r in rows if r["op"] == "publish"]
    for row in publishes:
        made = by_token.get(row["token"], [])
        if "error" in row and made:
            problems.append(f"publish {row['token']} failed ({row['error']}) but made {made}")
        if "error" not in row and made != [row["uri"]]:
            problems.append(f"publish {row['token']} answered {row['uri']} but made {made}")
    twice = {t: uris for t, uris in by_token.items() if len(uris) > 1}
    problems += [f"one publish call made {uris}" for uris in twice.values()]
    files = lg.store.query("store/all_files")
    problems += [f"{m.uri}: {m.path} {m.problem}" for m in check_files_at(root, files)[:10]]
    problems += [f"left under the root: {item.path} ({item.kind})" for item in leftovers(root)]
    owned = {Path(f["path"]).parts[:4] for f in files}
    for folder in (root / PROJECT).rglob("v[0-9][0-9][0-9]"):
        if folder.relative_to(root).parts not in owned:
            problems.append(f"a folder no version owns: {folder}")
    return {"publishes": len(publishes),
            "published": sum(1 for r in publishes if "error" not in r),
            "failed": len(failures), "versions": sum(len(u) for u in by_token.values()),
            "problems": problems}


def _timings(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_op: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        if "error" not in row:
            by_op[row["op"]].append(row["s"])
    return [{"op": op, "count": len(times), "p50_ms": round(quantile(times, 0.5) * 1000, 1),
             "p99_ms": round(quantile(times, 0.99) * 1000, 1)}
            for op, times in sorted(by_op.items())]


def run(uri: str | None, writers: int, readers: int, seconds: float, restart_at: float | None,
        work: Path) -> dict[str, Any]:
    import legos
    import legos.api

    # the workers and this process use the store named here, nothing from the environment
    # (only a server of yours keeps its LEGOS_NEO4J_* credentials)
    for key in [k for k in os.environ if k.startswith("LEGOS_")]:
        if uri is None or not key.startswith("LEGOS_NEO4J_"):
            del os.environ[key]
    server = None
    if uri is None:
        module = _server_module()
        server = module.Neo4jServer(cds=False)
        log("starting a throw-away Neo4j server (scripts/neo4j_server.py)")
        server.start()
        uri = server.uri
    elif restart_at is not None:
        raise BenchmarkError("--restart-at kills the server: only one this script started "
                             "(leave out --neo4j-uri)")
    env = dict(os.environ)
    restarts: list[float] = []
    try:
        root = work / "publish"
        from legos.store import open_store

        with open_store(uri, schema=False) as store:  # wiped before the schema's Meta
            store.wipe()
        with legos.api.init(uri, root=root):
            pass
        log(f"soak: {writers} writers, {readers} readers, {seconds:g} s on {uri}")
        procs = []
        for role, count in (("writer", writers), ("reader", readers)):
            for i in range(count):
                out = work / f"{role}{i}.jsonl"
                procs.append(subprocess.Popen(
                    [sys.executable, __file__, "worker", role, str(i), uri, str(seconds),
                     str(out)], env=env, stderr=subprocess.PIPE, text=True))
        if restart_at is not None and server is not None:
            time.sleep(restart_at)
            log("killing the server (SIGKILL) and starting it again")
            restarts.append(kill_and_restart(server))
            log(f"server back after {restarts[-1]:.1f} s")
        crashed = []
        for proc in procs:
            _, err = proc.communicate(timeout=seconds + 600)
            if proc.returncode != 0:
                crashed.append(err[-2000:])
        rows = [json.loads(line) for path in sorted(work.glob("*.jsonl"))
                for line in path.read_text().splitlines() if line]
        with legos.open(uri, root=root) as lg:
            summary = _check(lg, rows, root, len(restarts))
        summary["problems"] += [f"a worker process died: {err}" for err in crashed]
        summary.update(writers=writers, readers=readers, seconds=seconds,
                       restarts=len(restarts), restart_s=[round(s, 1) for s in restarts],
                       timings=_timings(rows))
        return summary
    finally:
        if server is not None:
            server.stop()


@click.group(invoke_without_command=True)
@click.option("--neo4j-uri", metavar="URI", help="A server of yours (it is wiped!); default: "
              "a throw-away one.")
@click.option("--writers", type=int, default=8, show_default=True)
@click.option("--readers", type=int, default=4, show_default=True)
@click.option("--seconds", type=float, default=60.0, show_default=True)
@click.option("--minutes", type=float, help="Instead of --seconds, for longer runs.")
@click.option("--restart-at", type=float, metavar="S",
              help="SIGKILL the throw-away server S seconds in, and start it again.")
@click.option("--work-dir", type=click.Path(path_type=Path), help="Default: a temporary one.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def main(ctx: click.Context, neo4j_uri: str | None, writers: int, readers: int,
         seconds: float, minutes: float | None, restart_at: float | None,
         work_dir: Path | None, as_json: bool) -> None:
    if ctx.invoked_subcommand is not None:
        return
    seconds = minutes * 60 if minutes is not None else seconds
    work = work_dir or Path(tempfile.mkdtemp(prefix="legos-soak-"))
    work.mkdir(parents=True, exist_ok=True)
    summary = run(neo4j_uri, writers, readers, seconds, restart_at, work)
    if as_json:
        click.echo(json.dumps(summary, indent=1))
    else:
        click.echo(f"{summary['publishes']} publish calls, {summary['published']} published, "
                   f"{summary['failed']} failed operations, {summary['restarts']} restarts "
                   f"{summary['restart_s']}")
        click.echo(f"{'op':<10}{'count':>8}{'p50 ms':>10}{'p99 ms':>10}")
        for t in summary["timings"]:
            click.echo(f"{t['op']:<10}{t['count']:>8}{t['p50_ms']:>10}{t['p99_ms']:>10}")
        for problem in summary["problems"]:
            click.echo(f"PROBLEM: {problem}")
    if summary["problems"]:
        sys.exit(1)


@main.command("worker", hidden=True)
@click.argument("role", type=click.Choice(["writer", "reader"]))
@click.argument("index", type=int)
@click.argument("store")
@click.argument("seconds", type=float)
@click.argument("out", type=click.Path(path_type=Path))
def worker_cmd(role: str, index: int, store: str, seconds: float, out: Path) -> None:
    _worker(role, index, store, seconds, out)


if __name__ == "__main__":
    main()
