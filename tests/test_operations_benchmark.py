"""benchmarks/operations.py runs end to end on a few small files and prints the records it
promises (no timed assertions: the figures are for the notes)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="no sha256sum on PATH")
def test_the_verify_benchmark_compares_legos_with_sha256sum(tmp_path):
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "operations.py"), "--only", "verify",
         "--large", "2", "--large-mib", "1", "--small", "20", "--repeat", "1", "--jobs", "2",
         "--json", "--work-dir", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=300, cwd=REPO, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    records = json.loads(done.stdout)
    assert [r["name"] for r in records] == ["verify_hash", "verify", "verify_hash_1job"]
    for record in records:
        assert record["backend"] == "embedded" and record["files"] == 22
        assert record["size"] == round((2 * (1 << 20) + 20 * (32 << 10)) / (1 << 20), 1)
        assert record["median_s"] > 0 and record["ratio_vs_sha256sum"] > 0
        assert record["ratio_vs_sha256sum_parallel"] > 0 and record["jobs"] == 2
