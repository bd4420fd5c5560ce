"""Each question asks the store no more often than it needs: every query is a round trip
(over Bolt, a millisecond or more), so the questions are judged by which modules they run."""

from __future__ import annotations

import pytest


@pytest.fixture
def look(lg, make_file):
    tex = lg.publish("demo", "chr/s/tex/albedo", kind="TextureAsset",
                     files=[make_file("albedo.png")], user="ben")
    mat = lg.publish("demo", "chr/s/mtl/skin", kind="MaterialAsset",
                     files=[make_file("skin.usda")], dependencies=[tex.uri], user="cleo")
    look1 = lg.publish("demo", "chr/s/look", kind="LookBindingAsset",
                       files=[make_file("look.usda")], dependencies=[mat.uri], user="cleo")
    look2 = lg.publish("demo", "chr/s/look", kind="LookBindingAsset",
                       files=[make_file("look.usda")], dependencies=[tex.uri], user="cleo")
    return {"tex": tex, "mat": mat, "look1": look1, "look2": look2}


def test_evolution_of_an_asset_with_versions_is_one_query(lg, look, modules_asked):
    steps = lg.evolution("legos:/demo/chr/s/look")
    assert [s.version for s in steps] == [1, 2]
    assert modules_asked == ["lineage/evolution"]


def test_path_uses_the_remembered_closure_of_its_first_version(lg, look, modules_asked):
    lg.dependencies(look["look1"].uri)
    modules_asked.clear()
    steps = lg.path(look["look1"].uri, look["tex"].uri)
    assert [s.uid for s in steps] == [look[k].uid for k in ("look1", "mat", "tex")]
    assert not {"lineage/path", "lineage/dependencies"} & set(modules_asked)


def test_evolution_asked_again_reads_only_the_versions(lg, look, make_file, modules_asked):
    first = lg.evolution("legos:/demo/chr/s/look")
    modules_asked.clear()
    again = lg.evolution("legos:/demo/chr/s/look")
    assert modules_asked == ["versions/history"]  # each version's inputs never change
    assert [s.model_dump() for s in again] == [s.model_dump() for s in first]
    lg.set_status(look["look1"].uri, "approved", user="sup")
    look3 = lg.publish("demo", "chr/s/look", kind="LookBindingAsset",
                       files=[make_file("look.usda")], dependencies=[look["mat"].uri], user="cleo")
    steps = lg.evolution("legos:/demo/chr/s/look")
    assert [(s.version, s.status) for s in steps][:1] == [(1, "approved")]
    assert [(c.change, c.asset) for c in steps[2].changes] == [
        ("added", "demo/chr/s/mtl/skin"), ("removed", "demo/chr/s/tex/albedo")]
    assert steps[2].uid == look3.uid
    assert [s.model_dump() for s in lg.evolution("legos:/demo/chr/s/look")] == [
        s.model_dump() for s in steps]
