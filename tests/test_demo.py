"""The lookdev demo (examples/lookdev_demo.py) runs on an embedded store and leaves the history,
lineage and valid files it claims. The demo runs once per module; each test reads its result."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import re
import shlex
import struct
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

import legos

REPO = Path(__file__).resolve().parents[1]
P = "legos:/demo"


def _load_demo():
    examples = str(REPO / "examples")
    if examples not in sys.path:  # the demo imports its content module from beside it
        sys.path.insert(0, examples)
    spec = importlib.util.spec_from_file_location("lookdev_demo",
                                                  REPO / "examples" / "lookdev_demo.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["lookdev_demo"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    out = tmp_path_factory.mktemp("demo") / "out"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = _load_demo().main(["--out", str(out)])
    return out, code, printed.getvalue()


@pytest.fixture
def lg(demo: tuple[Path, int, str]) -> Iterator[legos.Legos]:
    out, code, printed = demo
    assert code == 0, printed
    with legos.open(out / "store") as handle:
        yield handle


def _by_asset(rows) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for row in rows:
        if row.revision is None:
            found.setdefault(row.asset, set()).add(row.version)
    return found


def test_demo_prints_both_tables_and_the_next_commands(demo):
    _out, code, printed = demo
    assert code == 0
    assert "was made from" in printed and "Everything that used" in printed
    assert f"deps --store {(demo[0] / 'store').resolve()}" in printed


def test_qc_v1_needed_changes_and_qc_v2_is_the_approved_one(lg):
    approved = lg.show(f"{P}/chr/skaarj/qc_render?status=approved")
    assert approved.number == 2 and approved.status == "approved"
    assert approved.created_by == "cleo"
    assert lg.show(f"{P}/chr/skaarj/qc_render?version=1").status == "needs_changes"
    reviews = [c for c in lg.changes(approved.uri) if c.field == "review"]
    assert [(c.to_value, c.user) for c in reviews] == [("approved", "sup")]
    assert lg.show(f"{P}/chr/skaarj/lookdev?status=approved").number == 2


def test_approved_qc_was_made_from_exactly_the_second_pass(lg):
    rows = lg.dependencies(f"{P}/chr/skaarj/qc_render?status=approved")
    assert _by_asset(rows) == {
        "chr/skaarj/lookdev": {2}, "chr/skaarj/model": {2}, "chr/skaarj/look": {2},
        "chr/skaarj/mtl/skin": {2}, "chr/skaarj/mtl/claws": {2},
        "chr/skaarj/tex/albedo": {2}, "chr/skaarj/tex/roughness": {2},
        "chr/skaarj/tex/bump": {1}, "chr/skaarj/tex/normal": {1},
        "chr/skaarj/tex/reflectivity": {1},
        "lgt/forest": {1}, "lgt/studio": {1}, "env/forest_hdr": {1},
        "cam/turntable": {1}, "rs/qc": {1},
    }
    direct = {(r.asset, r.role) for r in rows if r.depth == 1}
    assert direct == {("chr/skaarj/lookdev", "lookdev"), ("lgt/forest", "light_rig"),
                      ("cam/turntable", "camera"), ("rs/qc", "render_settings")}


def test_hdr_is_reached_through_the_forest_light_rig(lg):
    rows = lg.dependencies(f"{P}/chr/skaarj/qc_render?status=approved")
    hdr = next(r for r in rows if r.asset == "env/forest_hdr")
    assert (hdr.depth, hdr.relation, hdr.role, hdr.kind) == (2, "depends_on", "hdr", "HdrAsset")
    forest_inputs = lg.dependencies(f"{P}/lgt/forest?version=1", depth=1)
    assert [(r.asset, r.version) for r in forest_inputs] == [("env/forest_hdr", 1)]


def test_albedo_v2_reaches_the_approved_qc_and_its_revision_only(lg):
    rows = lg.dependents(f"{P}/chr/skaarj/tex/albedo?version=2")
    assert _by_asset(rows) == {"chr/skaarj/mtl/skin": {2}, "chr/skaarj/lookdev": {2},
                               "chr/skaarj/look": {2}, "chr/skaarj/qc_render": {2}}
    revisions = [r for r in rows if r.revision is not None]
    assert len(revisions) == 1
    rev = revisions[0]
    assert (rev.asset, rev.version, rev.kind, rev.status) == (
        "chr/skaarj/qc_render", 2, "QCRevision", "approved")
    assert rev.revision.startswith("rev-")
    old = lg.dependents(f"{P}/chr/skaarj/tex/albedo?version=1")
    assert {(r.version, r.status) for r in old if r.revision} == {(1, "needs_changes")}


def _published(out: Path, suffix: str) -> list[Path]:
    return sorted((out / "publish").rglob(f"*{suffix}"))


def test_generated_pngs_are_valid_png_files(demo):
    pngs = _published(demo[0], ".png")
    assert len(pngs) == 9  # 5 first textures, 2 second ones, 2 QC frames
    for path in pngs:
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", path
        pos, chunks, idat = 8, [], b""
        while pos < len(data):
            (length,) = struct.unpack(">I", data[pos:pos + 4])
            tag, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
            (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
            assert crc == zlib.crc32(tag + body), f"{path}: bad CRC in {tag!r}"
            chunks.append(tag)
            idat += body if tag == b"IDAT" else b""
            pos += 12 + length
        assert chunks[0] == b"IHDR" and chunks[-1] == b"IEND"
        width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
        channels = {0: 1, 2: 3, 6: 4}[colour]
        assert depth == 8
        assert len(zlib.decompress(idat)) == height * (1 + width * channels)


def test_versions_of_a_texture_differ(demo):
    tex = demo[0] / "publish" / "demo" / "chr" / "skaarj" / "tex"
    assert ((tex / "albedo" / "v001" / "albedo.png").read_bytes()
            != (tex / "albedo" / "v002" / "albedo.png").read_bytes())


def test_hdr_is_a_radiance_file(demo):
    (path,) = _published(demo[0], ".hdr")
    data = path.read_bytes()
    header, _, rest = data.partition(b"\n\n")
    assert header.startswith(b"#?RADIANCE\n")
    assert b"FORMAT=32-bit_rle_rgbe" in header.split(b"\n")
    resolution, _, pixels = rest.partition(b"\n")
    match = re.fullmatch(rb"-Y (\d+) \+X (\d+)", resolution)
    assert match, resolution
    assert len(pixels) == int(match[1]) * int(match[2]) * 4


def test_usd_layers_point_at_their_dependencies_files(lg, demo):
    """A material or light rig references, by relative path, the very files of the versions
    its dependency edges name."""
    checked = 0
    for asset in ["chr/skaarj/mtl/skin", "chr/skaarj/mtl/claws", "chr/skaarj/look", "lgt/forest"]:
        for row in lg.history(f"{P}/{asset}"):
            version = lg.show(row.uri)
            layer = Path(version.representations[0].path)
            referenced = {(layer.parent / p).resolve()
                          for p in re.findall(r"@([^@]+)@", layer.read_text())}
            inputs = lg.dependencies(version.uri, depth=1)
            expected = {Path(r.path).resolve() for i in inputs if i.kind != "ModelAsset"
                        for r in lg.show(i.uri).representations}
            assert referenced == expected, version.uri
            checked += 1
    assert checked == 7


def test_usd_layers_open_in_usd(demo):
    pytest.importorskip("pxr")
    from pxr import Usd, UsdUtils

    layers = _published(demo[0], ".usda")
    assert layers
    for path in layers:
        assert Usd.Stage.Open(str(path)), path
        _layers, _assets, unresolved = UsdUtils.ComputeAllDependencies(str(path))
        assert not unresolved, path


def test_obj_faces_use_existing_vertices(demo):
    models = _published(demo[0], ".obj")
    assert models
    for path in models:
        lines = path.read_text().splitlines()
        assert (path.parent / "skaarj.mtl").exists()
        count = sum(1 for line in lines if line.startswith("v "))
        faces = [line.split()[1:] for line in lines if line.startswith("f ")]
        assert count > 100 and faces
        assert all(1 <= int(i) <= count for face in faces for corner in face
                   for i in corner.split("/"))


def test_printed_cli_commands_work(demo, tmp_path, monkeypatch):
    from click.testing import CliRunner

    monkeypatch.chdir(tmp_path)  # `deps ... -o qc.svg` writes where it is run

    from legos.cli.main import cli

    _out, _code, printed = demo
    tail = printed.split("Try next", 1)[1]
    commands = [line.strip() for line in tail.splitlines() if " --store " in line]
    assert len(commands) >= 5
    runner = CliRunner()
    for command in commands:
        result = runner.invoke(cli, shlex.split(command)[1:] + ["--json"])
        assert result.exit_code == 0, (command, result.output)


def test_demo_refuses_to_wipe_a_folder_it_did_not_make(tmp_path):
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    with contextlib.redirect_stdout(io.StringIO()):
        assert _load_demo().main(["--out", str(tmp_path)]) == 2
    assert precious.read_text() == "keep me"
