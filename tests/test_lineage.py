"""Lineage on both backends: dependencies, dependents, contents, on diamond-shaped graphs."""

from __future__ import annotations

import pytest

from legos.errors import AssetNotFoundError, InvalidInputError, VersionNotFoundError


@pytest.fixture
def lookdev(lg, make_file):
    """texture -> 3 materials (a diamond) -> look -> lookdev package -> QC render."""
    tex = lg.publish("demo", "chr/s/tex/albedo", kind="TextureAsset",
                     files=[make_file("albedo.png")], user="ben")
    bump = lg.publish("demo", "chr/s/tex/bump", kind="TextureAsset",
                      files=[make_file("bump.png")], user="ben")
    model = lg.publish("demo", "chr/s/model", kind="ModelAsset", files=[make_file("m.obj")],
                       user="ana")
    mats = [lg.publish("demo", f"chr/s/mtl/{n}", kind="MaterialAsset",
                       files=[make_file(f"{n}.usda")],
                       dependencies=[tex.uri, ("bump", bump.uri)], user="cleo")
            for n in ("skin", "eyes", "teeth")]
    look = lg.publish("demo", "chr/s/look", kind="LookBindingAsset", files=[make_file("look.usda")],
                      dependencies=[model.uri, *[m.uri for m in mats]], user="cleo")
    pkg = lg.publish("demo", "chr/s/lookdev", kind="LookDevPackage",
                     members=[("model", model.uri), ("look", look.uri)], user="cleo")
    qc = lg.publish("demo", "chr/s/qc", kind="RenderAsset", files=[make_file("qc.png")],
                    dependencies=[("lookdev", pkg.uri)], user="dev")
    return {"tex": tex, "bump": bump, "model": model, "mats": mats, "look": look, "pkg": pkg,
            "qc": qc}


def _by_asset(rows):
    return {(r.asset, r.version): r for r in rows}


def test_dependencies_reach_every_input_once_at_its_shortest_depth(lg, lookdev):
    rows = lg.dependencies(lookdev["qc"].uri)
    found = _by_asset(rows)
    assert len(rows) == len(found) == 8  # package, model, look, 3 materials, 2 textures
    assert found[("chr/s/lookdev", 1)].depth == 1
    assert found[("chr/s/lookdev", 1)].role == "lookdev"
    assert found[("chr/s/model", 1)].depth == 2          # via the package, not via the look
    assert found[("chr/s/model", 1)].relation == "contains"
    assert found[("chr/s/mtl/skin", 1)].depth == 3
    assert found[("chr/s/tex/albedo", 1)].depth == 4     # reached by three materials: once
    assert found[("chr/s/tex/albedo", 1)].role == "texture"
    assert found[("chr/s/tex/bump", 1)].role == "bump"
    assert found[("chr/s/tex/albedo", 1)].created_by == "ben"
    # the exact instant, to the microsecond, on both backends
    assert found[("chr/s/tex/albedo", 1)].created_at == lookdev["tex"].created_at


def test_dependencies_honour_depth_and_role(lg, lookdev):
    assert {r.asset for r in lg.dependencies(lookdev["qc"].uri, depth=2)} == {
        "chr/s/lookdev", "chr/s/model", "chr/s/look"}
    assert {r.asset for r in lg.dependencies(lookdev["look"].uri, role="bump")} == {"chr/s/tex/bump"}
    with pytest.raises(InvalidInputError):
        lg.dependencies(lookdev["qc"].uri, depth=0)


def test_dependents_reach_packages_renders_and_revisions(lg, lookdev):
    revision = lg.submit(lookdev["qc"].uri, note="turntable", user="dev")
    rows = lg.dependents(lookdev["tex"].uri)
    found = _by_asset([r for r in rows if r.revision is None])
    assert set(found) == {("chr/s/mtl/skin", 1), ("chr/s/mtl/eyes", 1), ("chr/s/mtl/teeth", 1),
                          ("chr/s/look", 1), ("chr/s/lookdev", 1), ("chr/s/qc", 1)}
    assert found[("chr/s/qc", 1)].depth == 4
    [rev] = [r for r in rows if r.revision is not None]
    assert (rev.revision, rev.kind, rev.depth, rev.asset) == (
        revision.uid, "QCRevision", 5, "chr/s/qc")


def test_dependents_of_an_unused_version_are_empty(lg, lookdev):
    assert lg.dependents(lookdev["qc"].uri) == []
    assert lg.dependencies(lookdev["tex"].uri) == []


def test_contents_walk_packages_inside_packages(lg, lookdev, make_file):
    cam = lg.publish("demo", "cam/main", kind="CameraAsset", files=[make_file("cam.usda")])
    shot = lg.publish("demo", "seq010/sh0040", kind="ShotPackage",
                      members=[("skaarj", lookdev["pkg"].uri), ("camera", cam.uri)])
    rows = {r.asset: r for r in lg.contents(shot.uri)}
    assert set(rows) == {"chr/s/lookdev", "cam/main", "chr/s/model", "chr/s/look"}
    assert rows["chr/s/model"].depth == 2
    assert rows["chr/s/model"].parents == [lookdev["pkg"].uri]
    assert rows["cam/main"].role == "camera"


def test_wide_diamonds_do_not_explode(lg, make_file):
    """Layers of 6 versions, each depending on all 6 of the layer below: 6^8 paths from the top
    but only 49 versions. A walk that enumerated paths would not finish."""
    source = [make_file("n.usda")]
    layer = [lg.publish("demo", f"l0/n{i}", kind="TextureAsset", files=source).uri
             for i in range(6)]
    for depth in range(1, 9):
        layer = [lg.publish("demo", f"l{depth}/n{i}", kind="MaterialAsset", files=source,
                            dependencies=[("source", u) for u in layer]).uri for i in range(6)]
    top = lg.publish("demo", "top", kind="AssetPackage", members=layer)
    rows = lg.dependencies(top.uri)
    assert len(rows) == 6 * 9
    assert max(r.depth for r in rows) == 9


def test_unknown_uris_are_clear_errors(lg, lookdev):
    with pytest.raises(AssetNotFoundError, match="no asset legos:/demo/chr/nobody"):
        lg.dependencies("legos:/demo/chr/nobody")
    with pytest.raises(VersionNotFoundError, match="latest is v1"):
        lg.dependents("legos:/demo/chr/s/qc?version=5")
