"""Texture ingest benchmark: what legos adds to OpenImageIO's own texture maker, and how
ingest scales with jobs.

Measures in one run:
- per texture (the real files in ../shared/assets and generated sRGB colour maps of the
  sizes asked): legos's `transcode` (probe, hash, colour decision, texture, header check,
  thumbnail, cache entry) against `ImageBufAlgo.make_texture` on the same file with the same
  settings, samples interleaved. Goal: ratio_vs_oiio <= 1.1.
- throughput: the same set of distinct textures with jobs 1 and 2 (process pools, so each
  job's peak memory is its own), and each job's peak resident memory.

    python benchmarks/ingest.py                          # 1k and 2k generated maps, 3 samples
    python benchmarks/ingest.py --sizes 1024,4096 --json

With --json it prints records {"name", "size", "median_s", "ratio_vs_oiio", ...}: size is
the texture's pixel count (per texture) or the number of textures (throughput).
"""

from __future__ import annotations

import json
import shutil
import statistics
import tempfile
from pathlib import Path
from typing import Any

import click

from common import REPO, BenchmarkError, log, timed
from legos.ingest.cache import TextureCache
from legos.ingest.runner import transcode_many
from legos.ingest.texture import output_pixel_type, probe, texture_spec, transcode

ASSETS = REPO.parent / "shared" / "assets"
REAL = [
    "tri_env_home_office_hdr/env_home_office_full_lights.hdr",
    "usdwg_standard_shader_ball_exr_maps/maps/uvgrid.exr",
    "libtiff_flower_rgb_16bit_tiff/flower-rgb-contig-16.tif",
    "polyhaven_painted_wooden_stool_gltf/textures/painted_wooden_stool_diff_1k.jpg",
    "polyhaven_painted_wooden_stool_gltf/textures/painted_wooden_stool_arm_1k.jpg",
    "cesium_obj_box_complex_material/diffuse.png",
]


def _generated(folder: Path, side: int, seed: int) -> Path:
    """An 8-bit sRGB colour map: smooth gradients with grain (compresses like a real one)."""
    import numpy as np
    import OpenImageIO as oiio

    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:side, 0:side].astype(np.float32) / side
    rgb = np.stack([x, y, (x + y) / 2], axis=-1) * 200 + rng.normal(0, 12, (side, side, 3))
    data = np.clip(rgb, 0, 255).astype(np.uint8)
    path = folder / f"generated_{side}_{seed}_albedo.png"
    buf = oiio.ImageBuf(oiio.ImageSpec(side, side, 3, "uint8"))
    buf.set_pixels(oiio.ROI(), data)
    if not buf.write(str(path)):
        raise BenchmarkError(f"cannot write {path}: {buf.geterror()}")
    return path


def _oiio_settings(source: Path) -> Any:
    """The texture maker's settings legos chooses for this file (made before timing)."""
    from legos.ingest.colour import decide

    facts, tag = probe(source)
    decision = decide(source, is_float=facts.pixel_type in ("half", "float", "double"),
                      header_colorspace=tag, file_format=facts.file_format)
    return texture_spec(decision, output_pixel_type(facts.pixel_type, decision, "exr"),
                        decision.config)


def _oiio_make(source: Path, out: Path, spec: Any) -> None:
    """OpenImageIO's own texture maker on the file, nothing else."""
    import OpenImageIO as oiio

    if not oiio.ImageBufAlgo.make_texture(oiio.MakeTxTexture, str(source), str(out), spec):
        raise BenchmarkError(f"OIIO failed on {source}: {oiio.geterror()}")


