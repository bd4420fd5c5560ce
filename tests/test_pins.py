"""Pin sets, frozen manifests and resolution on both backends: the farm never asks the database."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from legos.cli.main import cli
from legos.errors import VersionNotFoundError
from legos.pins import manifest as manifests
from legos.pins.bundle import BundleError, bundle, verify
from legos.pins.files import RepresentationNotFoundError
from legos.pins.pinset import diff
from legos.pins.resolver import ManifestResolver, NotPinnedError


@pytest.fixture
def shot(lg, make_file):
    """A shot holding a character lookdev and a camera; the character has two model versions."""
    tex = lg.publish("demo", "chr/s/tex/albedo", kind="TextureAsset",
                     files=[make_file("albedo.png", b"v1")], user="ben")
    model1 = lg.publish("demo", "chr/s/model", kind="ModelAsset",
                        files=[make_file("model.usda", "#usda 1.0\n# v1\n"), make_file("model.obj", "v 1")])
    look1 = lg.publish("demo", "chr/s/lookdev", kind="LookDevPackage",
                       members=[("model", model1.uri), ("albedo", tex.uri)])
    model2 = lg.publish("demo", "chr/s/model", kind="ModelAsset",
                        files=[make_file("model.usda", "#usda 1.0\n# v2\n"), make_file("model.obj", "v 2")])
    look2 = lg.publish("demo", "chr/s/lookdev", kind="LookDevPackage",
                       members=[("model", model2.uri), ("albedo", tex.uri)])
    cam = lg.publish("demo", "cam/main", kind="CameraAsset", files=[make_file("cam.usda", "#usda 1.0\n")])
    shot = lg.publish("demo", "seq010/sh0040", kind="ShotPackage",
                      members=[("hero", look2.uri), ("camera", cam.uri)])
    return {"tex": tex, "model1": model1, "model2": model2, "look1": look1, "look2": look2,
            "cam": cam, "shot": shot}


def test_pin_freezes_every_version_a_shot_uses(lg, shot, tmp_path):
    result = lg.pin(shot["shot"].uri, output=tmp_path / "sh0040.json", user="dev")
    manifest = manifests.read(tmp_path / "sh0040.json")
    pinned = {pin.asset: pin.version for _scope, pin in manifest.pins()}
    assert pinned == {"demo/seq010/sh0040": 1, "demo/chr/s/lookdev": 2, "demo/chr/s/model": 2,
                      "demo/chr/s/tex/albedo": 1, "demo/cam/main": 1}
    assert result.conflicts == []
    assert manifest.created_by == "dev" and manifest.root == str(lg.root)
    resolver = ManifestResolver(manifest)
    for uri, version in (("legos:/demo/chr/s/model?rep=usd", shot["model2"]),
                         ("legos:/demo/chr/s/tex/albedo", shot["tex"])):
        resolved = resolver.resolve(uri)
        db = lg.resolve(uri.replace("legos:/demo/chr/s/model?", "legos:/demo/chr/s/model?version=2&"))
        assert resolved.path == db.path and Path(resolved.path).is_file()
        assert resolved.version == version.number
    assert resolver.resolve("legos:/demo/chr/s/model?rep=obj").path.endswith("v002/model.obj")
    # recorded in the graph: who pinned which versions
    count = lg.store.read(lambda tx: tx.run(
        "MATCH (s:PinSet {uid: $uid})-[:PINS]->(v:Version) RETURN count(v) AS n, "
        "min(s.created_by) AS who", {"uid": manifest.uid}))[0]
    assert (count["n"], count["who"]) == (5, "dev")


def test_manifest_resolution_needs_no_database(lg, shot, tmp_path, monkeypatch):
    path = tmp_path / "sh0040.json"
    lg.pin(shot["shot"].uri, output=path)
    expected = lg.resolve("legos:/demo/chr/s/model?version=2&rep=usd").path
    lg.close()
    # a store that cannot be reached at all: resolution from the manifest never tries it
    monkeypatch.setenv("LEGOS_STORE", "bolt://127.0.0.1:9")
    result = CliRunner().invoke(cli, ["resolve", "legos:/demo/chr/s/model?rep=usd", "--pins",
                                      str(path), "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document == {"uri": "legos:/demo/chr/s/model?version=2", "asset": "demo/chr/s/model",
                        "version": 2, "path": expected, "overridden": False}
    failed = CliRunner().invoke(cli, ["resolve", "legos:/demo/chr/s/model"])
    assert failed.exit_code == 1 and "cannot reach Neo4j" in failed.stderr


def test_resolution_errors_name_the_uri(lg, shot, tmp_path):
    manifest = lg.pin(shot["look1"].uri).manifest
    resolver = ManifestResolver(manifest)
    with pytest.raises(NotPinnedError, match=r"legos:/demo/cam/main is not pinned by manifest"):
        resolver.resolve("legos:/demo/cam/main")
    with pytest.raises(NotPinnedError, match=r"asks for v2 but manifest 'chr_s_lookdev' pins v1"):
        resolver.resolve("legos:/demo/chr/s/model?version=2")
    with pytest.raises(RepresentationNotFoundError, match=r"has no 'abc' file: it has model.obj, model.usda"):
        resolver.resolve("legos:/demo/chr/s/model?rep=abc")
    with pytest.raises(RepresentationNotFoundError,
                       match="has no files to resolve to: resolve one of its members"):
        lg.resolve("legos:/demo/chr/s/lookdev")  # a package has no files


def test_scopes_hold_two_versions_of_one_asset(lg, shot, tmp_path):
    crowd = tmp_path / "skaarj_v1.json"
    lg.pin(shot["look1"].uri, output=crowd, name="skaarj-v1")
    outer = lg.pin(shot["shot"].uri, output=tmp_path / "sh0040.json",
                   includes=[("crowd", crowd)]).manifest
    resolver = ManifestResolver(manifests.read(tmp_path / "sh0040.json"))
    assert resolver.resolve("legos:/demo/chr/s/model?rep=usd").version == 2
    assert resolver.resolve("legos:/demo/chr/s/model?rep=usd", scope="crowd").version == 1
    assert resolver.resolve("legos:/demo/chr/s/model?rep=usd", scope="crowd/row3").version == 1
    assert resolver.resolve("legos:/demo/cam/main", scope="crowd").version == 1  # from outside
    assert outer.includes[0]["name"] == "skaarj-v1"
    nested = lg.store.read(lambda tx: tx.run(
        "MATCH (s:PinSet {uid: $uid})-[i:INCLUDES]->(inner:PinSet) RETURN i.scope AS scope, "
        "inner.name AS name", {"uid": outer.uid}))
    assert nested == [{"scope": "crowd", "name": "skaarj-v1"}]


def test_conflicting_versions_in_one_scope_pin_the_nearest(lg, shot, make_file):
    both = lg.publish("demo", "seq010/sh0050", kind="ShotPackage",
                      members=[("hero", shot["look2"].uri), ("double", shot["model1"].uri)])
    result = lg.pin(both.uri)
    pinned = {pin.asset: pin.version for _s, pin in result.manifest.pins()}
    assert pinned["demo/chr/s/model"] == 1  # depth 1 (a direct member) beats depth 2
    assert result.conflicts and "legos:/demo/chr/s/model?version=2" in result.conflicts[0]


def test_diff_shows_added_removed_and_changed_pins(lg, shot, tmp_path):
    a = lg.pin(shot["look1"].uri).manifest
    b = lg.pin(shot["shot"].uri).manifest
    changes = {(c["asset"], c["change"], c["from_version"], c["to_version"]) for c in diff(a, b)}
    assert changes == {("demo/chr/s/model", "changed", 1, 2), ("demo/chr/s/lookdev", "changed", 1, 2),
                       ("demo/cam/main", "added", None, 1), ("demo/seq010/sh0040", "added", None, 1)}


def test_overrides_point_one_asset_at_a_work_file_without_touching_the_manifest(lg, shot, tmp_path,
                                                                                 make_file):
    path = tmp_path / "sh0040.json"
    lg.pin(shot["shot"].uri, output=path)
    before = path.read_bytes()
    work = make_file("work/model_wip.usda", "#usda 1.0\n")
    overrides = tmp_path / "overrides.json"
    overrides.write_text(json.dumps({"legos:/demo/chr/s/model": str(work)}))
    result = CliRunner().invoke(cli, ["resolve", "legos:/demo/chr/s/model", "--pins", str(path),
                                      "--overrides", str(overrides), "--json"])
    assert json.loads(result.stdout)["path"] == str(work)
    assert json.loads(result.stdout)["overridden"] is True
    assert path.read_bytes() == before
    assert ManifestResolver(manifests.read(path)).resolve("legos:/demo/chr/s/model?rep=usd").path != str(work)


def test_select_approved_pins_the_latest_approved_of_everything(lg, shot, make_file):
    tex2 = lg.publish("demo", "chr/s/tex/albedo", kind="TextureAsset", files=[make_file("albedo.png", b"v2")])
    lg.set_status(tex2.uri, "approved")
    with pytest.raises(VersionNotFoundError, match=r"have no version matching 'approved'.*--allow-missing"):
        lg.pin(shot["shot"].uri, select="approved")
    result = lg.pin(shot["shot"].uri, select="approved", allow_missing=True)
    pinned = {pin.asset: pin.version for _s, pin in result.manifest.pins()}
    assert pinned["demo/chr/s/tex/albedo"] == 2 and pinned["demo/chr/s/model"] == 2


def test_a_tampered_or_foreign_manifest_is_refused(lg, shot, tmp_path):
    path = tmp_path / "m.json"
    lg.pin(shot["shot"].uri, output=path)
    document = json.loads(path.read_text())
    document["scopes"][""]["demo/chr/s/model"]["version"] = 1
    path.write_text(json.dumps(document))
    with pytest.raises(manifests.ManifestError, match="changed after it was written"):
        manifests.read(path)
    (tmp_path / "other.json").write_text('{"schema": "something/2"}')
    with pytest.raises(manifests.ManifestError, match="not a legos manifest"):
        manifests.read(tmp_path / "other.json")
    with pytest.raises(manifests.ManifestError, match="does not exist"):
        manifests.read(tmp_path / "none.json")


def test_bundle_relocates_and_resolves_with_the_source_gone(lg, shot, tmp_path):
    path = tmp_path / "sh0040.json"
    lg.pin(shot["shot"].uri, output=path)
    result = CliRunner().invoke(cli, ["bundle", str(path), "--to", str(tmp_path / "vendor"), "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["files"] == 4  # model (usda, obj), texture, camera
    shutil.move(str(lg.root), str(tmp_path / "gone"))  # the source publish root is no more
    relocated = manifests.read(tmp_path / "vendor/manifest.json")
    assert verify(relocated) == []
    resolved = ManifestResolver(relocated).resolve("legos:/demo/chr/s/model?rep=usd")
    assert resolved.path.startswith(str(tmp_path / "vendor/files"))
    assert Path(resolved.path).read_text().endswith("# v2\n")
    with pytest.raises(BundleError, match="not empty"):
        bundle(relocated, tmp_path / "vendor")
    assert verify(manifests.read(path))  # the original manifest now misses its files


def test_pin_commands(lg, shot, tmp_path, monkeypatch, store_location):
    monkeypatch.setenv("LEGOS_STORE", store_location)
    monkeypatch.setenv("LEGOS_ROOT", str(lg.root))
    runner = CliRunner()
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    lg.close()
    out = runner.invoke(cli, ["pin", shot["look1"].uri, "-o", str(a)], catch_exceptions=False)
    assert out.exit_code == 0 and "pins" in out.stdout
    runner.invoke(cli, ["pin", shot["look2"].uri, "-o", str(b)], catch_exceptions=False)
    changes = json.loads(runner.invoke(cli, ["pins", "diff", str(a), str(b), "--json"]).stdout)
    assert {(c["asset"], c["change"]) for c in changes} == {
        ("demo/chr/s/model", "changed"), ("demo/chr/s/lookdev", "changed")}
    bad = runner.invoke(cli, ["pin", shot["look1"].uri, "-o", str(a), "--include", "nonsense"])
    assert bad.exit_code == 1 and "SCOPE=MANIFEST" in bad.stderr
