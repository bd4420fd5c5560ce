"""What sharing the embedded store costs: nobody holds it between transactions, so every
command opens it, and every write reopens it read-write and checkpoints on its way out.

Measured in one run on a synthetic production (legos.testing) in an embedded store:
- open + one read + close through legos, against the same read on a raw LadybugDB handle opened
  and closed around it (the engine's own floor);
- a read in a long-lived session (the read-only handle kept until someone writes), against the
  same query on a connection held open for the whole run;
- a small write (a status change, recorded) in a burst of writes and alone (after the writer's
  lingering moment, so it reopens and checkpoints), against the same statements on a
  read-write connection held open for the whole run: the old design, which locked everyone
  else out;
- `legos --help` as a new process, against `python -c pass`.

    python benchmarks/opening.py                 # size 0.1 (~10k nodes)
    python benchmarks/opening.py --size 1 --json

With --json it prints records {"name", "size", "median_s", "baseline_s", "ratio"}.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from common import log, timed
from legos.files import remove_tree
from legos.store.embedded import _LINGER_S
from legos.testing import DEFAULT_SEED, generate
from legos.testing.bulk import bulk_load

_QUERY = "MATCH (a:Asset {path: $path})<-[:VERSION_OF]-(v:Version) RETURN max(v.number) AS n"


def _median(call: Callable[[], Any], repeat: int) -> float:
    call()  # warm caches and imports
    return statistics.median(timed(call)[0] for _ in range(repeat))


def _record(name: str, size: float, legos_s: float, baseline_s: float) -> dict[str, Any]:
    return {"name": name, "size": size, "median_s": legos_s, "baseline_s": baseline_s,
            "ratio": legos_s / baseline_s}


def measure(size: float, repeat: int, work: Path) -> list[dict[str, Any]]:
    import ladybug

    import legos
    from legos.store.embedded import DATABASE_FILE

    location = work / "store"
    graph = generate(size, seed=DEFAULT_SEED)
    with legos.open(str(location), create=True) as lg:
        lg.configure(root=work / "publish")
        log(f"loading {len(graph.versions)} versions")
        bulk_load(lg.store, graph)
    path = graph.assets[0].path
    version_uri = f"legos:/{path}?version=1"
    database = str(location / DATABASE_FILE)
    out = []

    def legos_open_read() -> None:
        with legos.open(str(location)) as lg:
            lg.store.read(lambda tx: tx.run(_QUERY, {"path": path}))

    def raw_open_read() -> None:
        db = ladybug.Database(database, read_only=True)
        conn = ladybug.Connection(db)
        conn.execute(_QUERY, {"path": path}).get_all()
        conn.close()
        db.close()

    out.append(_record("open, one read, close", size, _median(legos_open_read, repeat),
                       _median(raw_open_read, repeat)))

    with legos.open(str(location)) as lg:
        session_read = _median(lambda: lg.store.read(lambda tx: tx.run(_QUERY, {"path": path})),
                               repeat * 10)
    db = ladybug.Database(database, read_only=True)
    conn = ladybug.Connection(db)
    held_read = _median(lambda: conn.execute(_QUERY, {"path": path}).get_all(), repeat * 10)
    conn.close()
    db.close()
    out.append(_record("read in a long session", size, session_read, held_read))

    statuses = iter(["approved", "published"] * (repeat * 4 + 8))
    with legos.open(str(location)) as lg:
        legos_write = _median(lambda: lg.set_status(version_uri, next(statuses)), repeat)
        lone = []
        for _ in range(repeat):  # each after the writer's lingering moment has ended
            time.sleep(_LINGER_S + 0.1)
            lone.append(timed(lambda: lg.set_status(version_uri, next(statuses)))[0])
        lone_write = statistics.median(lone)
    db = ladybug.Database(database)
    conn = ladybug.Connection(db)

    def held_write() -> None:
        conn.execute("BEGIN TRANSACTION")
        conn.execute("MATCH (v:Version {key: $key}) SET v.status = $s",
                     {"key": f"{path}@1", "s": next(statuses)})
        conn.execute("COMMIT")

    held = _median(held_write, repeat)
    out.append(_record("small write, in a burst", size, legos_write, held))
    out.append(_record("small write, alone (reopen, checkpoint)", size, lone_write, held))
    conn.close()
    db.close()

    legos_exe = str(Path(sys.executable).parent / "legos")
    out.append(_record("legos --help (new process)", size,
                       _median(lambda: subprocess.run([legos_exe, "--help"], check=True,
                                                      capture_output=True), repeat),
                       _median(lambda: subprocess.run([sys.executable, "-c", "pass"],
                                                      check=True), repeat)))
    return out


@click.command()
@click.option("--size", default=0.1, show_default=True, help="Synthetic graph size (1.0 ~ 100k nodes).")
@click.option("--repeat", default=15, show_default=True, help="Timed runs per measure.")
@click.option("--json", "as_json", is_flag=True, help="Print records as JSON.")
def main(size: float, repeat: int, as_json: bool) -> None:
    work = Path(tempfile.mkdtemp(prefix="legos-opening-"))
    try:
        records = measure(size, repeat, work)
    finally:
        remove_tree(work)
    if as_json:
        click.echo(json.dumps(records, indent=2))
        return
    for r in records:
        click.echo(f"{r['name']:<40} {r['median_s'] * 1000:9.2f} ms  baseline "
                   f"{r['baseline_s'] * 1000:9.2f} ms  ratio {r['ratio']:6.2f}")


if __name__ == "__main__":
    main()
