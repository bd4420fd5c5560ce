"""Faults survived, on both backends: a publishing process SIGKILLed at random points (100 times
by default), and a publish that runs out of disk. Afterwards nothing is half: `legos verify`
finds no partial version and no damaged file, `legos gc` leaves the root clean, numbers stay
gap-free, and the next publish works."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

import legos

REPO = Path(__file__).resolve().parent.parent
ITERATIONS = int(os.environ.get("LEGOS_FAULT_ITERATIONS", "100"))


def _init(store_location: str, root: Path) -> None:
    with legos.open(store_location, create=True) as lg:
        lg.configure(root=root)


@pytest.mark.slow
def test_publishes_killed_at_random_points_leave_nothing_half(store_location, tmp_path):
    root = tmp_path / "publish"
    _init(store_location, root)
    done = subprocess.run(
        [sys.executable, str(REPO / "tests" / "fault_publisher.py"), store_location, str(root),
         str(tmp_path / "work"), "--count", str(ITERATIONS), "--seed", "11"],
        capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(done.stdout)
    print("fault summary:", json.dumps(summary))  # the counts, for the notes (pytest -s)
    assert summary["outcomes"].get("killed", 0) >= ITERATIONS // 2
    assert sum(summary["killed_at_point"].values()) == (ITERATIONS + 1) // 2
    with legos.open(store_location) as lg:
        before = lg.verify()
        # every committed version is whole, every visible file complete: what is left is only
        # what gc knows (dead staging areas and locks, folders renamed but never committed)
        assert {f.kind for f in before} <= {"staging", "orphan"}, before[:5]
        assert all("killed before its commit" in f.detail for f in before if f.kind == "orphan")
        numbers: dict[str, list[int]] = defaultdict(list)
        for asset in lg.assets("faults"):
            numbers[asset.path] = sorted(h.version for h in lg.history(asset.uri))
        for path, got in numbers.items():
            assert got == list(range(1, len(got) + 1)), f"{path} has gaps: {got}"
        count = sum(len(got) for got in numbers.values())
        assert summary["versions_at_least"] <= count <= summary["versions_at_most"]
        print("committed versions:", count, "verify before gc:",
              dict(Counter(f.kind for f in before)))
        lg.gc()
        assert lg.verify() == []
        assert not list((root / ".legos" / "staging").iterdir())
        # and the store takes the next publish
        src = tmp_path / "work" / "plate0.exr"
        assert lg.publish("faults", "a0", kind="FileAsset", files=[src]).number == len(
            numbers.get("faults/a0", [])) + 1
        assert lg.verify() == []


# -- disk full --------------------------------------------------------------------------------

def _limit_file_size(limit: int):
    def apply() -> None:
        # a write past the limit fails with EFBIG instead of killing the process (SIGXFSZ)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    return apply


def test_a_publish_that_runs_out_of_room_says_so_and_leaves_nothing(store_location, tmp_path):
    root = tmp_path / "publish"
    _init(store_location, root)
    store_files = tmp_path / "store"
    largest = max((p.stat().st_size for p in store_files.rglob("*") if p.is_file()), default=0)
    limit = max(8 << 20, largest * 4)  # room for the store's own files, not for the plate
    big = tmp_path / "plate.exr"
    big.write_bytes(os.urandom(limit + (1 << 20)))
    env = {**os.environ, "LEGOS_STORE": store_location, "LEGOS_USER": "ana"}
    command = [sys.executable, "-c", "from legos.cli.main import main; main()", "publish",
               "demo/plate", "--kind", "FileAsset", "--file", str(big)]
    full = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300,
                          preexec_fn=_limit_file_size(limit), check=False)
    assert full.returncode == 1, full.stderr
    lines = full.stderr.strip().splitlines()
    assert len(lines) == 1, full.stderr
    assert lines[0].startswith("legos: error: no room in the publish root ")
    assert str(root) in lines[0] and "free space there" in lines[0]
    assert "File too large" in lines[0]
    with legos.open(store_location) as lg:
        assert lg.assets() == []
        assert lg.verify() == []  # nothing half: no staging copy, no version folder
        assert lg.gc() == []
    # with room again, the same publish goes through
    again = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300,
                           check=False)
    assert again.returncode == 0, again.stderr
    with legos.open(store_location) as lg:
        version = lg.show("legos:/demo/plate?version=1")
        assert version.representations[0].size == big.stat().st_size
        assert lg.verify() == []


def test_every_no_room_error_becomes_a_storage_full_error(lg, make_file, monkeypatch):
    import errno

    from legos import files
    from legos.errors import StorageFullError

    real_open = open
    for code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):

        def failing_open(path, mode="r", *args, code=code, **kwargs):
            if "w" in mode and ".legos/staging" in str(path):
                raise OSError(code, os.strerror(code), str(path))
            return real_open(path, mode, *args, **kwargs)

        monkeypatch.setattr(files, "open", failing_open, raising=False)
        with pytest.raises(StorageFullError, match=rf"no room in the publish root {lg.root} "):
            lg.publish("demo", "a", kind="FileAsset", files=[make_file("a.txt", "a")])
        monkeypatch.undo()
    assert lg.assets() == []
    assert lg.verify() == []
