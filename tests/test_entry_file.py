"""Every version has one entry file: the one a URI without rep= resolves to, in the store and
in a pin manifest. Thumbnails, image facts and provenance travel with a version. Both backends."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import legos
from legos.entry import EntryError
from legos.errors import InvalidInputError, PublishFileError


def _png(path: Path) -> Path:
    """A real 1x1 PNG (signature, IHDR, IDAT, IEND)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    raw = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) \
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x80\x00")) + chunk(b"IEND", b"")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    return path


def test_a_usd_asset_folder_resolves_to_its_root_layer(lg, shared_assets, tmp_path):
    # the teapot folder's only layer that no other layer composes is its demo scene, which
    # references Teapot.usd: the rule takes the scene; --entry picks the asset itself
    teapot = lg.publish("show", "prop/teapot", kind="ModelAsset",
                        files=[shared_assets / "usdwg_teapot"])
    assert teapot.entry == "DrawModes.usd"
    teapot = lg.publish("show", "prop/teapot", kind="ModelAsset",
                        files=[shared_assets / "usdwg_teapot"], entry="Teapot.usd")
    assert lg.resolve("legos:/show/prop/teapot").path.endswith("/v002/Teapot.usd")
    rook = lg.publish("show", "prop/rook", kind="ModelAsset",
                      files=[shared_assets / "usdwg_openchessset_rook" / "assets" / "Rook"])
    assert rook.entry == "Rook.usd"
    assert lg.resolve("legos:/show/prop/rook?rep=Rook_geom.usd").path.endswith("Rook_geom.usd")


def test_a_kit_resolves_to_the_layer_that_composes_the_rest(lg, shared_assets):
    kit = shared_assets / "usdwg_usd_mini_car_kit"
    version = lg.publish("show", "veh/kit", kind="ModelAsset", files=[kit])
    assert version.entry.endswith("assets/vehicles/vehicleVariants.usda")
    entry = next(p.relative_to(kit).as_posix() for p in kit.rglob("4wdFullAsset.usda"))
    chosen = lg.publish("show", "veh/kit", kind="ModelAsset", files=[kit], entry=entry)
    assert chosen.entry == entry
    assert lg.resolve("legos:/show/veh/kit").path.endswith("4wdFullAsset.usda")
    with pytest.raises(EntryError, match=r"'nope.usd' is not one of the files published"):
        lg.publish("show", "veh/kit", kind="ModelAsset", files=[kit], entry="nope.usd")


def test_several_root_layers_ask_for_an_entry(lg, make_file):
    make_file("set/chair.usda", "#usda 1.0\n")
    folder = make_file("set/table.usda", "#usda 1.0\n").parent
    with pytest.raises(EntryError, match=r"2 USD layers could be the root of this version.*--entry"):
        lg.publish("show", "env/set", kind="ModelAsset", files=[folder])
    assert lg.assets() == []
    assert lg.publish("show", "env/set", kind="ModelAsset", files=[folder],
                      entry="table.usda").entry == "table.usda"


def test_files_that_do_not_tell_ask_for_an_entry(lg, make_file):
    pngs = [make_file(f"maps/{n}.png", n) for n in ("a", "b")]
    with pytest.raises(EntryError, match="none of them is plainly the main one"):
        lg.publish("p", "tex/pair", kind="TextureAsset", files=[pngs[0].parent])
    version = lg.publish("p", "tex/pair", kind="TextureAsset", files=[pngs[0].parent],
                         entry="b.png")
    assert lg.resolve(version.uri).path.endswith("/b.png")


def test_a_thumbnail_is_kept_but_never_the_entry_nor_a_png_match(lg, make_file, tmp_path):
    thumb = _png(tmp_path / "thumb.png")
    version = lg.publish("p", "chr/a/model", kind="ModelAsset",
                         files=[make_file("a.usda", "#usda 1.0\n")], thumbnail=thumb)
    assert version.entry == "a.usda"
    assert version.thumbnail is not None and version.thumbnail.role == "thumbnail"
    assert Path(version.thumbnail.path).read_bytes() == thumb.read_bytes()
    assert lg.resolve("legos:/p/chr/a/model?rep=thumbnail").path == version.thumbnail.path
    with pytest.raises(legos.LegosError, match="has no 'png' file"):
        lg.resolve("legos:/p/chr/a/model?rep=png")
    # the thumbnail is not content: a new render of it is not a new version's worth
    again = lg.publish("p", "chr/a/model", kind="ModelAsset",
                       files=[make_file("a.usda", "#usda 1.0\n")],
                       thumbnail=_png(tmp_path / "other.png"), skip_unchanged=True)
    assert again.uid == version.uid
    manifest = lg.pin(version.uri, output=tmp_path / "m.json").manifest
    pinned = json.loads((tmp_path / "m.json").read_text())
    (pin,) = [p for scope in pinned["scopes"].values() for p in scope.values()]
    assert list(pin["files"]) == ["a.usda"] and pin["entry"] == "a.usda"
    assert manifest.name
    with pytest.raises(PublishFileError, match="is not a PNG"):
        lg.publish("p", "chr/b/model", kind="ModelAsset", files=[make_file("b.usda", "x")],
                   thumbnail=make_file("b.jpg", "jpeg"))


