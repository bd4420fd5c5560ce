"""The Blender extension (blender/legos_blender) in the real bpy module: registered the way
Blender registers it (import the package, call register()), its operators run in a separate
Python with bpy (.venv-blender, made by `scripts/setup.sh --with-blender`), and what they
published is checked here, from the store, afterwards. Each Blender process is short: tiny
scenes, 32x32 renders with a few samples.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXTENSION = REPO / "blender"
sys.path.insert(0, str(EXTENSION))  # the extension's bpy-free module, for the plain tests
from legos_blender import core  # noqa: E402

pytestmark = pytest.mark.slow



PREAMBLE = f"""
import json, os, sys
sys.path.insert(0, {str(EXTENSION)!r})
import bpy
bpy.ops.wm.read_factory_settings(use_empty=True)
import legos_blender            # what Blender does with an enabled extension
legos_blender.register()
from legos_blender import core, operators
core.use_blender_usd(bpy.utils.system_resource("PYTHON"))

def done(**result):
    print("LEGOS-RESULT " + json.dumps(result), flush=True)
"""


def in_blender(python: Path, code: str, store: str, *, online: bool = False) -> dict:
    """Run `code` after PREAMBLE in a fresh bpy process on `store`; it reports with done()."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "LEGOS_ROOT")}
    env.update(LEGOS_STORE=store, LEGOS_USER="ana", PYTHONNOUSERSITE="1")
    script = PREAMBLE + ("bpy.context.preferences.system.use_online_access = True\n"
                         if online else "") + textwrap.dedent(code)
    done = subprocess.run([str(python), "-c", script], capture_output=True, text=True,
                          env=env, timeout=300, stdin=subprocess.DEVNULL)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("LEGOS-RESULT ")]
    assert done.returncode == 0 and lines, \
        f"Blender failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return json.loads(lines[-1].removeprefix("LEGOS-RESULT "))


# A scene: a cube with a material reading a colour map and a roughness map (PNG files),
# a camera and a sun; the cube is selected
SCENE = """
def image(name, colour, path):
    img = bpy.data.images.new(name, 8, 8)
    img.pixels = list(colour) * 64
    img.filepath_raw = path
    img.file_format = "PNG"
    img.save()
    return bpy.data.images.load(path)

def scene(folder):
    os.makedirs(folder, exist_ok=True)
    bpy.ops.mesh.primitive_cube_add(size=1.0)
    cube = bpy.context.active_object
    cube.name = "box"
    mat = bpy.data.materials.new("box_mtl")
    mat.use_nodes = True
    nodes, links = mat.node_tree.nodes, mat.node_tree.links
    bsdf = nodes["Principled BSDF"]
    albedo = nodes.new("ShaderNodeTexImage")
    albedo.image = image("albedo", (0.8, 0.2, 0.1, 1), os.path.join(folder, "box_albedo.png"))
    rough = nodes.new("ShaderNodeTexImage")
    rough.image = image("rough", (0.5, 0.5, 0.5, 1), os.path.join(folder, "box_roughness.png"))
    rough.image.colorspace_settings.name = "Non-Color"
    links.new(albedo.outputs["Color"], bsdf.inputs["Base Color"])
    links.new(rough.outputs["Color"], bsdf.inputs["Roughness"])
    cube.data.materials.append(mat)
    cam = bpy.data.objects.new("cam", bpy.data.cameras.new("cam"))
    cam.location = (3, -3, 2)
    cam.rotation_euler = (1.1, 0, 0.785)
    bpy.context.scene.collection.objects.link(cam)
    bpy.context.scene.camera = cam
    sun = bpy.data.objects.new("sun", bpy.data.lights.new("sun", "SUN"))
    bpy.context.scene.collection.objects.link(sun)
    bpy.ops.object.select_all(action="DESELECT")
    cube.select_set(True)
    bpy.context.view_layer.objects.active = cube
"""


