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
        one_start = record["start_kind"] in ("whole graph", "most-used texture")
        assert record["starts"] == (1 if one_start else 2)
        if record["ratio_vs_per_hop"] is not None:
            assert record["ratio_vs_per_hop"] > 0 and record["per_hop_starts"] == 1


def test_queries_benchmark_reports_the_most_used_texture_and_its_first_call(tmp_path):
    """Issue 12 holds dependents/impact of the most-used texture to a time: the benchmark
    always measures that texture, in records of its own, first call included."""
    pytest.importorskip("networkx")
    from legos.testing import DEFAULT_SEED, generate, lineage_digraph

    graph = generate(0.01, DEFAULT_SEED)
    users = lineage_digraph(graph).in_degree
    top = min((v for v in graph.versions if v.kind == "TextureAsset"),
              key=lambda v: (-users(v.uid), v.uid))
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "queries.py"), "--size", "0.01",
         "--backend", "embedded", "--samples", "1", "--repeat", "2", "--per-hop-starts", "1",
         "--question", "dependents", "--question", "impact", "--json",
         "--work-dir", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=300, cwd=REPO)
    assert done.returncode == 0, done.stderr[-3000:]
    records = {r["name"]: r for r in json.loads(done.stdout)}
    assert set(records) == {"dependents", "dependents_top", "dependents_top_first",
                            "impact", "impact_top", "impact_top_first"}
    for name in ("dependents", "impact"):
        timed, first = records[f"{name}_top"], records[f"{name}_top_first"]
        for record in (timed, first):
            assert set(record) >= RECORD_KEYS, record
            assert record["start_uri"] == top.uri and record["direct_users"] == users(top.uid)
            assert record["starts"] == 1 and record["median_s"] > 0
        assert timed["samples"] == 2 and timed["ratio_vs_per_hop"] > 0
        assert first["samples"] == 1 and first["repeat"] == 1
        assert first["fresh_handle_after_warm_s"] > 0
        assert first["answer_max"] == timed["answer_max"] == records[name]["answer_max"]
