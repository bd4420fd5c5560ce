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
