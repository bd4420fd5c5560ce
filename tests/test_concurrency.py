"""Concurrent publishes: unique, gap-free numbers; a busy embedded store; a killed publish."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import legos
from legos.errors import StoreBusyError


def test_threads_publishing_one_asset_get_unique_gap_free_numbers(tmp_path, make_file):
    src = make_file("a.txt", "x")
    with legos.open(str(tmp_path / "store")) as lg:
        lg.configure(root=tmp_path / "root")

        def publish_many(worker: int) -> list[int]:
            return [lg.publish("demo", "shared/asset", kind="FileAsset", files=[src],
                               user=f"w{worker}").number for _ in range(10)]

        with ThreadPoolExecutor(8) as pool:
            numbers = [n for batch in pool.map(publish_many, range(8)) for n in batch]
        assert sorted(numbers) == list(range(1, 81))
        assert sorted(h["version"] for h in lg.history("legos:/demo/shared/asset")) == list(range(1, 81))
        folders = sorted(p.name for p in (lg.root / "demo/shared/asset").iterdir())
        assert folders == [f"v{n:03}" for n in range(1, 81)]


_HOLDER = """
import sys, time, legos
lg = legos.open(sys.argv[1]); lg.configure(root=sys.argv[2])
print("open", flush=True)
time.sleep(float(sys.argv[3]))
lg.close()
"""


def test_second_process_waits_then_gets_a_clear_busy_error(tmp_path, monkeypatch):
    store = str(tmp_path / "store")
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, store, str(tmp_path / "root"), "4"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        monkeypatch.setenv("LEGOS_LOCK_TIMEOUT", "0.5")
        with pytest.raises(StoreBusyError, match=r"in use by another process.*LEGOS_LOCK_TIMEOUT"):
            legos.open(store)
        monkeypatch.setenv("LEGOS_LOCK_TIMEOUT", "60")
        started = time.monotonic()
        with legos.open(store) as lg:  # waits for the holder, then works
            assert time.monotonic() - started > 0.5
            assert lg.assets() == []
    finally:
        holder.wait(timeout=60)
    assert holder.returncode == 0


_KILLED_PUBLISHER = """
import sys, legos
lg = legos.open(sys.argv[1]); lg.configure(root=sys.argv[2])
lg.publish("demo", "plate/big", kind="FileAsset", files=[sys.argv[3]])
"""


def test_a_publish_killed_mid_copy_leaves_nothing_visible(tmp_path):
    big = tmp_path / "big.exr"
    with open(big, "wb") as handle:  # real bytes, so the copy takes a while
        chunk = os.urandom(1 << 20)
        for _ in range(768):
            handle.write(chunk)
    store, root = str(tmp_path / "store"), tmp_path / "root"
    with legos.open(store) as lg:
        lg.configure(root=root)
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_PUBLISHER, store, str(root), str(big)])
    staging = root / ".legos/staging"
    deadline = time.monotonic() + 60
    while not any(staging.rglob("big.exr")) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert any(staging.rglob("big.exr")), "the publish never started copying"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with legos.open(store) as lg:
        assert lg.assets() == []
        assert not (root / "demo").exists()
        # the store is healthy: the same publish now goes through as v1
        assert lg.publish("demo", "plate/big", kind="FileAsset", files=[big]).number == 1


_NEO4J_PUBLISHER = """
import sys, legos
lg = legos.open(sys.argv[1], root=sys.argv[2])
out = [lg.publish("demo", "shared/asset", kind="FileAsset", user="p" + sys.argv[3]).number
       for _ in range(int(sys.argv[4]))]
print(" ".join(map(str, out)))
"""


@pytest.mark.neo4j
@pytest.mark.slow
def test_processes_publishing_one_asset_on_neo4j_get_versions_1_to_200(neo4j_uri, tmp_path):
    from legos.store import open_store

    with open_store(neo4j_uri, schema=False) as store:
        store.wipe()
        store.ensure_schema()
    root = str(tmp_path / "root")
    procs = [subprocess.Popen([sys.executable, "-c", _NEO4J_PUBLISHER, neo4j_uri, root, str(i), "25"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(8)]
    numbers = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err[-2000:]
        numbers += [int(n) for n in out.split()]
    assert sorted(numbers) == list(range(1, 201))
    with legos.open(neo4j_uri, root=root) as lg:
        assert [h["version"] for h in lg.history("legos:/demo/shared/asset")] == list(range(200, 0, -1))
        creators = {h["created_by"] for h in lg.history("legos:/demo/shared/asset")}
        assert creators == {f"p{i}" for i in range(8)}
