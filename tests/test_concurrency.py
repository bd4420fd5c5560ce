"""Concurrent publishes: unique, gap-free numbers, and a killed publish (sharing one embedded
store between processes: test_store_sharing.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import legos


def test_threads_publishing_one_asset_get_unique_gap_free_numbers(tmp_path, make_file):
    src = make_file("a.txt", "x")
    with legos.open(str(tmp_path / "store"), create=True) as lg:
        lg.configure(root=tmp_path / "root")

        def publish_many(worker: int) -> list[int]:
            return [lg.publish("demo", "shared/asset", kind="FileAsset", files=[src],
                               user=f"w{worker}").number for _ in range(10)]

        with ThreadPoolExecutor(8) as pool:
            numbers = [n for batch in pool.map(publish_many, range(8)) for n in batch]
        assert sorted(numbers) == list(range(1, 81))
        assert sorted(h.version for h in lg.history("legos:/demo/shared/asset")) == list(range(1, 81))
        folders = sorted(p.name for p in (lg.root / "demo/shared/asset").iterdir())
        assert folders == [f"v{n:03}" for n in range(1, 81)]


_KILLED_PUBLISHER = """
import sys, legos
lg = legos.open(sys.argv[1])
lg.publish("demo", "plate/big", kind="FileAsset", files=[sys.argv[3]])
"""


def test_a_publish_killed_mid_copy_leaves_nothing_visible(tmp_path):
    big = tmp_path / "big.exr"
    with open(big, "wb") as handle:  # real bytes, so the copy takes a while
        chunk = os.urandom(1 << 20)
        for _ in range(768):
            handle.write(chunk)
    store, root = str(tmp_path / "store"), tmp_path / "root"
    with legos.open(store, create=True) as lg:
        lg.configure(root=root)
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_PUBLISHER, store, str(root), str(big)])
    staging = root / ".legos/staging"
    deadline = time.monotonic() + 60
    while not any(staging.rglob("big.exr")) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert any(staging.rglob("big.exr")), "the publish never started copying"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert [p for p in staging.iterdir() if p.is_dir()], "the killed publish left its copy"
    with legos.open(store) as lg:
        assert lg.assets() == []
        assert not (root / "demo").exists()
        # the store is healthy: the same publish now goes through as v1, and clears the dead
        # publish's staging area at once (not a day later)
        assert lg.publish("demo", "plate/big", kind="FileAsset", files=[big]).number == 1
    assert list(staging.iterdir()) == []


_NEO4J_PUBLISHER = """
import sys, legos
lg = legos.open(sys.argv[1], root=sys.argv[2])
out = [lg.publish("demo", "shared/asset", kind="FileAsset", files=[sys.argv[5]],
                  user="p" + sys.argv[3]).number
       for _ in range(int(sys.argv[4]))]
print(" ".join(map(str, out)))
"""


@pytest.mark.neo4j
@pytest.mark.slow
def test_processes_publishing_one_asset_on_neo4j_get_versions_1_to_200(neo4j_uri, tmp_path):
    from legos.store import open_store

    with open_store(neo4j_uri, schema=False) as store:
        store.wipe()
        store.ensure_schema(create=True)
    root = str(tmp_path / "root")
    src = tmp_path / "shared.txt"
    src.write_text("shared")
    procs = [subprocess.Popen([sys.executable, "-c", _NEO4J_PUBLISHER, neo4j_uri, root, str(i),
                               "25", str(src)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(8)]
    numbers = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err[-2000:]
        numbers += [int(n) for n in out.split()]
    assert sorted(numbers) == list(range(1, 201))
    with legos.open(neo4j_uri, root=root) as lg:
        assert [h.version for h in lg.history("legos:/demo/shared/asset")] == list(range(200, 0, -1))
        creators = {h.created_by for h in lg.history("legos:/demo/shared/asset")}
        assert creators == {f"p{i}" for i in range(8)}
