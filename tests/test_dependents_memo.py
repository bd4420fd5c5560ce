"""Dependents on every backend: the engine's walk gives the users and their statuses, and what
never changes of a version (its fields, its own inputs) is read once per process
(legos.store.dependents_closure), the same modules on both backends. Users published since,
and statuses changed since, still show; every answer equals the edge walk's (the as-of path
reads the edges every time)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from legos.store import dependents_closure


@pytest.fixture
def library(lg, make_file):
    """A texture used by two materials (one through two roles), a look holding both, a QC."""
    tex = lg.publish("demo", "lib/tex/rust", kind="TextureAsset",
                     files=[make_file("rust.png")], user="ben")
    m1 = lg.publish("demo", "chr/a/mtl/skin", kind="MaterialAsset", files=[make_file("a.usda")],
                    dependencies=[("albedo", tex.uri), ("rough", tex.uri)], user="cleo")
    m2 = lg.publish("demo", "chr/b/mtl/skin", kind="MaterialAsset", files=[make_file("b.usda")],
                    dependencies=[("albedo", tex.uri)], user="cleo")
    look = lg.publish("demo", "chr/a/look", kind="LookBindingAsset",
                      files=[make_file("look.usda")],
                      dependencies=[("skin", m1.uri), ("other", m2.uri), ("plate", tex.uri)],
                      user="cleo")
    qc = lg.publish("demo", "chr/a/qc", kind="RenderAsset", files=[make_file("qc.png")],
                    dependencies=[look.uri], user="dev")
    return {"tex": tex, "m1": m1, "m2": m2, "look": look, "qc": qc}


def _answer(rows):
    return [r.model_dump() for r in rows]


def _impact(rows):
    return [(r.uid, r.wave, r.depth, r.role, r.roles, r.relation, r.status) for r in rows]


def _edge_walk(lg, uri):
    """The answer as the edge walk gives it: as of a moment after every publish."""
    return lg.dependents(uri, as_of=datetime.now(timezone.utc))


def test_dependents_asked_again_equal_the_edge_walk(lg, library):
    first = lg.dependents(library["tex"].uri)
    again = lg.dependents(library["tex"].uri)
    assert _answer(first) == _answer(again) == _answer(_edge_walk(lg, library["tex"].uri))
    assert [(r.asset, r.depth, r.roles) for r in first] == [
        ("chr/a/look", 1, ["plate"]), ("chr/a/mtl/skin", 1, ["albedo", "rough"]),
        ("chr/b/mtl/skin", 1, ["albedo"]), ("chr/a/qc", 2, ["look_binding"])]


def test_dependents_show_a_user_published_and_a_status_changed_since(lg, library, make_file):
    lg.dependents(library["tex"].uri)
    lg.impact(library["tex"].uri)
    qc2 = lg.publish("demo", "chr/a/qc", kind="RenderAsset", files=[make_file("qc.png")],
                     dependencies=[library["m2"].uri], user="dev")
    lg.set_status(library["m1"].uri, "approved", user="sup")
    rows = lg.dependents(library["tex"].uri)
    assert (qc2.uid, 2) in {(r.uid, r.depth) for r in rows}
    assert {r.uid: r.status for r in rows}[library["m1"].uid] == "approved"
    assert _answer(rows) == _answer(_edge_walk(lg, library["tex"].uri))
    waves = {r.uid: r.wave for r in lg.impact(library["tex"].uri)}
    assert waves[qc2.uid] == 2 and waves[library["qc"].uid] == 3


def test_a_whole_closure_read_at_once_equals_one_version_at_a_time(lg, library, monkeypatch,
                                                                   modules_asked, make_file):
    one_by_one = lg.dependents(library["tex"].uri)
    lg.store.memo.clear()
    monkeypatch.setattr(dependents_closure, "_KEYED_AT_MOST", 0)  # every version: one read
    del modules_asked[:]
    at_once = lg.dependents(library["tex"].uri)  # all unknown (a fresh process)
    # LadybugDB: one walk (a list of uids joins whole tables there); Neo4j: a seek per uid
    whole = "lineage/dependents_inputs" if lg.store.dialect == "ladybug" else \
        "lineage/versions_inputs"
    assert whole in modules_asked
    assert _answer(at_once) == _answer(one_by_one)
    # a few unknown among many known: those read as a list
    lg.publish("demo", "chr/b/qc", kind="RenderAsset", files=[make_file("qc.png")],
               dependencies=[library["m2"].uri], user="dev")
    del modules_asked[:]
    rows = lg.dependents(library["tex"].uri)
    assert "lineage/versions_inputs" in modules_asked
    assert "lineage/dependents_inputs" not in modules_asked
    assert _answer(rows) == _answer(_edge_walk(lg, library["tex"].uri))
    assert _impact(lg.impact(library["tex"].uri)) == _impact(
        lg.impact(library["tex"].uri, as_of=datetime.now(timezone.utc)))


def test_dependents_asked_again_walk_without_reading_edges(lg, library, modules_asked):
    lg.dependents(library["tex"].uri, revisions=False)
    modules_asked.clear()
    lg.dependents(library["tex"].uri, revisions=False)
    # one design on both backends: the engine walks the users and their statuses; depths and
    # roles come from the remembered inputs of exactly those users
    assert "lineage/dependent_statuses" in modules_asked
    assert not {"lineage/dependents", "lineage/versions_inputs",
                "lineage/version_inputs"} & set(modules_asked)


def test_a_new_user_is_read_alone_and_the_answer_stays_the_edge_walk_s(lg, library, make_file,
                                                                       modules_asked):
    lg.dependents(library["tex"].uri, revisions=False)
    m3 = lg.publish("demo", "chr/c/mtl/skin", kind="MaterialAsset", files=[make_file("c.usda")],
                    dependencies=[("albedo", library["tex"].uri)], user="cleo")
    modules_asked.clear()
    rows = lg.dependents(library["tex"].uri, revisions=False)
    assert m3.uid in {r.uid for r in rows}
    assert _answer(rows) == _answer(lg.dependents(library["tex"].uri, revisions=False,
                                                  as_of=datetime.now(timezone.utc)))
    read = [m for m in modules_asked if m in ("lineage/version_inputs", "lineage/versions_inputs")]
    assert read == (["lineage/version_inputs"] if lg.store.dialect == "ladybug"
                    else ["lineage/versions_inputs"])


def test_a_caller_changing_its_rows_does_not_change_the_next_answer(lg, library):
    first = lg.dependents(library["tex"].uri, revisions=False)
    for row in first:
        row.roles.append("changed by a caller")
    again = lg.dependents(library["tex"].uri, revisions=False)
    assert "changed by a caller" not in {r for row in again for r in row.roles}
