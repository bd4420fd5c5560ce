"""A bundle stands on its own: its USD layers reach nothing outside it, also with the source
publish root gone and after the bundle itself moves (real USD assets, both backends)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from legos.cli.main import cli
from legos.pins import manifest as manifests
from legos.pins.bundle import BundleError, bundle, verify

TEAPOT = "usdwg_teapot"


def _shot_layer(path: Path, root: Path, extra: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"""#usda 1.0
(
    defaultPrim = "World"
)

def Xform "World"
{{
    def "ByAbsolutePath" (prepend references = @{root}/demo/prop/teapot/v001/Teapot.usd@) {{}}
    def "ByUri" (prepend references = @legos:/demo/prop/teapot?rep=Teapot.usd@) {{}}
    def "BySearchPath" (prepend references = @prop/teapot/Teapot.usd@) {{}}
{extra}}}
""")
    return path


def _layers(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".usd", ".usda", ".usdc"))


def _reaches_only(folder: Path) -> None:
    """Open every layer with usd-core: everything resolves, and only inside `folder`."""
    from pxr import UsdUtils

    layers = _layers(folder)
    assert len(layers) >= 6
    for layer in layers:
        found, assets, unresolved = UsdUtils.ComputeAllDependencies(str(layer))
        assert unresolved == [], f"{layer}: {unresolved}"
        for path in [f.realPath for f in found] + list(assets):
            assert Path(path).resolve().is_relative_to(folder.resolve()), f"{layer} -> {path}"


def test_a_bundle_of_usd_layers_resolves_with_the_source_root_gone(lg, shared_assets, tmp_path):
    from pxr import Usd

    teapot = lg.publish("demo", "prop/teapot", kind="ModelAsset", files=[shared_assets / TEAPOT])
    shot_file = _shot_layer(tmp_path / "src/shot.usda", lg.root)
    shot = lg.publish("demo", "seq/sh010", kind="ShotPackage", files=[shot_file],
                      members=[("teapot", teapot.uri)])
    path = tmp_path / "sh010.json"
    lg.pin(shot.uri, output=path)
    root = lg.root
    lg.close()
    result = CliRunner().invoke(cli, ["bundle", str(path), "--to", str(tmp_path / "vendor"),
                                      "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    shutil.move(str(root), str(tmp_path / "gone"))  # the source publish root is no more
    files = tmp_path / "vendor/files"
    _reaches_only(files)
    stage = Usd.Stage.Open(str(files / "demo/seq/sh010/v001/shot.usda"))
    for name in ("ByAbsolutePath", "ByUri", "BySearchPath"):
        assert stage.GetPrimAtPath(f"/World/{name}").GetChildren(), name  # the teapot composed
    relocated = manifests.read(tmp_path / "vendor/manifest.json")
    assert verify(relocated) == []
    # the shot layer was rewritten (its published hash is kept); the teapot's are as published
    assert set(relocated.rewritten) == {"demo/seq/sh010/v001/shot.usda"}
    assert relocated.rewritten["demo/seq/sh010/v001/shot.usda"] == shot.representations[0].sha256
    for layer in _layers(shared_assets / TEAPOT):
        copy = files / "demo/prop/teapot/v001" / layer.relative_to(shared_assets / TEAPOT)
        assert copy.read_bytes() == layer.read_bytes()
    # relative paths: the bundle can move again
    shutil.move(str(tmp_path / "vendor"), str(tmp_path / "moved"))
    _reaches_only(tmp_path / "moved/files")


def test_a_bundle_refuses_a_layer_that_needs_a_file_outside_the_root(lg, shared_assets,
                                                                      tmp_path):
    outside = tmp_path / "elsewhere/lamp.usda"
    outside.parent.mkdir()
    outside.write_text('#usda 1.0\ndef Xform "Lamp" {}\n')
    teapot = lg.publish("demo", "prop/teapot", kind="ModelAsset", files=[shared_assets / TEAPOT])
    shot_file = _shot_layer(tmp_path / "src/shot.usda", lg.root,
                            f'    def "Lamp" (prepend references = @{outside}@) {{}}\n')
    shot = lg.publish("demo", "seq/sh010", kind="ShotPackage", files=[shot_file],
                      members=[("teapot", teapot.uri)])
    manifest = lg.pin(shot.uri).manifest
    with pytest.raises(BundleError, match=f"uses '{outside}', which is outside the publish root"):
        bundle(manifest, tmp_path / "vendor")
    assert not (tmp_path / "vendor").exists()
    assert not any(p.name.startswith(".vendor") for p in tmp_path.iterdir())


def test_bundle_reads_the_root_under_another_mount(lg, shared_assets, tmp_path):
    teapot = lg.publish("demo", "prop/teapot", kind="ModelAsset", files=[shared_assets / TEAPOT])
    path = tmp_path / "teapot.json"
    lg.pin(teapot.uri, output=path)
    mount = tmp_path / "mnt/publish"
    mount.parent.mkdir()
    shutil.move(str(lg.root), str(mount))
    lg.close()
    with pytest.raises(BundleError, match="is missing from the publish root"):
        bundle(manifests.read(path), tmp_path / "nope")
    out = CliRunner().invoke(cli, ["bundle", str(path), "--to", str(tmp_path / "vendor"),
                                   "--root", str(mount), "--json"], catch_exceptions=False)
    assert out.exit_code == 0, out.stderr
    assert json.loads(out.stdout)["files"] == len([p for p in (shared_assets / TEAPOT).rglob("*")
                                                   if p.is_file()])
    _reaches_only(tmp_path / "vendor/files")
    assert os.path.isdir(tmp_path / "vendor/files/demo/prop/teapot/v001/cards")