def per_texture(source: Path, work: Path, samples: int) -> dict[str, Any]:
    facts, _ = probe(source)
    spec = _oiio_settings(source)
    ours: list[float] = []
    theirs: list[float] = []
    for attempt in range(samples + 1):  # the first pair warms caches and is dropped
        folder = work / f"s{attempt}"
        folder.mkdir(parents=True)
        cache = TextureCache(folder / "cache")  # a miss every time: the full transcode
        took, result = timed(lambda: transcode(source, folder / "legos", cache=cache))
        if result.reused:
            raise BenchmarkError(f"{source}: a fresh cache reused something")
        took_oiio, _ = timed(lambda: _oiio_make(source, folder / "oiio.exr", spec))
        if attempt:
            ours.append(took)
            theirs.append(took_oiio)
        shutil.rmtree(folder)
    median, median_oiio = statistics.median(ours), statistics.median(theirs)
    return {"name": f"transcode {source.name}", "size": facts.width * facts.height,
            "median_s": median, "ratio_vs_oiio": median / median_oiio,
            "oiio_median_s": median_oiio, "pixel_type": facts.pixel_type, "samples": samples}


def throughput(sources: list[Path], work: Path, jobs: int) -> dict[str, Any]:
    out = work / f"jobs{jobs}"
    cache = TextureCache(work / f"cache-jobs{jobs}")
    took, outcomes = timed(lambda: transcode_many(sources, out, jobs=jobs, cache=cache,
                                                  in_process=False))
    failed = [o for o in outcomes if not o.ok]
    if failed:
        raise BenchmarkError(f"{failed[0].source}: {failed[0].error}")
    pixels = sum(o.result.facts["content"].width * o.result.facts["content"].height
                 for o in outcomes)
    return {"name": f"throughput jobs={jobs}", "size": len(sources), "median_s": took,
            "ratio_vs_oiio": None, "textures_per_s": len(sources) / took,
            "megapixels_per_s": pixels / took / 1e6,
            "peak_rss_mb_per_job": max(o.peak_rss_mb for o in outcomes)}


@click.command()
@click.option("--sizes", default="1024,2048", show_default=True,
              help="sides of the generated sRGB maps, comma-separated")
@click.option("--samples", type=int, default=3, show_default=True)
@click.option("--batch", type=int, default=6, show_default=True,
              help="distinct generated maps (of the largest size) for the throughput runs")
@click.option("--json", "as_json", is_flag=True, help="print only a JSON list of records")
@click.option("--work-dir", type=click.Path(path_type=Path), default=None)
def main(sizes: str, samples: int, batch: int, as_json: bool, work_dir: Path | None) -> None:
    """Texture ingest time against OpenImageIO's texture maker, and throughput by jobs.

    Example: python benchmarks/ingest.py --sizes 1024,4096 --samples 3 --json
    """
    work = Path(work_dir or tempfile.mkdtemp(prefix="legos-bench-ingest-"))
    work.mkdir(parents=True, exist_ok=True)
    inputs = work / "inputs"
    inputs.mkdir(exist_ok=True)
    sides = [int(s) for s in sizes.split(",") if s.strip()]
    sources = [ASSETS / p for p in REAL if (ASSETS / p).is_file()]
    sources += [_generated(inputs, side, 0) for side in sides]
    records = []
    try:
        for source in sources:
            log(f"transcode {source.name}")
            records.append(per_texture(source, work / "per-texture", samples))
        side = max(sides, default=1024)
        many = [_generated(inputs, side, seed) for seed in range(1, batch + 1)]
        for jobs in (1, 2):
            log(f"throughput: {len(many)} maps of {side}x{side}, jobs={jobs}")
            records.append(throughput(many, work, jobs))
        base = records[-2]["median_s"]
        for record in records[-2:]:
            record["speedup_vs_jobs1"] = base / record["median_s"]
    finally:
        if work_dir is None:
            shutil.rmtree(work, ignore_errors=True)
    if as_json:
        click.echo(json.dumps(records, indent=2))
        return
    for r in records:
        ratio = f"x{r['ratio_vs_oiio']:.3f} vs OIIO" if r["ratio_vs_oiio"] else (
            f"{r['textures_per_s']:.2f} tex/s, peak {r['peak_rss_mb_per_job']:.0f} MB/job")
        click.echo(f"{r['name']:48} size {r['size']:>10}  median {r['median_s']:8.3f} s  {ratio}")


if __name__ == "__main__":
    main()
