"""A package version as a USD stage (legos.usd.assemble, `legos usd assemble`): members at their
exact versions, looks on models, render settings aimed at the package's camera, versions
re-chosen by pins or a selector (texture paths retargeted), nested packages, shots.

Each composed result is checked by opening the saved stage in a fresh Usd.Stage.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

pxr = pytest.importorskip("pxr")
from pxr import Sdf, Usd, UsdGeom, UsdLux, UsdRender, UsdShade, UsdUtils  # noqa: E402

from legos.errors import AssetNotFoundError, VersionNotFoundError  # noqa: E402
from legos.layout import version_folder  # noqa: E402
from legos.pins.files import MissingFileError  # noqa: E402
from legos.pins.resolver import NotPinnedError  # noqa: E402
from legos.usd import Assembly, assemble, assemble_into  # noqa: E402
from legos.usd.errors import NoEntryFileError  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "examples") not in sys.path:  # the demo's USD conventions live beside it
    sys.path.insert(0, str(REPO / "examples"))
from lookdev_content import (  # noqa: E402
    CAMERA,
    FOREST_RIG,
    Image,
    camera_usda,
    hdr_bytes,
    light_rig_usda,
    look_usda,
    material_usda,
    png_bytes,
    render_settings_usda,
)

P = "demo"
MODEL_USDA = """#usda 1.0
(
    defaultPrim = "skaarj"
    upAxis = "Y"
)

