"""Manifests are never overwritten unasked, a recorded pin set's manifest can be rebuilt from
the graph (the same document, the same hash), and a selection that mixes a version with another
version of what it was made from says so; on both backends."""

from __future__ import annotations

import json

import pytest

from legos.pins import manifest as manifests
from legos.pins.manifest import ManifestExistsError
from legos.pins.pinset import PinSetNotFoundError


@pytest.fixture
def shot(lg, make_file):
    tex = lg.publish("demo", "chr/s/tex/albedo", kind="TextureAsset",
                     files=[make_file("albedo.png", b"v1")])
    mtl = lg.publish("demo", "chr/s/mtl/skin", kind="MaterialAsset",
                     files=[make_file("skin.usda", "#usda 1.0\n")], dependencies=[tex.uri])
    model = lg.publish("demo", "chr/s/model", kind="ModelAsset",
                       files=[make_file("model.usda", "#usda 1.0\n"), make_file("model.obj", "v")])
    look = lg.publish("demo", "chr/s/lookdev", kind="LookDevPackage",
                      members=[("model", model.uri), ("skin", mtl.uri)])
    cam = lg.publish("demo", "cam/main", kind="CameraAsset", files=[make_file("cam.usda", "#usda 1.0\n")])
    sh = lg.publish("demo", "seq010/sh0040", kind="ShotPackage",
                    members=[("hero", look.uri), ("camera", cam.uri)])
    return {"tex": tex, "mtl": mtl, "look": look, "shot": sh}


def test_pin_refuses_to_overwrite_a_manifest_unless_forced(lg, shot, tmp_path):
    path = tmp_path / "sh0040.json"
    first = lg.pin(shot["shot"].uri, output=path).manifest
    before = path.read_bytes()
    pinsets = lambda: lg.store.read(  # noqa: E731
        lambda tx: tx.run("MATCH (s:PinSet) RETURN count(s) AS n"))[0]["n"]
    with pytest.raises(ManifestExistsError, match=r"already exists.*--force"):
        lg.pin(shot["look"].uri, output=path)
    assert path.read_bytes() == before and pinsets() == 1  # nothing recorded either
    second = lg.pin(shot["look"].uri, output=path, force=True).manifest
    assert manifests.read(path).uid == second.uid != first.uid


def test_cli_pin_refuses_to_overwrite_unless_forced(run, lg, shot, tmp_path):
    lg.close()
    path = tmp_path / "sh0040.json"
    run("pin", shot["shot"].uri, "-o", str(path))
    before = path.read_bytes()
    refused = run("pin", shot["look"].uri, "-o", str(path), ok=False)
    assert refused.exit_code == 1 and "already exists" in refused.stderr
    assert "Traceback" not in refused.output and path.read_bytes() == before
    run("pin", shot["look"].uri, "-o", str(path), "--force")
    assert manifests.read(path).source == str(shot["look"].uri)


def test_pins_export_rebuilds_the_same_manifest_from_the_graph(lg, shot, tmp_path, run):
    crowd = tmp_path / "crowd.json"
    extra = tmp_path / "extra.json"
    lg.pin(shot["look"].uri, output=crowd, name="crowd")
    lg.pin(shot["mtl"].uri, output=extra, name="extra")
    original = tmp_path / "sh0040.json"
    # includes given out of scope order, a selector, and a scope of its own
    pinned = lg.pin(shot["shot"].uri, output=original, name="sh0040", select="latest",
                    scope="hero", includes=[("z_crowd", crowd), ("a_extra", extra)]).manifest
    rebuilt = lg.export_pins(pinned.uid, tmp_path / "again.json")
    assert rebuilt.content_hash() == pinned.content_hash()
    assert manifests.read(tmp_path / "again.json").to_json() == manifests.read(original).to_json()
    assert json.loads((tmp_path / "again.json").read_text()) == json.loads(original.read_text())
    by_name = lg.export_pins("sh0040")  # a name held by one pin set only
    assert by_name.content_hash() == pinned.content_hash()
    with pytest.raises(ManifestExistsError):
        lg.export_pins(pinned.uid, original)
    with pytest.raises(PinSetNotFoundError, match="no pin set 'nope'"):
        lg.export_pins("nope")
    lg.pin(shot["mtl"].uri, name="extra")
    with pytest.raises(PinSetNotFoundError, match="2 pin sets are named 'extra'"):
        lg.export_pins("extra")
    lg.close()
    out = run("pins", "export", pinned.uid, "-o", str(tmp_path / "cli.json"), "--json")
    assert json.loads(out.stdout)["hash"] == pinned.content_hash()
    assert (tmp_path / "cli.json").read_bytes() == (tmp_path / "again.json").read_bytes()
    refused = run("pins", "export", pinned.uid, "-o", str(original), ok=False)
    assert refused.exit_code == 1 and "already exists" in refused.stderr


def test_select_warns_when_it_mixes_a_version_with_another_of_its_inputs(lg, shot, make_file,
                                                                          run, tmp_path):
    tex2 = lg.publish("demo", "chr/s/tex/albedo", kind="TextureAsset",
                      files=[make_file("albedo.png", b"v2")])
    for version in (shot["mtl"], tex2, shot["look"], shot["shot"]):
        lg.set_status(version.uri, "approved")
    result = lg.pin(shot["shot"].uri, select="approved", allow_missing=True)
    pinned = {pin.asset: pin.version for _s, pin in result.manifest.pins()}
    assert pinned["demo/chr/s/mtl/skin"] == 1 and pinned["demo/chr/s/tex/albedo"] == 2
    assert result.mismatches == [
        "legos:/demo/chr/s/mtl/skin?version=1 was made from legos:/demo/chr/s/tex/albedo?"
        "version=1, but v2 is pinned"]
    assert lg.pin(shot["shot"].uri).mismatches == []  # exact: what it was made from
    lg.close()
    out = run("pin", shot["shot"].uri, "--select", "approved", "--allow-missing",
              "-o", str(tmp_path / "a.json"))
    assert "legos: warning: legos:/demo/chr/s/mtl/skin?version=1 was made from" in out.stderr
