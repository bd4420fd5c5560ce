"""The suite's own honesty: `-m "not neo4j"` runs no Neo4j variant, `-m neo4j` runs them all."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _collected(marker: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:randomly",
         "-p", "no:cacheprovider", "-m", marker, str(TESTS)],
        capture_output=True, text=True, cwd=TESTS.parent, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    return [line for line in out.stdout.splitlines() if "::" in line]


def _params(node_id: str) -> list[str]:
    return node_id.partition("[")[2].rstrip("]").split("-")


def _is_neo4j_variant(node_id: str) -> bool:
    return "neo4j" in _params(node_id)


def _twin(node_id: str) -> str:
    name, _, _ = node_id.partition("[")
    return f"{name}[{'-'.join('neo4j' if p == 'embedded' else p for p in _params(node_id))}]"


def test_not_neo4j_deselects_every_neo4j_variant():
    kept = _collected("not neo4j")
    assert kept, "no test collected at all"
    assert [n for n in kept if _is_neo4j_variant(n)] == []
    assert [n for n in kept if "neo4j_uri" in n] == []


def test_neo4j_selects_the_neo4j_variants_of_the_backend_suite():
    chosen = _collected("neo4j")
    variants = [n for n in chosen if _is_neo4j_variant(n)]
    assert variants, "no Neo4j variant collected"
    # every test parametrised over the backends has its Neo4j twin in this selection
    twins = {_twin(n) for n in _collected("not neo4j") if "embedded" in _params(n)}
    assert twins and twins <= set(chosen)
