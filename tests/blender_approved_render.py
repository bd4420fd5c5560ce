"""Run inside Blender's Python (.venv-blender/bin/python) by tests/test_approved_render.py,
with the store and root in $LEGOS_STORE / $LEGOS_ROOT (what the legos extension defaults to):
import a package version with the extension's operator and render it with Cycles on the CPU,
then either publish the render as the QC version and approve it (`qc`), or write the image
(`render`). Prints one JSON line last.

    python tests/blender_approved_render.py qc URI --project lk --asset prop/spot/qc
    python tests/blender_approved_render.py render URI [--select latest] --out again.exr
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def register_extension() -> None:
    """The extension from the checkout, as Blender would load it (a package named legos_blender
    whose register() adds the operators)."""
    sys.path.insert(0, str(REPO / "blender"))
    import legos_blender

    legos_blender.register()


def fresh_scene() -> None:
    """An empty factory scene, with no world (legos.import_version makes one for the dome)."""
    import bpy

    bpy.ops.wm.read_factory_settings(use_empty=True)


def call(operator, **kwargs) -> None:
    result = operator(**kwargs)
    if "FINISHED" not in result:
        raise SystemExit(f"{operator.idname_py()}({kwargs}) gave {sorted(result)}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["render", "qc"])
    parser.add_argument("uri", help="the package version to import")
    parser.add_argument("--select", default="", help="re-choose every member (e.g. latest)")
    parser.add_argument("--out", help="render: where the image goes")
    parser.add_argument("--project", help="qc: the render's project")
    parser.add_argument("--asset", help="qc: the render's asset")
    parser.add_argument("--online", action="store_true",
                        help="allow online access (a Neo4j store), as Preferences > System does")
    args = parser.parse_args(argv)

    import bpy

    register_extension()
    fresh_scene()
    if args.online:
        bpy.context.preferences.system.use_online_access = True
    started = time.perf_counter()
    call(bpy.ops.legos.import_version, uri=args.uri, select=args.select)
    imported = time.perf_counter() - started
    scene = bpy.context.scene
    result: dict = {"import_s": round(imported, 3),
                    "camera": scene.camera.name if scene.camera else None,
                    "settings": {"samples": scene.cycles.samples, "seed": scene.cycles.seed,
                                 "resolution": [scene.render.resolution_x,
                                                scene.render.resolution_y],
                                 "device": scene.cycles.device},
                    "denoiser": scene.cycles.use_denoising and scene.cycles.denoiser}
    started = time.perf_counter()
    if args.mode == "qc":
        call(bpy.ops.legos.render_publish, project=args.project, asset=args.asset,
             package_uri=args.uri, comment="QC render of the Spot look")
        result["render_s"] = round(time.perf_counter() - started, 3)
        result.update(approve(args.project, args.asset))
    else:
        from legos_blender.operators import render_image

        render_image(scene, args.out, file_format="OPEN_EXR")  # as render_publish renders
        result["render_s"] = round(time.perf_counter() - started, 3)
        result["image"] = args.out
    print(json.dumps(result))
    return 0


def approve(project: str, asset: str) -> dict:
    """Submit the QC version just published to dailies and approve it."""
    import legos

    with legos.open() as lg:
        version = lg.select(f"legos:/{project}/{asset}", "latest")
        revision = lg.submit(version.uri, note="QC of the Spot look", user="cleo")
        lg.review(revision.uid, "approved", note="the look is right", user="sup")
    return {"qc": str(version.uri), "revision": revision.uid}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