def test_a_manifest_resolves_to_the_entry(lg, make_file, tmp_path):
    folder = make_file("knight/Knight.usda", '#usda 1.0\n(\n    subLayers = [@./Knight_geom.usda@]\n)\n')
    make_file("knight/Knight_geom.usda", "#usda 1.0\n")
    version = lg.publish("p", "chr/knight", kind="ModelAsset", files=[folder.parent])
    assert version.entry == "Knight.usda"
    lg.pin(version.uri, output=tmp_path / "k.json")
    from legos.pins import resolve

    assert resolve("legos:/p/chr/knight", tmp_path / "k.json").endswith("/Knight.usda")


def test_image_facts_and_provenance_are_recorded_and_shown(lg, make_file, run):
    facts = {"width": 4096, "height": 2048, "channels": 3, "pixel_type": "half",
             "colorspace": "ACEScg", "mip_levels": 13, "tiled": True}
    version = lg.publish("p", "tex/albedo", kind="TextureAsset",
                         files=[make_file("albedo.exr", "exr"), make_file("albedo.png", "png")],
                         entry="albedo.exr", facts={"albedo.exr": facts},
                         provenance={"tool": "maketx", "oiio": "3.2.2"})
    by_name = {r.name: r for r in version.representations}
    assert by_name["albedo.exr"].model_dump(include=set(facts)) == facts
    assert by_name["albedo.png"].width is None
    assert version.provenance == {"tool": "maketx", "oiio": "3.2.2"}
    shown = json.loads(run("show", version.uri, "--json").stdout)
    assert shown["entry"] == "albedo.exr" and shown["provenance"]["tool"] == "maketx"
    (exr,) = [r for r in shown["representations"] if r["name"] == "albedo.exr"]
    assert exr["entry"] is True and exr["colorspace"] == "ACEScg" and exr["mip_levels"] == 13
    with pytest.raises(InvalidInputError, match="need width as int"):
        lg.publish("p", "tex/bad", kind="TextureAsset", files=[make_file("bad.exr", "b")],
                   facts={"bad.exr": {**facts, "width": "wide"}})
    with pytest.raises(InvalidInputError, match="not a file published here"):
        lg.publish("p", "tex/bad", kind="TextureAsset", files=[make_file("bad.exr", "b")],
                   facts={"other.exr": facts})
    assert [a.path for a in lg.assets()] == ["p/tex/albedo"]


def test_entry_from_the_command_line(run, make_file, tmp_path):
    folder = make_file("set/a.png", "a").parent
    make_file("set/b.png", "b")
    failed = run("publish", "p/tex/set", "--kind", "TextureAsset", "--file", str(folder), ok=False)
    assert failed.exit_code == 1 and "--entry" in failed.stderr
    run("publish", "p/tex/set", "--kind", "TextureAsset", "--file", str(folder),
        "--entry", "a.png", "--thumbnail", str(_png(tmp_path / "t.png")))
    assert run("resolve", "legos:/p/tex/set").stdout.strip().endswith("/a.png")
    shown = run("show", "legos:/p/tex/set").stdout
    assert "entry" in shown and "thumbnail" in shown
    shutil.rmtree(folder)


def test_the_tiles_of_a_udim_set_resolve_as_one_texture(lg, make_file, tmp_path):
    folder = make_file("albedo/albedo.1001.png", "t1").parent
    make_file("albedo/albedo.1002.png", "t2")
    version = lg.publish("p", "tex/albedo", kind="TextureAsset", files=[folder])
    assert version.entry == "albedo.<UDIM>.png"
    resolved = lg.resolve(version.uri).path
    assert resolved.endswith("/v001/albedo.<UDIM>.png")
    assert lg.resolve("legos:/p/tex/albedo?rep=albedo.1002.png").path.endswith("albedo.1002.png")
    lg.pin(version.uri, output=tmp_path / "udim.json")
    from legos.pins import resolve

    assert resolve("legos:/p/tex/albedo", tmp_path / "udim.json") == resolved
    # frames of a plate are not tiles: a file asset of them asks for its entry
    frames = make_file("plate/plate.1001.exr", "f1").parent
    make_file("plate/plate.1002.exr", "f2")
    with pytest.raises(EntryError, match="--entry"):
        lg.publish("p", "plate/bg", kind="FileAsset", files=[frames])
