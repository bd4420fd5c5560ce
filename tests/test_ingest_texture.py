"""The texture ingest step on real vendor files and on the edge cases vendors send: tiled,
mipmapped, colour-converted as OCIO says, data maps untouched, bad input refused, nothing
transcoded twice."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import OpenImageIO as oiio
import PyOpenColorIO as ocio
import pytest

from legos.errors import IngestError
from legos.ingest import texture as tex
from legos.ingest.cache import TextureCache
from legos.ingest.colour import DEFAULT_CONFIG, decide
from legos.ingest.runner import pool_size, transcode_many
from legos.ingest.texture import (
    CONTENT,
    SOURCE,
    THUMBNAIL,
    UdimSet,
    group_udims,
    image_facts,
    transcode,
    transcode_udim,
)

STOOL = "polyhaven_painted_wooden_stool_gltf/textures"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the default cache is the user's: the tests never write there
    monkeypatch.setenv("LEGOS_TEXTURE_CACHE", str(tmp_path / "default-cache"))
    monkeypatch.delenv("OCIO", raising=False)


@pytest.fixture
def cache(tmp_path: Path) -> TextureCache:
    return TextureCache(tmp_path / "cache")


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "out"


def pixels(path: Path, unassociated: bool = True) -> np.ndarray:
    hint = oiio.ImageSpec()
    if unassociated:
        hint.attribute("oiio:UnassociatedAlpha", 1)
    return oiio.ImageBuf(str(path), 0, 0, hint).get_pixels(oiio.FLOAT)


def header(path: Path) -> oiio.ImageSpec:
    inp = oiio.ImageInput.open(str(path))
    spec = inp.spec()
    inp.close()
    return spec


def ocio_convert(rgb: np.ndarray, source: str, target: str) -> np.ndarray:
    config = ocio.Config.CreateFromFile(DEFAULT_CONFIG)
    cpu = config.getProcessor(source, target).getDefaultCPUProcessor()
    return np.array(cpu.applyRGB([float(v) for v in rgb]))


def mid_pixel(image: np.ndarray) -> tuple[int, int]:
    """A pixel whose colour channels are all well inside (0, 1): conversion shows there."""
    rgb = image[..., :3]
    ok = np.all((rgb > 0.15) & (rgb < 0.85), axis=-1) & (np.ptp(rgb, axis=-1) > 0.05)
    ys, xs = np.nonzero(ok)
    assert len(ys), "no mid-tone pixel to compare"
    return int(ys[len(ys) // 2]), int(xs[len(xs) // 2])


def write_image(path: Path, data: np.ndarray, fmt: str = "uint8") -> Path:
    height, width, channels = data.shape
    buf = oiio.ImageBuf(oiio.ImageSpec(width, height, channels, fmt))
    buf.set_pixels(oiio.ROI(), data)
    path.parent.mkdir(parents=True, exist_ok=True)
    assert buf.write(str(path)), buf.geterror()
    return path


def gradient(height: int = 48, width: int = 64, channels: int = 3, dtype=np.uint8,
             seed: int = 7) -> np.ndarray:
    top = np.iinfo(dtype).max
    rng = np.random.default_rng(seed)
    return rng.integers(0, top, (height, width, channels), endpoint=True).astype(dtype)


# ------------------------------------------------------------------ colour maps and data maps

@pytest.mark.assets
def test_an_rgba_png_becomes_a_tiled_mipmapped_half_exr_in_acescg(shared_assets, out, cache):
    source = shared_assets / "cesium_obj_box_complex_material" / "diffuse.png"
    result = transcode(source, out, cache=cache)

    assert result.texture == out / "diffuse.exr" and result.texture.is_file()
    spec = header(result.texture)
    assert spec.tile_width > 0 and str(spec.format) == "half" and spec.nchannels == 4
    facts = result.facts[CONTENT]
    assert facts.tiled and facts.mip_levels == 8 and facts.pixel_type == "half"  # 195 px -> 1
    assert result.colour.to_dict() == {"in": "sRGB Encoded Rec.709 (sRGB)", "out": "ACEScg",
                                       "rule": "default:integer-is-srgb"}
    # the header names ACEScg (OIIO writes its interop id), not the PNG's sRGB tag
    assert spec.get_string_attribute("oiio:ColorSpace") == "lin_ap1_scene"
    assert facts.colorspace == "ACEScg"
    assert result.facts[SOURCE].pixel_type == "uint8" and result.facts[SOURCE].channels == 4

    src, made = pixels(source), pixels(result.texture)
    y, x = mid_pixel(src)
    expected = ocio_convert(src[y, x, :3], "sRGB - Texture", "ACEScg")
    assert not np.allclose(src[y, x, :3], expected, atol=0.01)  # the conversion shows
    np.testing.assert_allclose(made[y, x, :3], expected, rtol=2e-3, atol=2e-4)
    # alpha is kept as authored: straight, never premultiplied into the colour
    np.testing.assert_array_equal(np.round(made[..., 3] * 255), np.round(src[..., 3] * 255))


@pytest.mark.assets
@pytest.mark.parametrize("name, token", [("painted_wooden_stool_arm_1k.jpg", "arm"),
                                          ("painted_wooden_stool_nor_gl_1k.jpg", "norgl")])
def test_a_data_map_is_never_converted_and_comes_out_bit_faithful(shared_assets, out, cache,
                                                                  name, token):
    source = shared_assets / STOOL / name
    result = transcode(source, out, cache=cache)

    assert result.colour.to_dict() == {"in": "Raw", "out": "Raw", "rule": f"data-map:{token}"}
    assert result.facts[CONTENT].colorspace == "Raw"
    assert header(result.texture).get_string_attribute("oiio:ColorSpace") == "data"
    # half holds every 8-bit step: back in 8 bits, every value is the source's
    src = np.round(pixels(source) * 255)
    np.testing.assert_array_equal(np.round(pixels(result.texture) * 255), src)
    assert result.facts[THUMBNAIL].colorspace is None  # shown raw


@pytest.mark.assets
def test_an_hdr_stays_float_and_is_read_as_linear_rec709(shared_assets, out, cache):
    source = shared_assets / "tri_env_home_office_hdr" / "env_home_office_full_lights.hdr"
    result = transcode(source, out, cache=cache)

    assert result.colour.to_dict() == {"in": "Linear Rec.709 (sRGB)", "out": "ACEScg",
                                       "rule": "default:float-is-linear"}
    facts = result.facts[CONTENT]
    assert facts.pixel_type == "float" and facts.tiled and facts.mip_levels == 11  # 1024x512
    src, made = pixels(source), pixels(result.texture)
    y, x = mid_pixel(src)
    np.testing.assert_allclose(made[y, x], ocio_convert(src[y, x], "Linear Rec.709 (sRGB)",
                                                        "ACEScg"), rtol=1e-4, atol=1e-6)


@pytest.mark.assets
def test_a_16bit_tiff_is_read_as_srgb_and_written_half(shared_assets, out, cache):
    source = shared_assets / "libtiff_flower_rgb_16bit_tiff" / "flower-rgb-contig-16.tif"
    result = transcode(source, out, cache=cache)

    assert result.facts[SOURCE].pixel_type == "uint16"
    assert result.facts[CONTENT].pixel_type == "half"
    assert result.colour.source == "sRGB Encoded Rec.709 (sRGB)"
    src, made = pixels(source), pixels(result.texture)
    y, x = mid_pixel(src)
    np.testing.assert_allclose(made[y, x], ocio_convert(src[y, x], "sRGB - Texture", "ACEScg"),
                               rtol=2e-3, atol=2e-4)


@pytest.mark.assets
def test_the_shader_ball_exr_maps_follow_their_name_and_the_config_file_rules(shared_assets,
                                                                             out, cache):
    maps = shared_assets / "usdwg_standard_shader_ball_exr_maps" / "maps"
    named = transcode(maps / "neutral.ACEScg.exr", out, cache=cache)
    assert named.colour.to_dict() == {"in": "ACEScg", "out": "ACEScg", "rule": "filename:ACEScg"}
    # ACEScg to ACEScg: the half pixels are the source's, bit for bit
    np.testing.assert_array_equal(pixels(named.texture), pixels(maps / "neutral.ACEScg.exr"))
    # the source and its texture share a name: the version keeps the source under source/
    layout = named.layout()
    assert {n: role for n, (_, role, _) in layout.items()} == {
        "neutral.ACEScg.exr": CONTENT, "source/neutral.ACEScg.exr": SOURCE}
    assert layout["source/neutral.ACEScg.exr"][2].tiled is False
    assert named.facts[CONTENT].pixel_type == "half" and named.facts[CONTENT].mip_levels == 12

    grid = transcode(maps / "uvgrid.exr", out, cache=cache)
    # the pinned ACES config's FileRules say *.exr is ACES2065-1 (the ACES container)
    assert grid.colour.to_dict() == {"in": "ACES2065-1", "out": "ACEScg", "rule": "file-rules:EXR"}
    assert header(grid.texture).get_string_attribute("oiio:ColorSpace") == "lin_ap1_scene"


@pytest.mark.assets
def test_an_exr_already_tiled_and_mipmapped_is_not_degraded(shared_assets, tmp_path, out, cache):
    grid = shared_assets / "usdwg_standard_shader_ball_exr_maps" / "maps" / "uvgrid.exr"
    made_before = tmp_path / "vendor" / "grid_float.exr"
    made_before.parent.mkdir()
    spec = oiio.ImageSpec()
    spec.format = oiio.TypeDesc("float")
    assert oiio.ImageBufAlgo.make_texture(oiio.MakeTxTexture, str(grid), str(made_before), spec)
    before = image_facts(made_before)
    assert before.tiled and before.mip_levels > 1 and before.pixel_type == "float"

    result = transcode(made_before, out, cache=cache, colorspace="ACEScg")
    after = result.facts[CONTENT]
    assert (after.pixel_type, after.mip_levels, after.tiled) == ("float", before.mip_levels, True)
    np.testing.assert_array_equal(pixels(result.texture), pixels(made_before))


def test_a_legos_made_exr_is_read_by_its_header_tag_and_not_converted_twice(tmp_path, out, cache):
    first = transcode(write_image(tmp_path / "src" / "paint.png", gradient()), tmp_path / "one",
                      cache=cache)
    again = transcode(first.texture, out, cache=cache)
    assert again.colour.rule == "header:lin_ap1_scene"
    assert again.colour.source == again.colour.target == "ACEScg"
    np.testing.assert_array_equal(pixels(again.texture), pixels(first.texture))


# ----------------------------------------------------------------- what vendors really send

def test_a_grayscale_png_is_converted_channel_for_channel(tmp_path, out, cache):
    source = write_image(tmp_path / "src" / "grunge.png", gradient(channels=1))
    result = transcode(source, out, cache=cache)
    assert result.facts[CONTENT].channels == 1 and result.facts[CONTENT].pixel_type == "half"
    src, made = pixels(source), pixels(result.texture)
    value = float(src[5, 9, 0])
    expected = ocio_convert(np.array([value] * 3), "sRGB - Texture", "ACEScg")[0]
    assert made[5, 9, 0] == pytest.approx(expected, rel=2e-3, abs=2e-4)


def test_a_16bit_png_colour_map_is_converted_into_half(tmp_path, out, cache):
    data = gradient(dtype=np.uint16)
    source = write_image(tmp_path / "src" / "paint16.png", data, "uint16")
    result = transcode(source, out, cache=cache)
    assert result.facts[SOURCE].pixel_type == "uint16"
    assert (result.facts[CONTENT].pixel_type, result.colour.rule) == ("half",
                                                                      "default:integer-is-srgb")
    src, made = pixels(source), pixels(result.texture)
    y, x = mid_pixel(src)
    np.testing.assert_allclose(made[y, x], ocio_convert(src[y, x], "sRGB - Texture", "ACEScg"),
                               rtol=2e-3, atol=2e-4)


def test_a_16bit_grayscale_height_map_keeps_its_steps_in_float(tmp_path, out, cache):
    data = gradient(channels=1, dtype=np.uint16)
    source = write_image(tmp_path / "src" / "cliff_height.png", data, "uint16")
    result = transcode(source, out, cache=cache)
    assert result.colour.rule == "data-map:height"
    assert result.facts[SOURCE].pixel_type == "uint16"
    assert result.facts[CONTENT].pixel_type == "float"  # half cannot hold 65536 steps
    np.testing.assert_array_equal(np.round(pixels(result.texture) * 65535), data.astype(float))


def test_a_cmyk_jpeg_is_read_as_rgb(tmp_path, out, cache):
    image = pytest.importorskip("PIL.Image")
    source = tmp_path / "src" / "poster.jpg"
    source.parent.mkdir()
    image.new("CMYK", (64, 48), (0, 255, 255, 0)).save(source)  # no cyan: red
    assert header(source).get_string_attribute("jpeg:ColorSpace") == "CMYK"

    result = transcode(source, out, cache=cache)
    assert result.facts[SOURCE].channels == 3 and result.facts[CONTENT].channels == 3
    red, green, blue = pixels(result.texture)[10, 10]
    assert red > 0.5 and green < 0.1 and blue < 0.1


def test_an_explicit_colour_space_overrides_the_data_rule(tmp_path, out, cache):
    source = write_image(tmp_path / "src" / "rust_roughness.png", gradient())
    assert decide(source, is_float=False).is_data
    result = transcode(source, out, cache=cache, colorspace="srgb_tx")
    assert result.colour.to_dict() == {"in": "sRGB Encoded Rec.709 (sRGB)", "out": "ACEScg",
                                       "rule": "explicit"}
    with pytest.raises(IngestError, match="not in the OCIO config"):
        transcode(source, out, cache=cache, colorspace="Kodak 2383")


def test_a_studio_config_from_ocio_decides_by_its_own_file_rules(tmp_path, out, cache,
                                                                 monkeypatch):
    config = ocio.Config.CreateFromFile(DEFAULT_CONFIG)
    config.getFileRules().insertRule(0, "StudioLinear", "lin_rec709", "*_lin*", "*")
    studio = tmp_path / "studio.ocio"
    studio.write_text(config.serialize())
    monkeypatch.setenv("OCIO", str(studio))

    source = write_image(tmp_path / "src" / "sky_lin.png", gradient())
    result = transcode(source, out, cache=cache)
    assert result.colour.to_dict() == {"in": "Linear Rec.709 (sRGB)", "out": "ACEScg",
                                       "rule": "file-rules:StudioLinear"}
    assert result.provenance["ocio_config"]["file_sha256"]
    with pytest.raises(IngestError, match="is not a file"):
        transcode(source, out, cache=cache, ocio_config=tmp_path / "missing.ocio")


def test_the_material_input_makes_a_map_data(tmp_path, out, cache):
    source = write_image(tmp_path / "src" / "rock_b.png", gradient())
    result = transcode(source, out, cache=cache, role="normal")
    assert result.colour.rule == "data-map:role=normal" and result.colour.target == "Raw"


def test_tx_on_request_is_a_tiled_mipmapped_tiff_with_the_space_in_the_record(tmp_path, out, cache):
    source = write_image(tmp_path / "src" / "paint.png", gradient())
    result = transcode(source, out, cache=cache, fmt="tx")
    assert result.texture.name == "paint.tx"
    facts = result.facts[CONTENT]
    assert facts.file_format == "tiff" and facts.tiled and facts.mip_levels == 7
    assert facts.colorspace == "ACEScg"  # the TIFF holds no tag: the record does
    with pytest.raises(IngestError, match="not one of exr, tx"):
        transcode(source, out, cache=cache, fmt="png")


def test_the_thumbnail_is_small_srgb_and_never_a_content_file(tmp_path, out, cache):
    source = write_image(tmp_path / "src" / "wall.png", gradient(300, 400))
    result = transcode(source, out, cache=cache)
    assert result.thumbnail == out / "wall.thumb.png"
    facts = result.facts[THUMBNAIL]
    assert (facts.width, facts.height, facts.pixel_type) == (128, 96, "uint8")
    assert facts.colorspace == "sRGB Encoded Rec.709 (sRGB)"
    assert {role: p for p, role in result.files()} == {
        CONTENT: result.texture, SOURCE: source, THUMBNAIL: result.thumbnail}
    # shown in sRGB: a mid grey of the source comes back near itself, not as linear ACEScg
    flat = write_image(tmp_path / "src" / "flat.png", np.full((64, 64, 3), 128, np.uint8))
    shown = pixels(transcode(flat, out, cache=cache).thumbnail)
    assert np.allclose(shown, 128 / 255, atol=2 / 255)


def test_udim_tiles_are_grouped_into_sets_and_transcoded_tile_by_tile(tmp_path, out, cache):
    src = tmp_path / "src"
    tiles = [write_image(src / f"albedo.{n}.png", gradient(32, 32, seed=n))
             for n in (1001, 1002, 1011)]
    rough = write_image(src / "albedo_roughness.1001.png", gradient(32, 32))
    single = write_image(src / "logo.png", gradient(16, 16))
    not_a_tile = write_image(src / "shot.1000.png", gradient(16, 16))

    items = group_udims([tiles[1], single, tiles[0], rough, tiles[2], not_a_tile])
    assert len(items) == 4 and items[1] == single and items[3] == not_a_tile
    albedo = items[0]
    assert isinstance(albedo, UdimSet) and albedo.pattern == src / "albedo.<UDIM>.png"
    assert list(albedo.tiles) == [1001, 1002, 1011]
    assert isinstance(items[2], UdimSet) and items[2].stem == "albedo_roughness"

    result = transcode_udim(albedo, out, cache=cache)
    assert result.texture == out / "albedo.<UDIM>.exr"
    assert sorted(p.name for p in out.iterdir()) == [
        "albedo.1001.exr", "albedo.1002.exr", "albedo.1011.exr", "albedo.thumb.png"]
    assert result.colour.rule == "default:integer-is-srgb"
    assert all(t.facts[CONTENT].tiled for t in result.tiles.values())
    roles = [role for _, role in result.files()]
    assert roles.count(CONTENT) == 3 and roles.count(SOURCE) == 3 and roles.count(THUMBNAIL) == 1
    assert sorted(result.layout()) == [
        "albedo.1001.exr", "albedo.1002.exr", "albedo.1011.exr",
        "source/albedo.1001.png", "source/albedo.1002.png", "source/albedo.1011.png"]


# -------------------------------------------------------------------------------- bad input

def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = zlib.compress(b"\0" * (width + 1) * 4, 9)  # a few rows: the rest never arrives
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0,
                                                               0, 0))
            + chunk(b"IDAT", rows) + chunk(b"IEND", b""))


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    src = tmp_path / "bad"
    src.mkdir()
    good_png = write_image(tmp_path / "good" / "g.png", gradient(64, 64))
    good_jpg = write_image(tmp_path / "good" / "g.jpg", gradient(64, 64))
    cases = {
        "zero-byte": ("empty.png", b"", "zero-byte"),
        "truncated png": ("cut.png", good_png.read_bytes()[:400], "damaged or truncated"),
        "truncated jpeg": ("cut.jpg", good_jpg.read_bytes()[:900], "truncated"),
        "mislabelled": ("photo.png", good_jpg.read_bytes(), "holds jpeg data"),
        "not an image": ("notes.png", b"hello, not a picture", "not a readable png"),
        "unsupported format": ("model.fbx", b"Kaydara FBX Binary", "not an image format"),
        "bomb": ("bomb.png", _png_header_only(100_000, 100_000), "bomb.png"),
    }
    made = {}
    for case, (name, data, message) in cases.items():
        (src / name).write_bytes(data)
        made[case] = (src / name, message)
    loop = src / "loop.png"
    loop.symlink_to(src / "loop2.png")
    (src / "loop2.png").symlink_to(loop)
    made["symlink loop"] = (loop, "symlink loop")
    return made


def test_bad_input_is_refused_with_one_clear_reason_and_nothing_written(tmp_path, out, cache):
    for case, (path, message) in _bad_inputs(tmp_path).items():
        with pytest.raises(IngestError, match=message) as caught:
            transcode(path, out, cache=cache)
        assert str(path.name) in str(caught.value), case
        assert "\n" not in str(caught.value), case
    assert not out.exists() or list(out.iterdir()) == []
    assert not cache.root.exists() or not any(p.is_file() for p in cache.root.rglob("*"))


def test_images_above_the_pixel_limit_are_refused_before_decoding(tmp_path, out, cache):
    source = tmp_path / "src" / "huge.png"
    source.parent.mkdir()
    source.write_bytes(_png_header_only(20_000, 20_000))  # 400 Mpx in 300 bytes
    with pytest.raises(IngestError, match="above the limit of 100,000,000"):
        transcode(source, out, cache=cache, max_pixels=100_000_000)


def test_the_source_is_never_overwritten(tmp_path, cache):
    source = write_image(tmp_path / "src" / "plate.exr", gradient().astype(np.float32) / 255,
                         "half")
    with pytest.raises(IngestError, match="would overwrite the source"):
        transcode(source, source.parent, cache=cache)


# ------------------------------------------------------------------------------------ cache

def test_a_second_transcode_reuses_the_cached_result_without_making_it(tmp_path, out, cache,
                                                                       monkeypatch):
    source = write_image(tmp_path / "src" / "paint.png", gradient())
    first = transcode(source, out, cache=cache)
    assert first.reused is False
    made = first.texture.read_bytes()

    calls = []
    monkeypatch.setattr(tex, "_make_texture", lambda *a: calls.append(a) or False)
    second = transcode(source, tmp_path / "out2", cache=cache)
    assert calls == [] and second.reused is True
    assert second.cache_key == first.cache_key
    assert second.texture.read_bytes() == made
    assert second.facts == first.facts and second.provenance == first.provenance

    # the same texture in another vendor drop, under another name: the same key
    copy = tmp_path / "drop2" / "paint_copy.png"
    copy.parent.mkdir()
    copy.write_bytes(source.read_bytes())
    assert transcode(copy, tmp_path / "out3", cache=cache).reused is True


def test_the_key_changes_with_the_colour_space_and_the_format(tmp_path, out, cache):
    source = write_image(tmp_path / "src" / "paint.png", gradient())
    base = transcode(source, out, cache=cache)
    other_space = transcode(source, tmp_path / "o2", cache=cache, colorspace="Linear Rec.709 (sRGB)")
    other_format = transcode(source, tmp_path / "o3", cache=cache, fmt="tx")
    keys = {base.cache_key, other_space.cache_key, other_format.cache_key}
    assert len(keys) == 3 and not other_space.reused and not other_format.reused
    inputs = base.provenance
    assert inputs["cache_key"] == base.cache_key
    assert inputs["ocio_config"]["name"] == "studio-config-v4.0.0_aces-v2.0_ocio-v2.5"
    assert inputs["versions"]["OpenImageIO"] == oiio.__version__
    assert inputs["colour"]["in"] == "sRGB Encoded Rec.709 (sRGB)"
    assert inputs["args"]["format"] == "exr" and inputs["source_sha256"]


def test_without_a_cache_the_files_still_appear_whole(tmp_path, out):
    source = write_image(tmp_path / "src" / "paint.png", gradient())
    result = transcode(source, out, cache=False)
    assert sorted(p.name for p in out.iterdir()) == ["paint.exr", "paint.thumb.png"]
    assert result.reused is False


def test_the_default_cache_is_the_one_the_environment_names(tmp_path, out):
    source = write_image(tmp_path / "src" / "paint.png", gradient())
    result = transcode(source, out)
    assert (tmp_path / "default-cache" / result.cache_key[:2] / result.cache_key).is_dir()


# ------------------------------------------------------------------------------- in parallel

def test_many_textures_run_in_a_pool_and_a_bad_one_fails_alone(tmp_path, out, cache):
    good = [write_image(tmp_path / "src" / f"t{i}.png", gradient(32, 32)) for i in range(3)]
    bad = tmp_path / "src" / "empty.png"
    bad.write_bytes(b"")
    outcomes = transcode_many([good[0], bad, good[1], good[2]], out, jobs=2, cache=cache)
    assert [o.ok for o in outcomes] == [True, False, True, True]
    assert "zero-byte" in outcomes[1].error and outcomes[0].result.texture == out / "t0.exr"
    assert all(o.peak_rss_mb > 0 for o in outcomes)


def test_the_pool_is_sized_by_cores_and_by_memory(monkeypatch):
    from legos.ingest import runner

    monkeypatch.setattr(runner.os, "cpu_count", lambda: 8)
    monkeypatch.setattr(runner, "available_memory", lambda: 3 << 30)
    assert pool_size(16, [256 * 256]) == 8                 # small images: the cores
    assert pool_size(16, [4096 * 4096]) == 2               # 4k: about 1.3 GB each
    assert pool_size(4, [16384 * 16384]) == 1              # never zero
    assert pool_size(None, [256 * 256], items=3) == 3     # no more workers than items
    assert pool_size(None, []) == 2                        # sizes unknown: 4k assumed


def test_importing_the_ingest_modules_loads_no_imaging_library():
    code = ("import sys, legos.ingest.texture, legos.ingest.runner, legos.ingest.cache; "
            "print(sorted(m for m in ('OpenImageIO', 'PyOpenColorIO') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert done.stdout.strip() == "[]"


def test_the_ingest_benchmark_runs_end_to_end_and_prints_its_records(tmp_path):
    done = subprocess.run(
        [sys.executable, "benchmarks/ingest.py", "--sizes", "64", "--samples", "1", "--batch",
         "2", "--json", "--work-dir", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=600, cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr[-3000:]
    records = {r["name"]: r for r in json.loads(done.stdout)}
    assert {"transcode generated_64_0_albedo.png", "throughput jobs=1",
            "throughput jobs=2"} <= set(records)
    for record in records.values():
        assert {"name", "size", "median_s", "ratio_vs_oiio"} <= set(record)
        assert record["median_s"] > 0
    assert records["transcode generated_64_0_albedo.png"]["ratio_vs_oiio"] > 0
    assert records["throughput jobs=2"]["peak_rss_mb_per_job"] > 0