def test_publish_operator_publishes_the_selection_with_textures_blend_and_thumbnail(
        blender_python, lg, store_location, tmp_path, backend):
    result = in_blender(blender_python, SCENE + f"""
from legos import hooks

class NoWip:  # a studio's validator: no model marked WIP is published
    @hooks.hookimpl
    def validate_publish(self, request):
        if request.kind == "ModelAsset" and "WIP" in request.comment:
            return [hooks.Finding("error", "a WIP model stays in the work file")]

hooks.register(NoWip(), "no-wip")
scene({str(tmp_path / "work")!r})
try:  # an operator reporting an error raises in a script (Blender's rule)
    bpy.ops.legos.publish(project="demo", asset="prop/box", kind="ModelAsset", comment="WIP")
    refused = "published"
except RuntimeError as exc:
    refused = str(exc)
refusal = [core.finding_line(f) for f in operators.LAST_FINDINGS]
outcome = bpy.ops.legos.publish(project="demo", asset="prop/box", kind="ModelAsset",
                                comment="from blender", selected_only=True)
done(refused=refused, refusal=refusal, outcome=sorted(outcome))
""", store_location, online=backend == "neo4j")
    assert "no-wip: a WIP model stays in the work file" in result["refused"], result
    assert result["refusal"] == ["error: no-wip: a WIP model stays in the work file"]
    assert result["outcome"] == ["FINISHED"], result
    assert [row.version for row in lg.history("demo/prop/box")] == [1]  # none refused

    version = lg.show("legos:/demo/prop/box?version=1")
    names = {r.name for r in version.representations}
    assert version.entry == "box.usda"
    assert {"box.usda", "source/box.blend"} <= names
    assert version.thumbnail is not None and Path(version.thumbnail.path).is_file()
    for rep in version.representations:  # files landed under the root
        assert Path(rep.path).is_file() and Path(rep.path).is_relative_to(lg.root)
    deps = {row.role: row for row in lg.dependencies(version.uri, depth=1)}
    assert {"base_color", "roughness"} <= set(deps), deps
    assert {deps[r].kind for r in ("base_color", "roughness")} == {"TextureAsset"}
    spaces = {}
    for role in ("base_color", "roughness"):
        texture = lg.show(deps[role].uri)
        spaces[role] = texture.entry_file.colorspace
    assert spaces["roughness"] == "Raw" and "sRGB" in spaces["base_color"], spaces

    # the published layer names the published texture files, and only those
    from pxr import Sdf, UsdUtils

    _, assets, unresolved = UsdUtils.ComputeAllDependencies(
        Sdf.AssetPath(version.entry_file.path))
    assert unresolved == []
    texture_files = {os.path.realpath(lg.show(deps[r].uri).entry_file.path)
                     for r in ("base_color", "roughness")}
    assert texture_files <= {os.path.realpath(a) for a in assets}


def _write_members(folder: Path) -> dict[str, Path]:
    """A camera, a light rig and render settings (32x32, 4 Cycles samples, seed 7) as USD
    layers, authored with usd-core, Z up like Blender's export."""
    from pxr import Gf, Sdf, Usd, UsdGeom, UsdLux, UsdRender

    folder.mkdir(parents=True, exist_ok=True)
    files = {}

    def new(name: str) -> Usd.Stage:
        stage = Usd.Stage.CreateNew(str(folder / name / f"{name}.usda"))
        UsdGeom.SetStageUpAxis(stage, UsdGeom.Tokens.z)
        UsdGeom.SetStageMetersPerUnit(stage, 1.0)
        files[name] = folder / name / f"{name}.usda"
        return stage

    stage = new("camera")
    camera = UsdGeom.Camera.Define(stage, "/camera")
    UsdGeom.XformCommonAPI(camera).SetTranslate(Gf.Vec3d(0, -5, 1))
    UsdGeom.XformCommonAPI(camera).SetRotate(Gf.Vec3f(80, 0, 0))
    stage.SetDefaultPrim(camera.GetPrim())
    stage.Save()
    stage = new("lights")
    rig = UsdGeom.Xform.Define(stage, "/lights")
    key = UsdLux.DistantLight.Define(stage, "/lights/key")
    key.CreateIntensityAttr(3.0)
    UsdGeom.XformCommonAPI(key).SetRotate(Gf.Vec3f(40, 0, 30))
    stage.SetDefaultPrim(rig.GetPrim())
    stage.Save()
    stage = new("settings")
    settings = UsdRender.Settings.Define(stage, "/settings")
    settings.CreateResolutionAttr(Gf.Vec2i(32, 32))
    settings.GetPrim().CreateAttribute("cycles:samples", Sdf.ValueTypeNames.Int).Set(4)
    settings.GetPrim().CreateAttribute("cycles:seed", Sdf.ValueTypeNames.Int).Set(7)
    stage.SetDefaultPrim(settings.GetPrim())
    stage.Save()
    return files