def Xform "skaarj" (
    kind = "component"
)
{
    def Cube "body"
    {
        double size = %s
    }
}
"""


# -- publishing a small lookdev setup ------------------------------------------------------

@dataclass
class Setup:
    model: str
    texture: str
    material: str
    look: str
    hdr: str
    rig: str
    camera: str
    render: str
    package: str


def _write(folder: Path, name: str, data: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def _next_folder(lg, asset: str, kind: str) -> Path:
    try:
        number = len(lg.history(f"{P}/{asset}")) + 1
    except AssetNotFoundError:
        number = 1
    return version_folder(lg.template, lg.root, P, asset, kind, number)


def _rel(lg, asset: str, kind: str, target: str) -> str:
    """`target` relative to the folder the next version of `asset` publishes to."""
    return Path(os.path.relpath(target, _next_folder(lg, asset, kind))).as_posix()


def publish_texture(lg, work: Path, shade: float, take: int) -> str:
    image = Image(2, 2, 3, [(shade, shade, shade)] * 4)
    png = _write(work / f"tex{take}", "albedo.png", png_bytes(image, f"take {take}"))
    return str(lg.publish(P, "chr/cube/tex/albedo", kind="TextureAsset", files=[png]).uri)


def publish_hdr(lg, work: Path, take: int) -> str:
    image = Image(4, 2, 3, [(0.2 * take, 0.3, 0.4)] * 8)
    hdr = _write(work / f"hdr{take}", "forest.hdr", hdr_bytes(image))
    return str(lg.publish(P, "env/forest", kind="HdrAsset", files=[hdr]).uri)


def publish_rig(lg, work: Path, hdr: str, take: int) -> str:
    rel = _rel(lg, "lgt/forest", "LightRigAsset", lg.show(hdr).entry_file.path)
    layer = _write(work / f"rig{take}", "forest.usda", light_rig_usda("forest", FOREST_RIG, rel, hdr))
    return str(lg.publish(P, "lgt/forest", kind="LightRigAsset", files=[layer],
                          dependencies=[hdr]).uri)


def publish_setup(lg, work: Path) -> Setup:
    texture = publish_texture(lg, work, 0.5, 1)
    model = str(lg.publish(P, "chr/cube/model", kind="ModelAsset",
                           files=[_write(work / "model", "cube.usda", MODEL_USDA % 1)]).uri)
    rel = _rel(lg, "chr/cube/mtl/skin", "MaterialAsset", lg.show(texture).entry_file.path)
    skin = _write(work / "mtl", "skin.usda", material_usda("skin", {"albedo": (rel, texture)}, {}))
    material = str(lg.publish(P, "chr/cube/mtl/skin", kind="MaterialAsset", files=[skin],
                              dependencies=[texture]).uri)
    rel = _rel(lg, "chr/cube/look", "LookBindingAsset", lg.show(material).entry_file.path)
    look_layer = _write(work / "look", "look.usda",
                        look_usda({"skin": (rel, material)}, {"body": "skin"}, model))
    look = str(lg.publish(P, "chr/cube/look", kind="LookBindingAsset", files=[look_layer],
                          dependencies=[model, material]).uri)
    hdr = publish_hdr(lg, work, 1)
    rig = publish_rig(lg, work, hdr, 1)
    camera = str(lg.publish(P, "cam/turntable", kind="CameraAsset",
                            files=[_write(work / "cam", "turntable.usda", camera_usda(CAMERA))]).uri)
    render = str(lg.publish(P, "rs/qc", kind="RenderSettingsAsset",
                            files=[_write(work / "rs", "qc.usda", render_settings_usda())]).uri)
    package = str(lg.publish(P, "chr/cube/lookdev", kind="LookDevPackage", members=[
        model, look, material, ("lights", rig), ("camera", camera),
        ("render_settings", render)]).uri)
    return Setup(model, texture, material, look, hdr, rig, camera, render, package)


@pytest.fixture
def setup(lg, tmp_path) -> Setup:
    return publish_setup(lg, tmp_path / "work")


def reopen(assembly: Assembly, folder: Path, name: str = "stage.usda") -> Usd.Stage:
    """Save the assembly and open the file in a fresh stage from another folder."""
    folder.mkdir(parents=True, exist_ok=True)
    path = assembly.save(folder / name)
    elsewhere = folder / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    cwd = os.getcwd()
    os.chdir(elsewhere)
    try:
        stage = Usd.Stage.Open(str(path))
    finally:
        os.chdir(cwd)
    assert stage is not None
    return stage


def unresolved(path: Path) -> list[str]:
    _, _, missing = UsdUtils.ComputeAllDependencies(str(path))
    return list(missing)


def legos_uri(prim) -> str:
    return prim.GetAssetInfo()["legos"]["uri"]


def file_of(stage, attribute: str) -> str:
    value = stage.GetAttributeAtPath(attribute).Get()
    return os.path.normpath(value.resolvedPath)


SHADER_FILE = "/lookdev/model/Looks/skin/albedo.inputs:file"
DOME_FILE = "/lookdev/lights/sky.inputs:texture:file"


# -- a package version as a stage -----------------------------------------------------------

def test_assemble_references_each_member_at_its_exact_version(lg, setup, tmp_path):
    assembly = assemble(lg, setup.package)
    stage = reopen(assembly, tmp_path / "out")
    path = tmp_path / "out" / "stage.usda"

    assert unresolved(path) == []
    assert stage.GetCompositionErrors() == []
    root = Sdf.Layer.FindOrOpen(str(path))
    deps = root.GetCompositionAssetDependencies()
    assert deps and all(os.path.isabs(d) for d in deps)
    assert stage.GetDefaultPrim().GetPath() == Sdf.Path("/lookdev")

    expected = {"/lookdev": setup.package, "/lookdev/model": setup.model,
                "/lookdev/skin": setup.material, "/lookdev/look": setup.look,
                "/lookdev/lights": setup.rig, "/lookdev/camera": setup.camera,
                "/Render/render_settings": setup.render}
    assert {p: legos_uri(stage.GetPrimAtPath(p)) for p in expected} == expected
    info = stage.GetPrimAtPath("/lookdev/model").GetAssetInfo()["legos"]
    assert (info["asset"], info["version"], info["kind"]) == (f"{P}/chr/cube/model", 1,
                                                              "ModelAsset")
    assert {m.prim_path: m.uri for m in assembly.members} == expected
    member = assembly.member(f"{P}/chr/cube/model")
    assert member.entry_path == lg.resolve(setup.model).path
    assert member.slot == "model" and member.kind == "ModelAsset"

    # the model's geometry, the lights, the camera: everything needed to render
    assert stage.GetPrimAtPath("/lookdev/model/body").IsA(UsdGeom.Cube)
    assert stage.GetPrimAtPath("/lookdev/lights/sun").IsA(UsdLux.DistantLight)
    assert stage.GetPrimAtPath("/lookdev/camera/cam").IsA(UsdGeom.Camera)
    assert (stage.GetStartTimeCode(), stage.GetEndTimeCode()) == (1, CAMERA.frames)


def test_render_settings_sit_under_render_aimed_at_the_package_camera(lg, setup, tmp_path):
    stage = reopen(assemble(lg, setup.package), tmp_path / "out")

    settings_path = stage.GetMetadata("renderSettingsPrimPath")
    assert settings_path == "/Render/render_settings/qc"
    settings = UsdRender.Settings(stage.GetPrimAtPath(settings_path))
    assert settings
    assert settings.GetCameraRel().GetForwardedTargets() == [Sdf.Path("/lookdev/camera/cam")]
    assert settings.GetProductsRel().GetForwardedTargets() == [
        Sdf.Path("/Render/render_settings/qc/beauty")]
    assert tuple(settings.GetResolutionAttr().Get()) == (1920, 1080)


def test_look_binds_the_model_it_was_made_from(lg, setup, tmp_path):
    stage = reopen(assemble(lg, setup.package), tmp_path / "out")

    body = stage.GetPrimAtPath("/lookdev/model/body")
    material, _ = UsdShade.MaterialBindingAPI(body).ComputeBoundMaterial()
    assert material.GetPath() == Sdf.Path("/lookdev/model/Looks/skin")
    assert file_of(stage, SHADER_FILE) == lg.resolve(setup.texture).path
    look = stage.GetPrimAtPath("/lookdev/look")
    assert look.GetRelationship("legos:appliedTo").GetTargets() == [Sdf.Path("/lookdev/model")]


def test_select_latest_retargets_textures_and_takes_newer_members(lg, setup, tmp_path):
    work = tmp_path / "work"
    material_file = lg.resolve(setup.material).path
    before = hashlib.sha256(Path(material_file).read_bytes()).hexdigest()
    texture2 = publish_texture(lg, work, 0.9, 2)
    hdr2 = publish_hdr(lg, work, 2)
    rig2 = str(lg.publish(P, "lgt/forest", kind="LightRigAsset", comment="same rig, again",
                          files=[lg.resolve(setup.rig).path], dependencies=[setup.hdr]).uri)

    exact = reopen(assemble(lg, setup.package), tmp_path / "exact")
    assert file_of(exact, SHADER_FILE) == lg.resolve(setup.texture).path
    assert file_of(exact, DOME_FILE) == lg.resolve(setup.hdr).path

    latest = assemble(lg, setup.package, select="latest")
    stage = reopen(latest, tmp_path / "latest")
    assert file_of(stage, SHADER_FILE) == lg.resolve(texture2).path
    assert file_of(stage, DOME_FILE) == lg.resolve(hdr2).path   # the rig v2 still names hdr v1
    assert legos_uri(stage.GetPrimAtPath("/lookdev/lights")) == rig2
    assert latest.member(f"{P}/lgt/forest").recorded == setup.rig
    moved = {(r.asset, r.from_uri, r.to_uri) for r in latest.retargeted}
    assert (f"{P}/chr/cube/tex/albedo", setup.texture, texture2) in moved
    assert (f"{P}/env/forest", setup.hdr, hdr2) in moved
    assert unresolved(tmp_path / "latest" / "stage.usda") == []
    # the published material still names texture v1: the stage's own layer overrides it
    assert hashlib.sha256(Path(material_file).read_bytes()).hexdigest() == before
    assert "/albedo/v001/albedo.png" in Path(material_file).read_text()


def test_select_retargets_a_udim_set_as_a_set(lg, tmp_path):
    def publish_tiles(take: int) -> str:
        image = Image(2, 2, 3, [(0.1 * take, 0.2, 0.3)] * 4)
        tiles = [_write(tmp_path / f"udim{take}", f"scales.{tile}.png", png_bytes(image))
                 for tile in (1001, 1002)]
        return str(lg.publish(P, "chr/cube/tex/scales", kind="TextureAsset", files=tiles).uri)

    first = publish_tiles(1)
    pattern = lg.resolve(first).path
    assert pattern.endswith("scales.<UDIM>.png")
    rel = _rel(lg, "chr/cube/mtl/scales", "MaterialAsset", pattern)
    layer = _write(tmp_path / "mtl", "scales.usda",
                   material_usda("scales", {"albedo": (rel, first)}, {}))
    material = str(lg.publish(P, "chr/cube/mtl/scales", kind="MaterialAsset", files=[layer],
                              dependencies=[first]).uri)
    package = str(lg.publish(P, "chr/cube/scales", kind="AssetPackage",
                             members=[material, ("tiles", first)]).uri)
    second = publish_tiles(2)

    stage = reopen(assemble(lg, package, select="latest"), tmp_path / "out")
    value = stage.GetAttributeAtPath("/scales/scales/albedo.inputs:file").Get()
    assert os.path.normpath(value.path) == lg.resolve(second).path
    tiles = stage.GetAttributeAtPath("/scales/tiles.legos:file").Get()
    assert os.path.normpath(tiles.path) == lg.resolve(second).path
    _, assets, missing = UsdUtils.ComputeAllDependencies(str(tmp_path / "out" / "stage.usda"))
    assert missing == []
    assert {os.path.basename(a) for a in assets if "/v002/" in a} == {"scales.1001.png",
                                                                      "scales.1002.png"}


def test_pins_compose_the_pinned_versions(lg, setup, tmp_path):
    texture2 = publish_texture(lg, tmp_path / "work", 0.9, 2)
    manifest = tmp_path / "latest.json"
    lg.pin(setup.package, output=manifest, select="latest")

    assembly = assemble(lg, legos_asset(setup.package), pins=manifest)
    stage = reopen(assembly, tmp_path / "out")
    assert file_of(stage, SHADER_FILE) == lg.resolve(texture2).path
    assert legos_uri(stage.GetPrimAtPath("/lookdev")) == setup.package

    exact = tmp_path / "exact.json"
    lg.pin(setup.package, output=exact)
    stage = reopen(assemble(lg, setup.package, pins=exact), tmp_path / "exact")
    assert file_of(stage, SHADER_FILE) == lg.resolve(setup.texture).path


def legos_asset(uri: str) -> str:
    return uri.split("?", 1)[0]


def test_assemble_into_an_existing_stage_under_a_parent(lg, setup):
    stage = Usd.Stage.CreateInMemory()
    stage.DefinePrim("/world", "Xform")
    stage.SetDefaultPrim(stage.GetPrimAtPath("/world"))
    assembly = assemble_into(stage, lg, setup.package, parent="/world")

    assert assembly.stage is stage and assembly.prim_path == "/world/lookdev"
    assert legos_uri(stage.GetPrimAtPath("/world/lookdev/model")) == setup.model
    assert stage.GetPrimAtPath("/Render/render_settings/qc").IsA(UsdRender.Settings)
    settings = UsdRender.Settings(stage.GetPrimAtPath("/Render/render_settings/qc"))
    assert settings.GetCameraRel().GetTargets() == [Sdf.Path("/world/lookdev/camera/cam")]
    assert stage.GetDefaultPrim().GetPath() == Sdf.Path("/world")   # left as it was
    recorded = stage.GetRootLayer().customLayerData["legos_assembly"]["/world/lookdev"]
    assert recorded["uri"] == setup.package


def test_assemble_into_a_stage_editing_a_sublayer_like_a_lop(lg, setup):
    # a Houdini LOP edits its active layer, not the root: USD refuses stage metadata there
    stage = Usd.Stage.CreateInMemory()
    active = Sdf.Layer.CreateAnonymous("active.usda")
    stage.GetRootLayer().subLayerPaths.append(active.identifier)
    stage.SetEditTarget(Usd.EditTarget(active))
    assemble_into(stage, lg, setup.package)

    assert active.GetPrimAtPath("/lookdev/model")
    assert not stage.GetRootLayer().GetPrimAtPath("/lookdev")
    assert legos_uri(stage.GetPrimAtPath("/lookdev/model")) == setup.model
    assert active.pseudoRoot.GetInfo("renderSettingsPrimPath") == "/Render/render_settings/qc"


def test_nested_packages_nest(lg, setup, tmp_path):
    prop = str(lg.publish(P, "prp/crate", kind="ModelAsset", files=[
        _write(tmp_path / "crate", "crate.usda", MODEL_USDA % 2)]).uri)
    character = str(lg.publish(P, "chr/cube/character", kind="CharacterPackage",
                               members=[("lookdev", setup.package), ("crate", prop)]).uri)
    assembly = assemble(lg, character)
    stage = reopen(assembly, tmp_path / "out")

    assert legos_uri(stage.GetPrimAtPath("/character")) == character
    assert legos_uri(stage.GetPrimAtPath("/character/lookdev")) == setup.package
    assert legos_uri(stage.GetPrimAtPath("/character/lookdev/model")) == setup.model
    assert stage.GetPrimAtPath("/character/crate/body").GetAttribute("size").Get() == 2
    settings = UsdRender.Settings(stage.GetPrimAtPath("/Render/render_settings/qc"))
    assert settings.GetCameraRel().GetTargets() == [Sdf.Path("/character/lookdev/camera/cam")]
    body = stage.GetPrimAtPath("/character/lookdev/model/body")
    material, _ = UsdShade.MaterialBindingAPI(body).ComputeBoundMaterial()
    assert material.GetPath() == Sdf.Path("/character/lookdev/model/Looks/skin")
    by_prim = {m.prim_path: m for m in assembly.members}
    assert by_prim["/character/lookdev/model"].package == setup.package
    assert unresolved(tmp_path / "out" / "stage.usda") == []


def test_one_asset_version_and_non_layer_members(lg, setup, tmp_path):
    stage = reopen(assemble(lg, setup.model), tmp_path / "model")
    assert legos_uri(stage.GetPrimAtPath("/model")) == setup.model
    assert stage.GetPrimAtPath("/model/body").IsA(UsdGeom.Cube)

    layer = _write(tmp_path / "usdz", "crate.usda", MODEL_USDA % 3)
    UsdUtils.CreateNewUsdzPackage(str(layer), str(tmp_path / "usdz" / "crate.usdz"))
    crate = str(lg.publish(P, "prp/crate", kind="ModelAsset",
                           files=[tmp_path / "usdz" / "crate.usdz"]).uri)
    stage = reopen(assemble(lg, crate), tmp_path / "usdz_out")
    assert stage.GetPrimAtPath("/crate/body").GetAttribute("size").Get() == 3

    package = str(lg.publish(P, "chr/cube/textures", kind="AssetPackage",
                             members=[setup.texture, setup.hdr]).uri)
    stage = reopen(assemble(lg, package), tmp_path / "files")
    texture = stage.GetPrimAtPath("/textures/albedo")
    assert texture.GetTypeName() == "Scope" and legos_uri(texture) == setup.texture
    assert os.path.normpath(texture.GetAttribute("legos:file").Get().resolvedPath) == \
        lg.resolve(setup.texture).path


@pytest.mark.assets
def test_real_usd_assets_compose_with_nothing_unresolved(lg, shared_assets, tmp_path):
    teapot = lg.publish(P, "prp/teapot", kind="ModelAsset", entry="Teapot.usd",
                        files=[shared_assets / "usdwg_teapot"])
    car_kit = shared_assets / "usdwg_usd_mini_car_kit" / "USD_Mini_Car_Kit"
    car = lg.publish(P, "veh/kit", kind="ModelAsset", files=[car_kit],
                     entry="assets/vehicles/sedan/asset/sedanFullAsset.usda")
    package = str(lg.publish(P, "set/props", kind="AssetPackage",
                             members=[("teapot", teapot.uri), ("sedan", car.uri)]).uri)
    stage = reopen(assemble(lg, package), tmp_path / "out")

    assert unresolved(tmp_path / "out" / "stage.usda") == []
    assert legos_uri(stage.GetPrimAtPath("/props/teapot")) == teapot.uri
    assert legos_uri(stage.GetPrimAtPath("/props/sedan")) == car.uri
    meshes = [p for p in Usd.PrimRange(stage.GetPrimAtPath("/props/teapot")) if p.IsA(UsdGeom.Mesh)]
    assert meshes
    assert any(p.IsA(UsdGeom.Mesh) for p in Usd.PrimRange(stage.GetPrimAtPath("/props/sedan")))


# -- shots ------------------------------------------------------------------------------------

ANIM_USDA = """#usda 1.0
(
    defaultPrim = "sh0040"
)

