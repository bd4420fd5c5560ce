"""Run inside Blender's Python (.venv-blender/bin/python) by tests/test_approved_render.py:
import a package version, render it with Cycles on the CPU, and either write the image
(`render`) or publish it as the QC render and approve it (`qc`). Prints one JSON line last.

    python tests/blender_approved_render.py render --stage S.usda --out img.exr
"""

from __future__ import annotations

import argparse
import json
import sys
import time


def _apply_settings(scene, samples: int, seed: int, resolution: tuple[int, int]) -> None:
    scene.render.engine = "CYCLES"
    scene.cycles.device = "CPU"
    scene.cycles.samples = samples
    scene.cycles.seed = seed
    scene.cycles.use_denoising = False
    scene.render.resolution_x, scene.render.resolution_y = resolution
    scene.render.resolution_percentage = 100


def import_stage(path: str) -> None:
    """PROTOTYPE: the USD import and render settings, until legos.import_version lands."""
    import bpy

    bpy.ops.wm.read_factory_settings(use_empty=True)
    bpy.context.scene.world = bpy.data.worlds.new("World")  # the dome light becomes it
    bpy.ops.wm.usd_import(filepath=path)
    scene = bpy.context.scene
    scene.camera = next(o for o in scene.objects if o.type == "CAMERA")
    _apply_settings(scene, 8, 7, (64, 48))


def render(out: str) -> float:
    import bpy

    scene = bpy.context.scene
    scene.render.image_settings.file_format = "OPEN_EXR"
    scene.render.filepath = out
    started = time.perf_counter()
    bpy.ops.render.render(write_still=True)
    return time.perf_counter() - started


def publish_qc(args: argparse.Namespace, image: str) -> dict:
    """PROTOTYPE of legos.render_publish: the render as the next QC version, approved."""
    import legos

    with legos.open(args.store, root=args.root) as lg:
        package = lg.show(args.package)
        render_settings = next(m.uri for m in lg.contents(args.package)
                               if m.kind == "RenderSettingsAsset")
        version = lg.publish(args.project, args.asset, kind="RenderAsset", files=[image],
                             dependencies=[("lookdev", str(package.uri)),
                                           ("render_settings", render_settings)],
                             comment="QC render", user="cleo")
        revision = lg.submit(version.uri, note="QC of the Spot look", user="cleo")
        lg.review(revision.uid, "approved", note="looks right", user="sup")
    return {"qc": str(version.uri)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["render", "qc"])
    parser.add_argument("--stage", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--store")
    parser.add_argument("--root")
    parser.add_argument("--package")
    parser.add_argument("--project")
    parser.add_argument("--asset")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    import_stage(args.stage)
    imported = time.perf_counter() - started
    seconds = render(args.out)
    result = {"image": args.out, "import_s": round(imported, 3), "render_s": round(seconds, 3)}
    if args.mode == "qc":
        result.update(publish_qc(args, args.out))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
