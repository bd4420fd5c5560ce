"""Resolution never hands out a path to nothing, and a manifest can be read under another mount
of its publish root: from the store and from a manifest, on both backends."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

import legos.pins
from legos.pins import manifest as manifests
from legos.pins.files import MissingFileError
from legos.pins.resolver import ManifestResolver


@pytest.fixture
def pinned(lg, make_file, tmp_path):
    """A lookdev (model with two files, texture) pinned to tmp/look.json."""
    tex = lg.publish("demo", "chr/s/tex/albedo", kind="TextureAsset",
                     files=[make_file("albedo.png", b"png")])
    model = lg.publish("demo", "chr/s/model", kind="ModelAsset",
                       files=[make_file("model.usda", "#usda 1.0\n"), make_file("model.obj", "v 1")])
    look = lg.publish("demo", "chr/s/lookdev", kind="LookDevPackage",
                      members=[("model", model.uri), ("albedo", tex.uri)])
    path = tmp_path / "look.json"
    lg.pin(look.uri, output=path)
    return {"tex": tex, "model": model, "manifest": path}


def _remove(path: str | Path) -> None:
    os.chmod(Path(path).parent, 0o755)  # the version folder is read-only
    Path(path).unlink()


def test_resolve_from_the_store_names_the_version_and_path_of_a_missing_file(lg, pinned, run):
    path = lg.resolve("legos:/demo/chr/s/tex/albedo").path
    assert Path(path).is_file()
    _remove(path)
    with pytest.raises(MissingFileError) as caught:
        lg.resolve("legos:/demo/chr/s/tex/albedo")
    assert "legos:/demo/chr/s/tex/albedo?version=1" in str(caught.value)
    assert path in str(caught.value)
    lg.close()
    failed = run("resolve", "legos:/demo/chr/s/tex/albedo", ok=False)
    assert failed.exit_code == 1 and path in failed.stderr and failed.stdout == ""
    assert "Traceback" not in failed.output


def test_resolve_from_a_manifest_checks_each_file_once(lg, pinned, run):
    resolver = ManifestResolver(manifests.read(pinned["manifest"]))
    spellings = ["legos:/demo/chr/s/model?rep=usd", "legos:/demo/chr/s/model?rep=model.usda",
                 "legos:/demo/chr/s/model?version=1&rep=usd"]
    usd = resolver.resolve(spellings[0]).path
    _remove(usd)
    # checked once by this resolver: other spellings of the same file do not look again
    assert {resolver.resolve(s).path for s in spellings} == {usd}
    obj = resolver.resolve("legos:/demo/chr/s/model?rep=obj").path  # another file: checked
    assert Path(obj).is_file()
    for attempt in (lambda: ManifestResolver(manifests.read(pinned["manifest"])).resolve(spellings[1]),
                    lambda: legos.pins.resolve(spellings[0], pinned["manifest"])):
        with pytest.raises(MissingFileError, match=r"legos:/demo/chr/s/model\?version=1") as caught:
            attempt()
        assert usd in str(caught.value)
    lg.close()
    failed = run("resolve", spellings[0], "--pins", str(pinned["manifest"]), ok=False)
    assert failed.exit_code == 1 and usd in failed.stderr and "Traceback" not in failed.output


def test_a_missing_override_file_is_an_error(lg, pinned, tmp_path):
    resolver = ManifestResolver(manifests.read(pinned["manifest"]),
                                {"legos:/demo/chr/s/model": str(tmp_path / "wip.usda")})
    with pytest.raises(MissingFileError, match="override of legos:/demo/chr/s/model names"):
        resolver.resolve("legos:/demo/chr/s/model")


def test_a_manifest_resolves_under_another_mount_of_its_root(lg, pinned, tmp_path, run,
                                                              monkeypatch):
    old_root = str(lg.root)
    lg.close()
    mount = tmp_path / "mnt" / "publish"
    mount.parent.mkdir()
    shutil.move(old_root, mount)  # the same storage, seen under another mount point
    uri = "legos:/demo/chr/s/tex/albedo"
    expected = str(mount / "demo/chr/s/tex/albedo/v001/albedo.png")
    with pytest.raises(MissingFileError, match="is it mounted here"):
        legos.pins.resolve(uri, pinned["manifest"])
    assert legos.pins.resolve(uri, pinned["manifest"], root=mount) == expected
    resolver = ManifestResolver(manifests.read(pinned["manifest"]), root=str(mount))
    assert resolver.resolve(uri).path == expected
    for args in (["resolve", uri, "--pins", str(pinned["manifest"]), "--root", str(mount)],
                 ["--root", str(mount), "resolve", uri, "--pins", str(pinned["manifest"])]):
        assert json.loads(run(*args, "--json").stdout)["path"] == expected
    # $LEGOS_ROOT names the store's root; it does not silently remap a manifest (or a bundle's)
    monkeypatch.setenv("LEGOS_ROOT", str(tmp_path / "elsewhere"))
    failed = run("resolve", uri, "--pins", str(pinned["manifest"]), ok=False)
    assert failed.exit_code == 1 and old_root in failed.stderr
    assert run("resolve", uri, "--pins", str(pinned["manifest"]), "--root",
               str(mount)).stdout.strip() == expected
    # a wrong mount says it was mapped
    wrong = run("resolve", uri, "--pins", str(pinned["manifest"]), "--root",
                str(tmp_path / "nope"), ok=False)
    assert wrong.exit_code == 1 and "mapped there by --root" in wrong.stderr
