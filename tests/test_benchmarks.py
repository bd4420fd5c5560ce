"""The benchmarks run end to end on a tiny graph and print the records they promise (no timed
assertions: the figures are for the notes, not for the test suite)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
RECORD_KEYS = {"name", "backend", "size", "median_s", "ratio_vs_networkx", "ratio_vs_per_hop"}


def test_queries_benchmark_answers_every_question_on_a_tiny_graph(tmp_path):
    pytest.importorskip("networkx")
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "queries.py"), "--size", "0.01",
         "--backend", "embedded", "--samples", "2", "--repeat", "1", "--per-hop-starts", "1",
         "--json", "--work-dir", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=300, cwd=REPO)
    assert done.returncode == 0, done.stderr[-3000:]
    records = json.loads(done.stdout)
    names = [r["name"] for r in records]
    assert {"dependencies", "dependents"} <= set(names)
    assert len(names) == len(set(names))  # one record per question (one backend, one size)
    for record in records:
        assert set(record) >= RECORD_KEYS, record
        assert record["backend"] == "embedded" and record["size"] == 0.01
        assert record["median_s"] > 0 and record["ratio_vs_networkx"] > 0
        assert record["samples"] == record["starts"]  # --repeat 1
        assert record["starts"] == (1 if record["start_kind"] == "whole graph" else 2)
        if record["ratio_vs_per_hop"] is not None:
            assert record["ratio_vs_per_hop"] > 0 and record["per_hop_starts"] == 1