IMPORT_RENDER = """
package = {package!r}
outcome = bpy.ops.legos.import_version(uri=package)
scene = bpy.context.scene
objects = {{o.name: {{"uri": o.get("legos_uri"), "prim": o.get("legos_prim"), "type": o.type}}
            for o in scene.objects}}
box = next(o for o in scene.objects if o.type == "MESH")
bpy.ops.legos.refresh_status(uri=box["legos_uri"])
status = operators.STATUS[box["legos_uri"]]
rendered = bpy.ops.legos.render_publish(project="demo", asset="prop/box/qc", comment="qc")
done(outcome=sorted(outcome), rendered=sorted(rendered), objects=objects,
     camera=scene.camera and scene.camera.get("legos_uri"),
     resolution=[scene.render.resolution_x, scene.render.resolution_y],
     engine=scene.render.engine, device=scene.cycles.device, samples=scene.cycles.samples,
     seed=scene.cycles.seed, package=scene.get("legos_package_uri"),
     settings=scene.get("legos_render_settings_uri"),
     status=dict(version=status.version, status=status.status,
                 newer=status.newer_approved, newest=status.newest_approved),
     panels=[hasattr(bpy.types, n) for n in ("LEGOS_PT_lineage", "LEGOS_PT_publish")])
"""


def test_import_render_publish_and_lineage_in_blender(blender_python, lg, store_location,
                                                       tmp_path, backend):
    online = backend == "neo4j"  # a Neo4j store is the network: Blender must allow it
    published = in_blender(blender_python, SCENE + f"""
scene({str(tmp_path / "work")!r})
done(outcome=sorted(bpy.ops.legos.publish(project="demo", asset="prop/box", kind="ModelAsset",
                                          selected_only=True)))
""", store_location, online=online)
    assert published["outcome"] == ["FINISHED"]
    model = "legos:/demo/prop/box?version=1"
    files = _write_members(tmp_path / "members")
    camera = lg.publish("demo", "prop/box/camera", kind="CameraAsset",
                        files=[files["camera"]]).uri
    lights = lg.publish("demo", "prop/box/lights", kind="LightRigAsset",
                        files=[files["lights"]]).uri
    settings = lg.publish("demo", "prop/box/settings", kind="RenderSettingsAsset",
                          files=[files["settings"]]).uri
    package = lg.publish("demo", "prop/box/lookdev", kind="LookDevPackage",
                         members=[model, camera, lights, settings]).uri
    # a newer approved model: the lineage panel must say so for the imported v1
    lg.publish("demo", "prop/box", kind="ModelAsset",
               files=[lg.show(model).entry_file.path], comment="v2")
    lg.set_status("legos:/demo/prop/box?version=2", "approved")

    result = in_blender(blender_python, IMPORT_RENDER.format(package=package),
                        store_location, online=online)
    assert result["outcome"] == ["FINISHED"] and result["rendered"] == ["FINISHED"], result
    assert result["panels"] == [True, True]
    uris = {o["uri"] for o in result["objects"].values()}
    assert {model, camera, lights} <= uris, result["objects"]
    meshes = [o for o in result["objects"].values() if o["type"] == "MESH"]
    assert meshes and {o["uri"] for o in meshes} == {model}
    assert all(o["uri"] for o in result["objects"].values())  # every object knows its version
    assert result["camera"] == camera
    assert result["resolution"] == [32, 32]
    assert (result["engine"], result["device"], result["samples"], result["seed"]) == \
        ("CYCLES", "CPU", 4, 7)
    assert result["package"] == package and result["settings"] == settings
    assert result["status"] == {"version": 1, "status": "published", "newer": True,
                                "newest": 2}

    qc = lg.show("legos:/demo/prop/box/qc?version=1")
    assert qc.kind == "RenderAsset" and qc.entry_file.name == "qc.exr"
    assert Path(qc.entry_file.path).is_relative_to(lg.root) and qc.thumbnail is not None
    deps = {row.role: row.uri for row in lg.dependencies(qc.uri, depth=1)}
    assert deps == {"package": package, "render_settings": settings}
    assert qc.provenance["samples"] == 4 and qc.provenance["seed"] == 7


# -- the plain parts, without Blender (usd-core stands in for Blender's USD) -------------------
def test_a_bolt_store_needs_blenders_online_access():
    from legos.errors import ConfigError

    with pytest.raises(ConfigError, match="Allow Online Access"):
        core.Settings(store="bolt://127.0.0.1:1").open()