over "sh0040"
{
    def Xform "anim_cache"
    {
        double3 xformOp:translate.timeSamples = { 1001: (0, 0, 0), 1048: (0, 1, 0) }
        uniform token[] xformOpOrder = ["xformOp:translate"]
    }
}
"""


def publish_shot(lg, setup: Setup, work: Path) -> str:
    layout = str(lg.publish(P, "seq010/sh0040/layout", kind="AssetPackage",
                            members=[("set", setup.model), ("camera", setup.camera)]).uri)
    anim = str(lg.publish(P, "seq010/sh0040/anim", kind="FileAsset",
                          files=[_write(work / "anim", "anim.usda", ANIM_USDA)]).uri)
    lighting = str(lg.publish(P, "seq010/sh0040/lighting", kind="AssetPackage",
                              members=[("lights", setup.rig),
                                       ("render_settings", setup.render)]).uri)
    return str(lg.publish(P, "seq010/sh0040", kind="ShotPackage", members=[
        ("layout", layout), ("anim", anim), ("lighting", lighting)]).uri)


def test_shot_package_is_one_sublayer_per_department(lg, setup, tmp_path):
    projects = pytest.importorskip("legos.projects.store")
    from legos.projects.toml_file import read_text

    projects.load(lg.store, P, read_text(
        'schema = "legos.project"\nversion = 1\n[shots."seq010/sh0040"]\n'
        "frame_in = 1001\nframe_out = 1048\nfps = 25\n"), user="ana", create=True)
    shot = publish_shot(lg, setup, tmp_path / "work")
    assembly = assemble(lg, shot)
    out = tmp_path / "out"
    stage = reopen(assembly, out, "sh0040.usda")

    root = Sdf.Layer.FindOrOpen(str(out / "sh0040.usda"))
    anim_entry = lg.resolve(f"{P}/seq010/sh0040/anim").path
    assert list(root.subLayerPaths) == [str(out / "sh0040.lighting.usda"), anim_entry,
                                         str(out / "sh0040.layout.usda")]
    assert unresolved(out / "sh0040.usda") == []
    assert (stage.GetStartTimeCode(), stage.GetEndTimeCode()) == (1001, 1048)
    assert stage.GetTimeCodesPerSecond() == 25
    assert legos_uri(stage.GetPrimAtPath("/sh0040")) == shot
    assert legos_uri(stage.GetPrimAtPath("/sh0040/layout/set")) == setup.model
    assert stage.GetPrimAtPath("/sh0040/anim_cache").IsA(UsdGeom.Xform)
    assert stage.GetPrimAtPath("/sh0040/lighting/lights/sun").IsA(UsdLux.DistantLight)
    settings = UsdRender.Settings(stage.GetPrimAtPath(stage.GetMetadata("renderSettingsPrimPath")))
    assert settings.GetCameraRel().GetForwardedTargets() == [
        Sdf.Path("/sh0040/layout/camera/cam")]
    layout_layer = Sdf.Layer.FindOrOpen(str(out / "sh0040.layout.usda"))
    assert layout_layer.GetPrimAtPath("/sh0040/layout/set")
    assert {m.slot: m.how for m in assembly.members if m.package == shot} == {
        "layout": "package", "anim": "sublayer", "lighting": "package"}


# -- bad input: one clear error each, nothing written ---------------------------------------

def test_a_uri_that_does_not_exist_is_a_clear_error(lg, setup):
    with pytest.raises(VersionNotFoundError, match="version=9 does not exist"):
        assemble(lg, f"{legos_asset(setup.package)}?version=9")
    with pytest.raises(AssetNotFoundError):
        assemble(lg, f"legos:/{P}/chr/nobody")


def test_a_version_without_an_entry_file_is_a_clear_error(lg, setup, tmp_path):
    # a version from before entry files, whose files do not tell which one is the main one
    notes = lg.publish(P, "misc/notes", kind="FileAsset", entry="a.json", files=[
        _write(tmp_path / "notes", "a.json", "{}"), _write(tmp_path / "notes", "b.json", "[]")])
    lg.store.write(lambda tx: tx.query("migrations/v2_set_entries",
                                       rows=[{"uid": notes.uid, "entry": ""}]))
    package = str(lg.publish(P, "misc/pkg", kind="AssetPackage",
                             members=[setup.model, notes.uri]).uri)
    with pytest.raises(NoEntryFileError, match=r"misc/notes.*has no entry file"):
        assemble(lg, package)


def test_a_member_whose_entry_file_is_missing_is_a_clear_error(lg, setup):
    entry = Path(lg.resolve(setup.camera).path)
    entry.parent.chmod(0o755)
    entry.unlink()
    with pytest.raises(MissingFileError, match="cam/turntable"):
        assemble(lg, setup.package)


def test_a_manifest_without_the_package_is_a_clear_error(lg, setup, tmp_path):
    manifest = tmp_path / "model.json"
    lg.pin(setup.model, output=manifest)
    with pytest.raises(NotPinnedError, match="does not pin legos:/demo/chr/cube/lookdev"):
        assemble(lg, setup.package, pins=manifest)


# -- the command ------------------------------------------------------------------------------

def test_cli_assemble_writes_the_stage_and_says_errors_in_one_line(run, tmp_path):
    import legos

    with legos.open(os.environ["LEGOS_STORE"]) as lg:
        setup = publish_setup(lg, tmp_path / "work")
        publish_texture(lg, tmp_path / "work", 0.9, 2)
    out = tmp_path / "stage.usda"
    result = run("usd", "assemble", setup.package, "-o", str(out))
    assert result.stdout.strip() == str(out)
    stage = Usd.Stage.Open(str(out))
    assert legos_uri(stage.GetPrimAtPath("/lookdev/model")) == setup.model
    assert unresolved(out) == []

    latest = tmp_path / "latest.usda"
    result = run("usd", "assemble", legos_asset(setup.package), "--select", "latest",
                 "-o", str(latest), "--json")
    document = json.loads(result.stdout)
    assert document["stage"] == str(latest)
    assert {r["to"] for r in document["retargeted"]} == {f"legos:/{P}/chr/cube/tex/albedo?version=2"}

    missing = tmp_path / "missing.usda"
    result = run("usd", "assemble", f"legos:/{P}/chr/nobody", "-o", str(missing), ok=False)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "legos: error:" in result.stderr
    assert not missing.exists()


def test_the_stage_says_the_units_and_up_axis_of_its_models(lg, tmp_path):
    """A reference never rescales: without metersPerUnit on the assembled stage an importer
    (Blender) takes USD's default centimetres and brings a metre-scale model in 100 times too
    small. The model's metrics win; a member that disagrees is warned about."""
    work = tmp_path / "work"
    metre_model = MODEL_USDA.replace('upAxis = "Y"', 'upAxis = "Z"\n    metersPerUnit = 1') % 1
    model = str(lg.publish(P, "chr/cube/model", kind="ModelAsset",
                           files=[_write(work / "model", "cube.usda", metre_model)]).uri)
    camera_layer = camera_usda(CAMERA).replace("metersPerUnit = 1", "metersPerUnit = 0.01")
    camera = str(lg.publish(P, "cam/turntable", kind="CameraAsset",
                            files=[_write(work / "cam", "turntable.usda", camera_layer)]).uri)
    package = str(lg.publish(P, "chr/cube/lookdev", kind="LookDevPackage",
                             members=[model, ("camera", camera)]).uri)

    assembly = assemble(lg, package)
    stage = reopen(assembly, tmp_path / "out")

    assert UsdGeom.GetStageMetersPerUnit(stage) == 1.0
    assert UsdGeom.GetStageUpAxis(stage) == UsdGeom.Tokens.z
    assert any("metersPerUnit" in w and camera in w for w in assembly.warnings)


def test_a_look_on_a_model_that_is_not_usd_says_which_model_and_the_fix(lg, tmp_path):
    work = tmp_path / "work"
    model = str(lg.publish(P, "chr/cube/model", kind="ModelAsset",
                           files=[_write(work / "model", "cube.obj", "v 0 0 0\n")]).uri)
    look_layer = '#usda 1.0\n(\n    defaultPrim = "skaarj"\n)\n\nover "skaarj"\n{\n}\n'
    look = str(lg.publish(P, "chr/cube/look", kind="LookBindingAsset",
                          files=[_write(work / "look", "look.usda", look_layer)],
                          dependencies=[model]).uri)
    package = str(lg.publish(P, "chr/cube/lookdev", kind="LookDevPackage",
                             members=[model, look]).uri)

    assembly = assemble(lg, package)

    assert any(model in w and "cube.obj" in w and "as USD" in w for w in assembly.warnings)
