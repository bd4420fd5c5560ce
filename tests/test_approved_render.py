"""Issue 10's acceptance: the approved QC image, rendered again from what legos remembers.

A lookdev setup from the real shared assets (examples/approved_render.py) is published as a
LookDevPackage version; one Blender process imports it, renders it with Cycles on the CPU and
publishes the render as the approved QC version; the texture and the light rig get newer
versions; a fresh Blender process imports the package version the approved QC render depends
on (asked of legos) and renders the same pixels, while the latest versions render other ones.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BLENDER_PYTHON = REPO / ".venv-blender" / "bin" / "python"
SCRIPT = Path(__file__).with_name("blender_approved_render.py")

pytestmark = [pytest.mark.slow, pytest.mark.assets]

if str(REPO / "examples") not in sys.path:  # the content module lives beside the demo
    sys.path.insert(0, str(REPO / "examples"))
import approved_render as content  # noqa: E402


@pytest.fixture
def blender_python() -> Path:
    if not BLENDER_PYTHON.is_file():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{BLENDER_PYTHON} is required in CI: run scripts/setup.sh --with-blender")
        pytest.skip(f"no {BLENDER_PYTHON}: run scripts/setup.sh --with-blender")
    return BLENDER_PYTHON


def in_blender(python: Path, *args: str) -> dict:
    """Run the Blender-side script in a fresh process; its last stdout line is JSON."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    done = subprocess.run([str(python), str(SCRIPT), *args], capture_output=True, text=True,
                          env=env, timeout=300, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, f"Blender script failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def scratch_assemble(lg, package_uri: str, out: Path) -> Path:
    """PROTOTYPE until legos.usd.assemble lands: one prim referencing each member's entry."""
    lines = ["#usda 1.0", '(\n    defaultPrim = "lookdev"\n    metersPerUnit = 1\n'
             '    upAxis = "Y"\n)', 'def Xform "lookdev"', "{"]
    for member in lg.contents(package_uri):
        if member.kind in ("TextureAsset", "MaterialAsset", "LookBindingAsset"):
            continue
        entry = lg.show(member.uri).entry_file.path
        lines.append(f'    def "{member.role}" ( prepend references = @{entry}@ ) {{}}')
    lines.append("}")
    out.write_text("\n".join(lines) + "\n")
    return out


def pixels(path: str | Path):
    """The image's pixels as a float array (headers differ between renders, so never bytes)."""
    import OpenImageIO as oiio

    image = oiio.ImageBuf(str(path))
    assert not image.has_error, image.geterror()
    return image.get_pixels(oiio.FLOAT)


def test_the_approved_image_renders_again_from_its_package_version(
        lg, store_location, shared_assets, tmp_path, blender_python):
    import numpy as np

    work = tmp_path / "work"
    setup = content.publish_lookdev(lg, shared_assets, work)
    members = {m.role: (m.kind, m.uri) for m in lg.contents(setup.package)}
    assert members == {"model": ("ModelAsset", setup.model),
                       "look": ("LookBindingAsset", setup.look),
                       "hide": ("MaterialAsset", setup.material),
                       "cow_texture": ("TextureAsset", setup.texture),
                       "lights": ("LightRigAsset", setup.lights),
                       "camera": ("CameraAsset", setup.camera),
                       "render": ("RenderSettingsAsset", setup.render)}

    # 2. one Blender process: import, render, publish as the QC version, approve
    stage = scratch_assemble(lg, setup.package, tmp_path / "qc_stage.usda")
    first = in_blender(blender_python, "qc", "--stage", str(stage),
                       "--out", str(tmp_path / "qc.exr"), "--store", store_location,
                       "--root", str(lg.root), "--package", setup.package,
                       "--project", content.PROJECT, "--asset", content.QC)

    # 3. newer texture and light rig: "latest" would give another picture
    newer = content.publish_updates(lg, setup, work)
    assert newer == {"texture": setup.texture.replace("version=1", "version=2"),
                     "lights": setup.lights.replace("version=1", "version=2")}

    # 4. what the approved QC render was made from, asked of legos, rendered again
    approved = lg.select(f"legos:/{content.PROJECT}/{content.QC}", "approved")
    assert str(approved.uri) == first["qc"]
    made_from = [row for row in lg.dependencies(approved.uri, depth=1)
                 if row.kind == "LookDevPackage"]
    assert [row.uri for row in made_from] == [setup.package]
    again_stage = scratch_assemble(lg, made_from[0].uri, tmp_path / "again_stage.usda")
    again = in_blender(blender_python, "render", "--stage", str(again_stage),
                       "--out", str(tmp_path / "again.exr"))

    published = pixels(approved.entry_file.path)
    rendered = pixels(again["image"])
    assert published.shape == (content.RESOLUTION[1], content.RESOLUTION[0], 4)
    assert np.array_equal(published, rendered), (
        f"max difference {np.abs(published - rendered).max()}")