def test_tag_layer_names_each_prims_version_and_render_settings_are_read(tmp_path):
    from types import SimpleNamespace

    from pxr import Gf, Sdf, Usd, UsdGeom, UsdRender

    stage = Usd.Stage.CreateNew(str(tmp_path / "assembled.usda"))
    UsdGeom.SetStageUpAxis(stage, UsdGeom.Tokens.z)
    UsdGeom.Xform.Define(stage, "/lookdev")
    UsdGeom.Mesh.Define(stage, "/lookdev/model/geo/box")
    UsdGeom.Camera.Define(stage, "/lookdev/camera")
    settings = UsdRender.Settings.Define(stage, "/Render/settings")
    settings.CreateResolutionAttr(Gf.Vec2i(48, 24))
    settings.CreateCameraRel().SetTargets(["/lookdev/camera"])
    settings.GetPrim().CreateAttribute("cycles:samples", Sdf.ValueTypeNames.Int).Set(3)
    settings.GetPrim().CreateAttribute("cycles:seed", Sdf.ValueTypeNames.Int).Set(11)
    stage.SetMetadata("renderSettingsPrimPath", "/Render/settings")
    stage.Save()

    def member(path: str, uri: str, kind: str) -> SimpleNamespace:
        return SimpleNamespace(prim_path=path, uri=uri, kind=kind)

    members = [member("/lookdev", "legos:/d/lookdev?version=2", "LookDevPackage"),
               member("/lookdev/model", "legos:/d/model?version=5", "ModelAsset"),
               member("/lookdev/camera", "legos:/d/cam?version=1", "CameraAsset"),
               member("/Render/settings", "legos:/d/rs?version=4", "RenderSettingsAsset"),
               member("", "legos:/d/layer?version=1", "FileAsset")]  # a sublayer: no prim
    out = core.tag_layer(tmp_path / "assembled.usda", tmp_path / "import.usda", members,
                         "legos:/d/lookdev?version=2")
    tagged = Usd.Stage.Open(out)
    uri = {str(p.GetPath()): p.GetAttribute("userProperties:legos_uri").Get()
           for p in tagged.Traverse() if p.HasAttribute("userProperties:legos_uri")}
    assert uri["/lookdev"] == "legos:/d/lookdev?version=2"
    assert uri["/lookdev/model/geo/box"] == "legos:/d/model?version=5"  # the innermost member
    assert uri["/lookdev/camera"] == "legos:/d/cam?version=1"
    assert tagged.GetPrimAtPath("/lookdev/model/geo/box").GetAttribute(
        "userProperties:legos_prim").Get() == "/lookdev/model/geo/box"
    assert UsdGeom.GetStageUpAxis(tagged) == UsdGeom.Tokens.z  # the root layer's metadata
    assert Usd.Stage.Open(str(tmp_path / "assembled.usda")).GetPrimAtPath(
        "/lookdev").GetAttribute("userProperties:legos_uri").IsValid() is False  # untouched

    found = core.render_settings(tagged)
    assert found == core.RenderSettings("/Render/settings", (48, 24), "/lookdev/camera", 3, 11)
    assert core.render_settings_uri(members, found) == "legos:/d/rs?version=4"


def test_uri_status_says_a_newer_approved_version_and_stale_inputs(lg, make_file):
    from legos.uri_status import uri_status

    for n in (1, 2):
        lg.publish("demo", "prop/box", kind="ModelAsset", files=[make_file("box.usda", f"{n}")])
    package = lg.publish("demo", "prop/box/lookdev", kind="LookDevPackage",
                         members=["legos:/demo/prop/box?version=1"]).uri
    old = uri_status(lg, "legos:/demo/prop/box?version=1")
    assert (old.version, old.status, old.newer_approved, old.newest_approved) == \
        (1, "published", False, None)
    lg.set_status("legos:/demo/prop/box?version=2", "approved")
    old = uri_status(lg, "legos:/demo/prop/box?version=1")
    assert old.newer_approved and old.newest_approved_uri == "legos:/demo/prop/box?version=2"
    assert not uri_status(lg, "legos:/demo/prop/box?version=2").newer_approved
    stale = uri_status(lg, package).stale_inputs
    assert [(row.asset, row.version, row.newer_version) for row in stale] == [("prop/box", 1, 2)]


def test_build_writes_the_manifests_wheels_and_platforms(tmp_path):
    import tomllib

    import build_extension  # blender/ is on sys.path (above)

    manifest = tmp_path / "blender_manifest.toml"
    shutil.copyfile(EXTENSION / "legos_blender" / "blender_manifest.toml", manifest)
    build_extension.write_manifest(manifest, ["legos-0.1.0-py3-none-any.whl",
                                              "click-8.1-py3-none-any.whl"], ["linux-x64"])
    written = tomllib.loads(manifest.read_text())
    assert written["wheels"] == ["./wheels/click-8.1-py3-none-any.whl",
                                 "./wheels/legos-0.1.0-py3-none-any.whl"]
    assert written["platforms"] == ["linux-x64"]
    assert (written["id"], written["type"], written["schema_version"]) == \
        ("legos", "add-on", "1.0.0")
    assert written["blender_version_min"] == "4.2.0" and "files" in written["permissions"]
    assert {"legos", "pydantic>=2.7"} & set(build_extension.dependencies()) == {"pydantic>=2.7"}
