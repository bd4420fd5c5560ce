"""A published version's dependency closure is read from the store once per process
(legos.memo): asking again re-reads only what can change, its versions' statuses."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from legos.model import LineageRow
from legos.rows import trusted


@pytest.fixture
def chain(lg, make_file):
    """texture <- material <- look <- QC render."""
    tex = lg.publish("demo", "chr/s/tex/albedo", kind="TextureAsset",
                     files=[make_file("albedo.png")], user="ben")
    mat = lg.publish("demo", "chr/s/mtl/skin", kind="MaterialAsset",
                     files=[make_file("skin.usda")], dependencies=[tex.uri], user="cleo")
    look = lg.publish("demo", "chr/s/look", kind="LookBindingAsset",
                      files=[make_file("look.usda")], dependencies=[("skin", mat.uri)],
                      user="cleo")
    qc = lg.publish("demo", "chr/s/qc", kind="RenderAsset", files=[make_file("qc.png")],
                    dependencies=[look.uri, ("plate", tex.uri)], user="dev")
    return {"tex": tex, "mat": mat, "look": look, "qc": qc}




def _answer(rows):
    return [(r.asset, r.version, r.depth, r.role, r.roles, r.relation, r.status) for r in rows]


def test_dependencies_asked_again_read_only_statuses(lg, chain, modules_asked):
    first = lg.dependencies(chain["qc"].uri)
    assert "lineage/dependencies" in modules_asked
    modules_asked.clear()
    again = lg.dependencies(chain["qc"].uri)
    assert "lineage/dependencies" not in modules_asked
    assert "lineage/dependency_statuses" in modules_asked
    assert _answer(again) == _answer(first)
    assert [r.model_dump() for r in again] == [r.model_dump() for r in first]


def test_dependencies_asked_again_show_a_status_changed_since(lg, chain):
    before = {r.asset: r.status for r in lg.dependencies(chain["qc"].uri)}
    lg.set_status(chain["mat"].uri, "approved", user="sup")
    after = {r.asset: r.status for r in lg.dependencies(chain["qc"].uri)}
    assert before["chr/s/mtl/skin"] != "approved"
    assert after == {**before, "chr/s/mtl/skin": "approved"}
    # the other questions built on the closure see it too
    assert {r.asset: r.status for r in lg.closure(chain["qc"].uri).rows} == after


def test_remembered_closures_honour_depth_and_role(lg, chain):
    lg.dependencies(chain["qc"].uri)  # remembered whole
    assert [(r.asset, r.depth) for r in lg.dependencies(chain["qc"].uri, depth=1)] == [
        ("chr/s/look", 1), ("chr/s/tex/albedo", 1)]
    assert [r.asset for r in lg.dependencies(chain["qc"].uri, role="skin")] == ["chr/s/mtl/skin"]


def test_a_wiped_store_remembers_no_closure(lg, chain):
    lg.dependencies(chain["qc"].uri)
    assert len(lg.store.memo) == 1
    lg.store.wipe()
    assert len(lg.store.memo) == 0


def test_trusted_rows_equal_validated_rows():
    fields = dict(uri="legos:/demo/a?version=1", project="demo", asset="a", kind="TextureAsset",
                  version=1, status="wip", role="texture", roles=["texture"],
                  relation="depends_on", depth=2, created_by="ben",
                  created_at=datetime(2026, 1, 2, tzinfo=timezone.utc), revision=None, uid="u1")
    built, validated = trusted(LineageRow, dict(fields)), LineageRow(**fields)
    assert built == validated
    assert built.model_dump() == validated.model_dump()
    assert list(built.model_dump()) == list(validated.model_dump())
    assert built.model_fields_set == validated.model_fields_set
    assert built.model_copy(update={"status": "approved"}).status == "approved"
    with pytest.raises(Exception, match="frozen"):
        built.status = "approved"  # type: ignore[misc]


def test_path_and_diff_use_the_remembered_closure_without_walking_again(lg, chain, make_file,
                                                                       modules_asked):
    lg.dependencies(chain["qc"].uri)
    qc2 = lg.publish("demo", "chr/s/qc", kind="RenderAsset", files=[make_file("qc.png")],
                     dependencies=[chain["look"].uri], user="dev")
    lg.dependencies(qc2.uri)
    modules_asked.clear()
    steps = lg.path(chain["qc"].uri, chain["tex"].uri)
    changes = lg.diff(chain["qc"].uri, qc2.uri)
    assert [s.asset for s in steps] == ["chr/s/qc", "chr/s/tex/albedo"]
    assert {(c.change, c.asset) for c in changes if c.file is None} == set()
    assert not {"lineage/dependencies", "lineage/dependency_statuses"} & set(modules_asked)


def test_path_shows_a_status_changed_after_the_closure_was_remembered(lg, chain):
    before = {s.asset: s.status for s in lg.path(chain["qc"].uri, chain["mat"].uri)}
    lg.set_status(chain["mat"].uri, "approved", user="sup")
    lg.set_status(chain["qc"].uri, "approved", user="sup")
    after = {s.asset: s.status for s in lg.path(chain["qc"].uri, chain["mat"].uri)}
    assert before["chr/s/mtl/skin"] != "approved"
    assert after == {"chr/s/qc": "approved", "chr/s/look": before["chr/s/look"],
                     "chr/s/mtl/skin": "approved"}
