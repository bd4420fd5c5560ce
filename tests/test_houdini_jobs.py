"""The job side of the Houdini PDG nodes (legos.jobs), on both backends against a real store
with real files: a package version's members as items, files published with their upstream
URIs as dependencies, textures ingested one item each."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from legos import jobs
from legos.errors import InvalidInputError, LegosError

USDA = '#usda 1.0\ndef Xform "{name}" {{}}\n'


def _lookdev(lg, make_file, look: str = "v1") -> dict[str, str]:
    """A model, a texture, a material using it, and a LookDevPackage holding model and
    material; returns the URIs by name."""
    model = lg.publish("demo", "chr/skaarj/model", kind="ModelAsset",
                       files=[make_file("model/skaarj.usda", USDA.format(name="skaarj"))])
    albedo = lg.publish("demo", "chr/skaarj/tex/albedo", kind="TextureAsset",
                        files=[make_file(f"tex/{look}/albedo.png", f"png {look}")])
    skin = lg.publish("demo", "chr/skaarj/mtl/skin", kind="MaterialAsset",
                      files=[make_file(f"mtl/{look}/skin.usda", USDA.format(name="skin"))],
                      dependencies=[albedo.uri])
    look_version = lg.publish("demo", "chr/skaarj/lookdev", kind="LookDevPackage",
                              members=[model.uri, ("skin", skin.uri)])
    return {"model": model.uri, "albedo": albedo.uri, "skin": skin.uri,
            "lookdev": look_version.uri}


def test_package_items_are_the_members_with_their_entry_files(lg, make_file):
    uris = _lookdev(lg, make_file)
    items = jobs.package_items(lg, uris["lookdev"])
    assert [i.uri for i in items] == [uris["model"], uris["skin"]]
    model, skin = items
    assert (model.project, model.asset, model.version, model.kind, model.slot) == (
        "demo", "chr/skaarj/model", 1, "ModelAsset", "model")
    assert skin.slot == "skin" and skin.package == uris["lookdev"]
    assert Path(model.entry).name == "skaarj.usda" and os.path.isfile(model.entry)
    assert Path(model.entry).is_relative_to(lg.root)
    assert model.attributes() == {
        "legos_uri": uris["model"], "legos_project": "demo", "legos_asset": "chr/skaarj/model",
        "legos_version": 1, "legos_kind": "ModelAsset", "legos_slot": "model",
        "legos_package": uris["lookdev"]}
    assert set(model.attributes()) == set(jobs.ATTRIBUTES)


def test_the_package_is_chosen_by_status_tag_selector_or_as_of(lg, make_file):
    first = _lookdev(lg, make_file, "v1")
    lg.set_status(first["lookdev"], "approved")
    lg.tag(first["lookdev"], "hero")
    between = datetime.now(timezone.utc)
    second = _lookdev(lg, make_file, "v2")
    assert second["lookdev"].endswith("version=2")

    def skin_of(items: list[jobs.ItemSpec]) -> str:
        return next(i.uri for i in items if i.slot == "skin")

    assert skin_of(jobs.package_items(lg, project="demo", asset="chr/skaarj/lookdev")) \
        == second["skin"]
    for chosen in (jobs.package_items(lg, project="demo", asset="chr/skaarj/lookdev",
                                      status="approved"),
                   jobs.package_items(lg, project="demo", asset="chr/skaarj/lookdev",
                                      tag="hero"),
                   jobs.package_items(lg, "legos:/demo/chr/skaarj/lookdev?status=approved"),
                   jobs.package_items(lg, "demo/chr/skaarj/lookdev", selector="approved"),
                   jobs.package_items(lg, project="demo", asset="chr/skaarj/lookdev",
                                      as_of=between)):
        assert skin_of(chosen) == first["skin"]
    # as of a time before the approval, nothing was approved yet
    with pytest.raises(LegosError, match="approved"):
        jobs.package_items(lg, project="demo", asset="chr/skaarj/lookdev", status="approved",
                           as_of=datetime(2000, 1, 1, tzinfo=timezone.utc))


def test_nested_packages_give_their_members_unless_asked_for_the_top_level(lg, make_file):
    uris = _lookdev(lg, make_file)
    rig = lg.publish("demo", "chr/skaarj/rig", kind="FileAsset",
                     files=[make_file("rig/rig.json", "{}")])
    character = lg.publish("demo", "chr/skaarj/character", kind="CharacterPackage",
                           members=[uris["lookdev"], rig.uri])
    items = jobs.package_items(lg, character.uri)
    assert {i.uri: i.package for i in items} == {
        uris["model"]: uris["lookdev"], uris["skin"]: uris["lookdev"], rig.uri: character.uri}
    top = {i.uri: i for i in jobs.package_items(lg, character.uri, recursive=False)}
    assert set(top) == {uris["lookdev"], rig.uri}
    assert top[uris["lookdev"]].entry is None and top[uris["lookdev"]].kind == "LookDevPackage"


def test_get_package_says_what_is_wrong_with_its_input(lg, make_file):
    uris = _lookdev(lg, make_file)
    with pytest.raises(InvalidInputError, match="not a package"):
        jobs.package_items(lg, uris["model"])
    with pytest.raises(InvalidInputError, match="either by URI"):
        jobs.package_items(lg, uris["lookdev"], project="demo", asset="chr/skaarj/lookdev")
    with pytest.raises(InvalidInputError, match="name the package"):
        jobs.package_items(lg)
    with pytest.raises(InvalidInputError, match="one rule"):
        jobs.package_items(lg, project="demo", asset="chr/skaarj/lookdev", status="approved",
                           tag="hero")
    with pytest.raises(InvalidInputError, match="do not combine"):
        jobs.package_items(lg, "demo/chr/skaarj/lookdev", selector="approved",
                           as_of="2026-01-01T00:00:00Z")
    with pytest.raises(LegosError, match="status"):
        jobs.package_items(lg, project="demo", asset="chr/skaarj/lookdev", status="shiny")


def test_a_missing_entry_file_is_named_rather_than_handed_out(lg, make_file):
    uris = _lookdev(lg, make_file)
    path = Path(lg.resolve(uris["model"]).path)
    path.chmod(0o644)
    path.unlink()
    with pytest.raises(LegosError, match="does not exist"):
        jobs.package_items(lg, uris["lookdev"])


def test_publish_item_depends_on_the_upstream_uris(lg, make_file):
    uris = _lookdev(lg, make_file)
    members = [i.uri for i in jobs.package_items(lg, uris["lookdev"])]
    render = make_file("render/qc.exr", "pixels")
    job = jobs.PublishJob("demo", "chr/skaarj/qc", "RenderAsset", (str(render),),
                          jobs.dependency_uris(members + [" ", uris["lookdev"], members[0]]),
                          comment="from TOPs")
    item = jobs.publish_item(lg, job, user="ana")
    assert item.uri == "legos:/demo/chr/skaarj/qc?version=1" and item.kind == "RenderAsset"
    assert Path(item.entry).read_bytes() == b"pixels"
    direct = {r.uri for r in lg.dependencies(item.uri, depth=1)}
    assert direct == {uris["model"], uris["skin"], uris["lookdev"]}
    shown = lg.show(item.uri)
    assert (shown.comment, shown.created_by) == ("from TOPs", "ana")


def test_publish_items_reports_each_failure_and_goes_on(lg, make_file):
    good = make_file("out/a.usda", USDA.format(name="a"))
    records = jobs.publish_items(lg, [
        jobs.PublishJob("demo", "fx/a", "ModelAsset", (str(good),)),
        jobs.PublishJob("demo", "fx/b", "ModelAsset", ()),
        jobs.PublishJob("demo", "fx/c", "ModelAsset", (str(good.with_name("gone.usda")),)),
        jobs.PublishJob("demo", "fx/d", "ModelAsset", (str(good),),
                        ("legos:/demo/nothing/here?version=1",)),
    ])
    assert [r.status for r in records] == ["ok", "failed", "failed", "failed"]
    assert records[0].uri == "legos:/demo/fx/a?version=1"
    assert "no output files" in records[1].error
    assert "gone.usda" in records[2].error
    assert "nothing/here" in records[3].error
    assert [a.path for a in lg.assets()] == ["demo/fx/a"]
    with pytest.raises(InvalidInputError, match="not a legos URI"):
        jobs.dependency_uris([3])


def test_texture_jobs_group_udim_tiles_and_name_each_texture(tmp_path):
    files = [tmp_path / n for n in ("wood.1001.png", "wood.1002.png", "rust.png")]
    planned = jobs.texture_jobs(files, prefix="lib/tex")
    assert [(j.asset, Path(j.source).name, len(j.files)) for j in planned] == [
        ("lib/tex/wood", "wood.<UDIM>.png", 2), ("lib/tex/rust", "rust.png", 1)]
    assert jobs.texture_jobs([files[2]], asset="env/rust")[0].asset == "env/rust"
    with pytest.raises(LegosError, match="--prefix"):
        jobs.texture_jobs(files)
    with pytest.raises(InvalidInputError, match="no texture files"):
        jobs.texture_jobs([], prefix="lib/tex")


def test_ingest_texture_item_publishes_the_transcoded_texture(lg, shared_assets, tmp_path,
                                                              monkeypatch):
    pytest.importorskip("OpenImageIO", reason="the ingest extra (OpenImageIO) is not installed")
    monkeypatch.setenv("LEGOS_TEXTURE_CACHE", str(tmp_path / "cache"))
    box = shared_assets / "cesium_obj_box_complex_material"
    (job,) = jobs.texture_jobs([box / "diffuse.png"], prefix="lib/tex")
    item = jobs.ingest_texture_item(lg, job, project="demo", comment="from TOPs")
    assert (item.uri, item.kind) == ("legos:/demo/lib/tex/diffuse?version=1", "TextureAsset")
    assert item.entry.endswith("diffuse.exr") and os.path.isfile(item.entry)
    assert lg.show(item.uri).representations  # the source, the texture, the thumbnail
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    (bad,) = jobs.texture_jobs([broken], prefix="lib/tex")
    with pytest.raises(LegosError, match=r"broken\.png"):
        jobs.ingest_texture_item(lg, bad, project="demo")
