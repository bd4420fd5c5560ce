"""Rows come back alike from every backend, whatever form the store's driver read them in
(Neo4j spellings may hand back an answer transposed, as one record: legos/store/neo4j_bolt.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

TRANSPOSED = """
UNWIND [['a', 1, null], ['b', 2, 'x']] AS row
WITH row WHERE row[1] <= $upto
RETURN ['name', 'number', 'note', 'at_epoch_us'] AS _columns,
       collect([row[0], row[1], row[2], row[1] * 1000000]) AS _rows
"""


@pytest.fixture
def neo4j_only(lg):
    if lg.store.dialect != "neo4j":
        pytest.skip("the transposed form is a Neo4j spelling's")


def test_a_transposed_answer_comes_back_as_rows(lg, neo4j_only):
    rows = lg.store.read(lambda tx: tx.run(TRANSPOSED, {"upto": 5}))
    assert [(r["name"], r["number"], r["note"]) for r in rows] == [("a", 1, None), ("b", 2, "x")]
    assert list(rows[0]) == ["name", "number", "note", "at"]
    assert rows[1]["at"] - rows[0]["at"] == timedelta(seconds=1)
    assert rows[0]["at"].utcoffset() == timedelta(0)


def test_an_empty_transposed_answer_is_no_rows(lg, neo4j_only):
    assert lg.store.read(lambda tx: tx.run(TRANSPOSED, {"upto": 0})) == []
    assert lg.store.read(lambda tx: tx.table("lineage/dependents", uid="no such uid",
                                             as_of=datetime.now().astimezone())) == ([], [])


def test_lineage_modules_give_the_same_rows_on_every_backend(lg, make_file):
    """What `legos query lineage/...` shows: one row per edge, its columns, nulls and times."""
    tex = lg.publish("demo", "tex/a", kind="TextureAsset", files=[make_file("a.png")], user="ben")
    mat = lg.publish("demo", "mtl/a", kind="MaterialAsset", files=[make_file("a.usda")],
                     dependencies=[tex.uri, ("bump", tex.uri)], user="cleo")
    rows = lg.query("lineage/dependents", {"uid": tex.uri})
    assert sorted((r["near"], r["uri"], r["relation"], r["role"]) for r in rows) == [
        (tex.uri, mat.uri, "depends_on", "bump"), (tex.uri, mat.uri, "depends_on", "texture")]
    assert {r["created_at"] for r in rows} == {mat.created_at}
    assert list(rows[0]) == ["near", "relation", "role", "uri", "project", "asset", "kind",
                             "version", "status", "created_by", "created_at"]
    assert lg.query("lineage/dependents", {"uid": mat.uri}) == []
    steps = lg.query("lineage/evolution", {"path": "demo/mtl/a"})
    assert [(s["version"], s["input_asset"], s["role"]) for s in steps
            if s["input_asset"]] in ([(1, "tex/a", "bump"), (1, "tex/a", "texture")],
                                     [(1, "tex/a", "texture"), (1, "tex/a", "bump")])
    assert lg.query("lineage/dependency_statuses", {"uid": tex.uri}) == []


def test_a_version_s_users_and_inputs_as_legos_remembers_them(lg, make_file):
    """lineage/dependent_statuses (what changes of a dependents closure) and
    lineage/versions_inputs (what never does), on both backends."""
    tex = lg.publish("demo", "tex/a", kind="TextureAsset", files=[make_file("a.png")], user="ben")
    mat = lg.publish("demo", "mtl/a", kind="MaterialAsset", files=[make_file("a.usda")],
                     dependencies=[tex.uri, ("bump", tex.uri)], user="cleo")
    assert lg.query("lineage/dependent_statuses", {"uid": tex.uri}) == [
        {"uri": mat.uri, "status": mat.status}]
    rows = lg.query("lineage/versions_inputs", {"uids": f'["{tex.uri}", "{mat.uri}"]'})
    with_inputs = [r for r in rows if r["inputs"]]
    assert len(with_inputs) == 1 and with_inputs[0]["uri"] == mat.uri
    assert sorted(zip(with_inputs[0]["roles"], with_inputs[0]["relations"], strict=True)) == [
        ("bump", "depends_on"), ("texture", "depends_on")]
    assert {r["uri"]: r["created_at"] for r in rows} == {tex.uri: tex.created_at,
                                                           mat.uri: mat.created_at}


def test_times_inside_nested_lists_come_back_aware(lg):
    """A column is converted by its first value, looked for inside nested lists too."""
    t = datetime(2026, 3, 1, 12, 0).astimezone()
    [row] = lg.store.read(lambda tx: tx.run("RETURN [[], [$t]] AS times, [['a']] AS names",
                                            {"t": t}))
    assert row["times"] == [[], [t]]
    assert row["times"][1][0].utcoffset() == timedelta(0)
    assert row["names"] == [["a"]]
