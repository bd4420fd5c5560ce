"""The lineage questions keep their plans on Neo4j: a walk from the start version's unique
index, never a scan of a whole index joined back to the walk (which once turned 50 ms into
6 s when Neo4j chose the Version(created_at) index for an as-of test)."""

from __future__ import annotations

import pytest

from legos import cypher
from legos.catalog import NO_TIME

WALKS = {
    "lineage/dependencies": {"uid": "u", "as_of": NO_TIME},
    "lineage/dependents": {"uid": "u", "as_of": NO_TIME},
    "lineage/dependency_statuses": {"uid": "u"},
    "lineage/contents": {"uid": "u", "as_of": NO_TIME},
    "lineage/stale": {"uid": "u", "as_of": NO_TIME},
    "lineage/revisions_downstream": {"uid": "u", "as_of": NO_TIME},
    "lineage/path": {"from_uid": "u", "to_uid": "w"},
    "lineage/evolution": {"path": "p", "as_of": NO_TIME},
    "pins/closure": {"uid": "u"},
    "versions/users_closure": {"uid": "u"},
}
_SCANS = ("NodeIndexScan", "NodeIndexSeekByRange", "NodeByLabelScan", "AllNodesScan")


def _operators(plan: dict) -> list[tuple[str, str]]:
    """(operator, details) from the root down."""
    out = [(plan["operatorType"].split("@")[0], str(plan["args"].get("Details", "")))]
    for child in plan.get("children", []):
        out += _operators(child)
    return out


@pytest.fixture(scope="module")
def production(neo4j_uri):
    """A small production graph: plans depend on the store's statistics, so not an empty one."""
    from legos.store import open_store
    from legos.testing import generate
    from legos.testing.bulk import bulk_load

    with open_store(neo4j_uri, schema=False) as store:
        store.wipe()
    with open_store(neo4j_uri, create=True) as store:
        bulk_load(store, generate(0.02))
        yield store
        store.wipe()


@pytest.mark.neo4j
@pytest.mark.parametrize("name", sorted(WALKS))
def test_neo4j_plans_each_walk_from_the_start_version(production, name):
    text = cypher.load(name, "neo4j").text
    # EXPLAIN through the store's own transaction (its driver, credentials and database)
    plan = production.read(lambda tx: tx._tx.run("EXPLAIN " + text, WALKS[name]).consume().plan)
    steps = _operators(plan)
    operators = {operator for operator, _ in steps}
    assert not operators & set(_SCANS), f"{name}: {steps}"
    assert "NodeUniqueIndexSeek" in operators, f"{name}: {steps}"
