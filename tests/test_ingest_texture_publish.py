"""`legos ingest texture` / `lg.ingest_texture`: real image files become TextureAsset versions
whose entry is the transcoded texture, on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("OpenImageIO", reason="the ingest extra (OpenImageIO) is not installed")


def test_textures_become_versions_with_entry_source_thumbnail_and_facts(lg, shared_assets,
                                                                         tmp_path, monkeypatch):
    monkeypatch.setenv("LEGOS_TEXTURE_CACHE", str(tmp_path / "cache"))
    box = shared_assets / "cesium_obj_box_complex_material"
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    records = lg.ingest_texture([box / "diffuse.png", box / "bump.png", bad], project="demo",
                                prefix="lib/tex")
    by_name = {Path(r.source).name: r for r in records}
    assert [by_name[n].status for n in ("diffuse.png", "bump.png", "broken.png")] == [
        "ok", "ok", "failed"]
    assert "broken.png" in by_name["broken.png"].error
    assert by_name["diffuse.png"].extra["colorspace"]["out"] == "ACEScg"
    assert by_name["bump.png"].extra["colorspace"]["rule"].startswith("data-map")
    diffuse = lg.show("legos:/demo/lib/tex/diffuse")
    assert diffuse.entry == "diffuse.exr"
    reps = {r.name: r for r in diffuse.representations}
    exr = reps["diffuse.exr"]
    assert (exr.colorspace, exr.pixel_type, exr.tiled) == ("ACEScg", "half", True)
    assert exr.mip_levels and exr.mip_levels > 1
    assert reps["source/diffuse.png"].sha256 == _sha(box / "diffuse.png")
    assert diffuse.thumbnail is not None
    assert lg.resolve("legos:/demo/lib/tex/diffuse?rep=png").path.endswith("source/diffuse.png")
    assert diffuse.provenance and diffuse.provenance["colorspace"]["out"] == "ACEScg"
    assert [a.path for a in lg.assets()] == ["demo/lib/tex/bump", "demo/lib/tex/diffuse"]
    # the same drop again: transcodes reused, nothing new published
    again = lg.ingest_texture([box / "diffuse.png"], project="demo", prefix="lib/tex")
    assert again[0].status == "skipped" and again[0].extra["reused"] is True
    assert lg.show("legos:/demo/lib/tex/diffuse").number == 1


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_dry_run_and_bad_arguments_publish_nothing(lg, shared_assets):
    hdr = shared_assets / "tri_env_home_office_hdr" / "env_home_office_full_lights.hdr"
    (would,) = lg.ingest_texture([hdr], project="demo", asset="env/office", dry_run=True)
    assert would.status == "ok" and would.extra["dry_run"] is True
    assert would.uri == "legos:/demo/env/office"
    two = lg.ingest_texture([hdr, hdr.with_suffix(".png")], project="demo", asset="env/office")
    assert {r.status for r in two} == {"failed"} and "--prefix" in two[0].error
    assert lg.assets() == []


def test_cli_ingest_texture_prints_records_and_fails_with_status_1(run, shared_assets,
                                                                   tmp_path, monkeypatch):
    monkeypatch.setenv("LEGOS_TEXTURE_CACHE", str(tmp_path / "cache"))
    tif = shared_assets / "libtiff_flower_rgb_16bit_tiff" / "flower-rgb-contig-16.tif"
    done = run("ingest", "texture", str(tif), "--project", "demo", "--asset", "lib/flower",
               "--json")
    (record,) = json.loads(done.stdout)
    assert record["status"] == "ok" and record["uri"] == "legos:/demo/lib/flower?version=1"
    assert record["colorspace"]["in"] and record["kind"] == "TextureAsset"
    missing = run("ingest", "texture", str(tmp_path / "nope.png"), "--project", "demo",
                  "--prefix", "lib", "--json", ok=False)
    assert missing.exit_code == 1
    assert json.loads(missing.stdout)[0]["status"] == "failed"
