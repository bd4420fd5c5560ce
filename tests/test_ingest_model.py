"""Model ingest on real files: OBJ (+MTL), glTF, GLB converted by Blender to a USD layer with
UsdPreviewSurface materials and a Cycles thumbnail, then published as a ModelAsset that depends
on its textures. Each shared asset is converted once per module (a conversion is a Blender
process of about a second); the store tests convert the small ones again on each backend."""

from __future__ import annotations

import json
import os
import shutil
import struct
from pathlib import Path

import pytest

from legos.errors import ConfigError, IngestError
from legos.ingest import blender as blender_mod
from legos.ingest.model import convert_model, ingest_model, rewrite_texture_paths, unresolved_paths

pytestmark = pytest.mark.assets

REPO = Path(__file__).resolve().parent.parent
ASSETS = Path(os.environ.get("LEGOS_SHARED_ASSETS", REPO.parent / "shared" / "assets"))
CI = os.environ.get("CI", "").lower() == "true"

SOURCES = {
    "cow": "keenan_spot_cow_obj/cow.obj",
    "box": "cesium_obj_box_complex_material/box-complex-material.obj",
    "stool": "polyhaven_painted_wooden_stool_gltf/painted_wooden_stool_1k.gltf",
    "glb": "cesium_glb_box_textured_external_png/box-textured-binary-separate.glb",
}
# the material input each texture feeds, as the converted layer's UsdPreviewSurface says
ROLES = {
    "cow": {"cow_texture.png": ("base_color",)},
    "box": {"diffuse.png": ("base_color",), "bump.png": ("normal",),
            "emission.jpg": ("emission",), "shininess.png": ("roughness",),
            "specular.jpeg": ("specular",)},
    "stool": {"painted_wooden_stool_diff_1k.jpg": ("base_color",),
              "painted_wooden_stool_nor_gl_1k.jpg": ("normal",),
              "painted_wooden_stool_arm_1k.jpg": ("metallic", "roughness")},
    "glb": {"cesium.png": ("base_color",)},
}


def _need(what: str, why: str) -> None:
    if CI:
        pytest.fail(f"{what} is required in CI: {why}")
    pytest.skip(why)


@pytest.fixture(scope="module")
def assets() -> Path:
    if not ASSETS.is_dir():
        _need("the shared assets", f"third-party assets not found at {ASSETS}")
    return ASSETS


@pytest.fixture(scope="module")
def blender_found() -> None:
    try:
        blender_mod.find_blender()
    except ConfigError as exc:
        _need("Blender (scripts/setup.sh --with-blender)", str(exc))


@pytest.fixture(scope="module")
def converted(assets, blender_found, tmp_path_factory):
    out = tmp_path_factory.mktemp("converted")
    return {name: convert_model(assets / rel, out / name) for name, rel in SOURCES.items()}


def _stage(layer):
    from pxr import Usd

    return Usd.Stage.Open(str(layer))


# -- the conversion -----------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(SOURCES))
def test_conversion_keeps_meshes_normals_uvs_and_states_units(converted, name):
    from pxr import Kind, Usd, UsdGeom

    conv = converted[name]
    assert conv.layer.is_file() and conv.layer.suffix == ".usda"
    stage = _stage(conv.layer)
    root = stage.GetRootLayer()
    assert root.pseudoRoot.GetInfo("metersPerUnit") == 1.0
    assert root.pseudoRoot.GetInfo("upAxis") == "Y"
    assert Usd.ModelAPI(stage.GetDefaultPrim()).GetKind() == Kind.Tokens.component
    meshes = [UsdGeom.Mesh(p) for p in stage.Traverse() if p.IsA(UsdGeom.Mesh)]
    assert meshes
    for mesh in meshes:
        assert len(mesh.GetPointsAttr().Get()) > 0
        normals = mesh.GetNormalsAttr().Get() or UsdGeom.PrimvarsAPI(mesh).GetPrimvar(
            "normals").Get()
        assert normals is not None and len(normals) > 0
        st = UsdGeom.PrimvarsAPI(mesh).GetPrimvar("st")
        assert st and len(st.Get()) > 0
    # the facts and decisions the version will record
    assert conv.converter["name"] == "blender" and conv.converter["version"]
    assert conv.units_axes["up_axis"] == "Y" and conv.units_axes["meters_per_unit"] == 1.0
    assert conv.units_axes["source_units"] and conv.units_axes["source_up_axis"]
    assert conv.facts["meshes"] == len(meshes) and conv.facts["polygons"] > 0
    json.dumps(conv.provenance())  # JSON-able as it is stored


@pytest.mark.parametrize("name", list(SOURCES))
def test_materials_are_preview_surfaces_using_the_textures_by_role(converted, name):
    from pxr import UsdShade

    conv = converted[name]
    stage = _stage(conv.layer)
    materials = [UsdShade.Material(p) for p in stage.Traverse() if p.IsA(UsdShade.Material)]
    assert materials
    for material in materials:
        surface = material.ComputeSurfaceSource()[0]
        assert surface.GetIdAttr().Get() == "UsdPreviewSurface"
    assert {t.path.name: t.roles for t in conv.textures} == ROLES[name]
    for texture in conv.textures:  # the sources themselves, untouched, until publish
        assert texture.path.is_file() and not texture.embedded
    assert unresolved_paths(conv.layer) == []


def test_obj_maps_blender_has_no_input_for_are_said(converted):
    """map_Ka (ambient.gif) has no UsdPreviewSurface input: said, not silently dropped."""
    warnings = converted["box"].warnings
    assert any("map_Ka" in w and "ambient.gif" in w for w in warnings), warnings
    assert "ambient.gif" not in {t.path.name for t in converted["box"].textures}


@pytest.mark.parametrize("name", list(SOURCES))
def test_thumbnail_is_a_render_of_the_model(converted, name):
    image_module = pytest.importorskip("PIL.Image")
    thumb = converted[name].thumbnail
    assert thumb.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with image_module.open(thumb) as image:
        assert image.size == (128, 128)
        pixels = list(image.convert("L").tobytes())
    background = pixels[0]  # a corner: the world colour
    model = sum(abs(p - background) > 12 for p in pixels)
    assert 0.05 * len(pixels) < model < 0.95 * len(pixels)  # in frame, neither blank nor full
    mean = sum(pixels) / len(pixels)
    assert sum((p - mean) ** 2 for p in pixels) / len(pixels) > 50  # not a flat image


# -- embedded images, KTX2 fallbacks, other Blenders -----------------------------------------------
def _glb(doc: dict, binary: bytes) -> bytes:
    text = json.dumps(doc).encode()
    text += b" " * (-len(text) % 4)
    binary += b"\0" * (-len(binary) % 4)
    body = (struct.pack("<II", len(text), 0x4E4F534A) + text
            + struct.pack("<II", len(binary), 0x004E4942) + binary)
    return b"glTF" + struct.pack("<II", 2, 12 + len(body)) + body


def _embedded_glb_with_ktx2(assets: Path, out: Path) -> Path:
    """The Cesium box with its PNG inside the GLB and a KTX2 variant of it (KHR_texture_basisu)
    whose fallback is that PNG."""
    data = (assets / SOURCES["glb"]).read_bytes()
    length, _ = struct.unpack_from("<II", data, 12)
    doc = json.loads(data[20:20 + length])
    binary = bytearray(data[20 + length + 8:])
    png = (assets / "cesium_glb_box_textured_external_png/cesium.png").read_bytes()
    binary += b"\0" * (-len(binary) % 4)
    doc["bufferViews"].append({"buffer": 0, "byteOffset": len(binary), "byteLength": len(png)})
    binary += png
    ktx2 = b"\xabKTX 20\xbb\r\n\x1a\n" + b"\0" * 64
    binary += b"\0" * (-len(binary) % 4)
    doc["bufferViews"].append({"buffer": 0, "byteOffset": len(binary), "byteLength": len(ktx2)})
    binary += ktx2
    doc["buffers"][0]["byteLength"] = len(binary)
    doc["images"] = [{"bufferView": len(doc["bufferViews"]) - 2, "mimeType": "image/png",
                      "name": "cesium_logo"},
                     {"bufferView": len(doc["bufferViews"]) - 1, "mimeType": "image/ktx2"}]
    doc["textures"][0]["source"] = 0
    doc["textures"][0]["extensions"] = {"KHR_texture_basisu": {"source": 1}}
    doc["extensionsUsed"] = [*doc.get("extensionsUsed", []), "KHR_texture_basisu"]
    path = out / "box-embedded.glb"
    path.write_bytes(_glb(doc, bytes(binary)))
    return path


def test_embedded_image_is_written_out_and_the_ktx2_fallback_is_said(assets, blender_found,
                                                                       tmp_path):
    source = _embedded_glb_with_ktx2(assets, tmp_path)
    conv = convert_model(source, tmp_path / "out")
    [texture] = conv.textures
    assert texture.embedded and texture.roles == ("base_color",)
    assert texture.source == f"{source.resolve()}#cesium_logo"
    assert texture.path.parent == conv.folder / "textures"
    assert texture.path.read_bytes() == (
        assets / "cesium_glb_box_textured_external_png/cesium.png").read_bytes()
    assert any("KTX2" in w and "fallback" in w for w in conv.warnings), conv.warnings
    # the extracted image is named relative to the layer: the folder can move
    moved = tmp_path / "elsewhere"
    shutil.move(conv.folder, moved)
    assert unresolved_paths(moved / conv.layer.name) == []


def test_a_blender_executable_is_run_with_its_own_command_line(assets, blender_found, tmp_path,
                                                               monkeypatch):
    """--blender EXE runs `EXE --background --factory-startup --python SCRIPT -- ARGS`: a stand-in
    that checks that command line and runs the script in the bpy environment."""
    python = blender_mod.find_blender().program
    fake = tmp_path / "blender"
    fake.write_text(
        "#!/bin/sh\n"
        '[ "$1 $2 $3" = "--background --factory-startup --python" ] || exit 9\n'
        '[ "$5" = "--" ] || exit 9\n'
        f'exec "{python}" "$4" "$@"\n')
    fake.chmod(0o755)
    monkeypatch.setenv("LEGOS_BLENDER_PYTHON", "/nonexistent/python")  # --blender comes first
    conv = convert_model(assets / SOURCES["glb"], tmp_path / "out", blender=fake)
    assert conv.converter["found_by"] == "--blender"
    assert [t.path.name for t in conv.textures] == ["cesium.png"]


def test_no_blender_is_a_config_error_that_says_how_to_point_at_one(monkeypatch, tmp_path):
    monkeypatch.delenv("LEGOS_BLENDER", raising=False)
    monkeypatch.delenv("LEGOS_BLENDER_PYTHON", raising=False)
    monkeypatch.setattr(blender_mod, "_default_environments", lambda: [tmp_path / "none"])
    with pytest.raises(ConfigError, match="--blender") as caught:
        blender_mod.find_blender()
    assert "LEGOS_BLENDER_PYTHON" in str(caught.value) and "--with-blender" in str(caught.value)
    monkeypatch.setenv("LEGOS_BLENDER_PYTHON", str(tmp_path / "python"))
    with pytest.raises(ConfigError, match="LEGOS_BLENDER_PYTHON"):
        blender_mod.find_blender()


# -- bad input --------------------------------------------------------------------------------
def _copy(assets: Path, name: str, tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    shutil.copytree(assets / Path(SOURCES[name]).parent, folder)
    return folder / Path(SOURCES[name]).name


def _refused(source: Path, out: Path, match: str) -> IngestError:
    with pytest.raises(IngestError, match=match) as caught:
        convert_model(source, out)
    message = str(caught.value)
    assert "\n" not in message and str(source.name) in message
    assert not out.exists()
    assert [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")] == []
    return caught.value


def test_unsupported_and_corrupt_files_are_refused(tmp_path):
    (tmp_path / "teapot.3ds").write_bytes(b"MM" + bytes(100))
    _refused(tmp_path / "teapot.3ds", tmp_path / "a", "unsupported model format .3ds")
    (tmp_path / "noise.glb").write_bytes(os.urandom(256))
    _refused(tmp_path / "noise.glb", tmp_path / "b", "not a GLB")
    (tmp_path / "empty.obj").write_bytes(b"")
    _refused(tmp_path / "empty.obj", tmp_path / "c", "empty")
    (tmp_path / "binary.obj").write_bytes(b"\x00\x01\x02" * 100)
    _refused(tmp_path / "binary.obj", tmp_path / "d", "not an OBJ")


def test_truncated_glb_is_refused(assets, tmp_path):
    data = (assets / SOURCES["glb"]).read_bytes()
    (tmp_path / "cut.glb").write_bytes(data[:len(data) // 2])
    _refused(tmp_path / "cut.glb", tmp_path / "out", "truncated or corrupt GLB")


def test_missing_texture_is_refused_before_blender_runs(assets, tmp_path, monkeypatch):
    monkeypatch.setattr(blender_mod, "find_blender", lambda *a: pytest.fail("Blender was run"))
    obj = _copy(assets, "box", tmp_path)
    (obj.parent / "diffuse.png").unlink()
    _refused(obj, tmp_path / "out", r"'diffuse.png' named by box-complex-material.mtl is missing")


def test_missing_gltf_image_is_refused(assets, tmp_path):
    gltf = _copy(assets, "stool", tmp_path)
    (gltf.parent / "textures/painted_wooden_stool_nor_gl_1k.jpg").unlink()
    _refused(gltf, tmp_path / "out", "painted_wooden_stool_nor_gl_1k.jpg.* is missing")


def test_map_leaving_the_model_folder_is_refused(assets, tmp_path):
    obj = _copy(assets, "box", tmp_path)
    (tmp_path / "secret.png").write_bytes(b"\x89PNG")
    mtl = obj.parent / "box-complex-material.mtl"
    mtl.write_text(mtl.read_text().replace("map_Kd diffuse.png", "map_Kd ../secret.png"))
    _refused(obj, tmp_path / "out", "outside the model's folder")


def test_mtl_maps_resolve_from_the_mtl_folder(assets, blender_found, tmp_path):
    """An .mtl in another folder than the .obj: its map_* paths are relative to the .mtl."""
    src = assets / "keenan_spot_cow_obj"
    (tmp_path / "model/materials").mkdir(parents=True)
    obj = (src / "cow.obj").read_text().replace("mtllib cow.mtl", "mtllib materials/cow.mtl")
    (tmp_path / "model/cow.obj").write_text(obj)
    shutil.copy(src / "cow.mtl", tmp_path / "model/materials/cow.mtl")
    shutil.copy(src / "cow_texture.png", tmp_path / "model/materials/cow_texture.png")
    conv = convert_model(tmp_path / "model/cow.obj", tmp_path / "out", thumbnail=False)
    assert [(t.path, t.roles) for t in conv.textures] == [
        ((tmp_path / "model/materials/cow_texture.png").resolve(), ("base_color",))]
    assert conv.thumbnail is None


def test_an_importer_failure_is_one_line_naming_the_file(blender_found, tmp_path):
    """A glTF that passes the file checks but that Blender's importer cannot read."""
    doc = {"asset": {"version": "2.0"}, "scenes": [{"nodes": [0]}], "nodes": [{"mesh": 0}],
           "meshes": [{"primitives": [{"attributes": {"POSITION": 7}}]}]}
    (tmp_path / "broken.gltf").write_text(json.dumps(doc))
    error = _refused(tmp_path / "broken.gltf", tmp_path / "out", "broken.gltf")
    assert "Traceback" not in str(error)


def test_an_output_folder_in_use_is_refused(assets, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out/keep.txt").write_text("mine")
    with pytest.raises(IngestError, match="not an empty folder"):
        convert_model(assets / SOURCES["glb"], tmp_path / "out")
    assert (tmp_path / "out/keep.txt").read_text() == "mine"


# -- texture paths ----------------------------------------------------------------------------
def test_rewrite_texture_paths_makes_them_relative_to_the_final_place(converted, tmp_path):
    conv = converted["stool"]
    work = tmp_path / "work"
    shutil.copytree(conv.folder, work)
    layer = work / conv.layer.name
    final = tmp_path / "root/prop/stool/v001" / layer.name
    targets, spaces = {}, {}
    for t in conv.textures:
        target = tmp_path / "root/tex" / t.path.stem / "v001" / f"{t.path.stem}.exr"
        target.parent.mkdir(parents=True)
        target.write_bytes(b"stand-in")
        targets[t.path] = target
        spaces[target] = "ACEScg" if "base_color" in t.roles else "Raw"
    assert rewrite_texture_paths(layer, targets, final_path=final, colorspaces=spaces) == 3
    final.parent.mkdir(parents=True)
    shutil.move(layer, final)
    shutil.move(tmp_path / "root", tmp_path / "moved")  # the whole root moves
    moved = tmp_path / "moved/prop/stool/v001" / layer.name
    assert unresolved_paths(moved) == []
    from pxr import Sdf, UsdShade

    stage = _stage(moved)
    files = {}
    for prim in stage.Traverse():
        shader = UsdShade.Shader(prim)
        if shader and shader.GetIdAttr().Get() == "UsdUVTexture":
            attr = shader.GetInput("file").GetAttr()
            value: Sdf.AssetPath = attr.Get()
            assert value.path.startswith("../../../tex/")
            files[Path(value.resolvedPath).name] = (
                attr.GetColorSpace(), shader.GetInput("sourceColorSpace").Get())
    assert files["painted_wooden_stool_diff_1k.exr"] == ("ACEScg", "raw")
    assert files["painted_wooden_stool_nor_gl_1k.exr"] == ("Raw", "raw")


# -- publishing -------------------------------------------------------------------------------
def test_ingested_model_depends_on_its_textures_and_survives_a_moved_root(lg, assets,
                                                                          blender_found,
                                                                          tmp_path, monkeypatch):
    pytest.importorskip("OpenImageIO")
    monkeypatch.setenv("LEGOS_TEXTURE_CACHE", str(tmp_path / "texture-cache"))
    record = ingest_model(lg, assets / SOURCES["box"], project="demo", asset="prop/box")
    assert record.status == "ok", record.error
    version = lg.show(record.uri)
    assert version.kind == "ModelAsset" and version.entry == "box.usda"
    assert version.thumbnail is not None and version.thumbnail.name == ".legos/thumbnail.png"
    assert version.provenance["converter"]["name"] == "blender"
    assert version.provenance["units_axes"]["up_axis"] == "Y"
    textures = {t.extra["asset"]: t for t in record.extra["textures"]}
    assert sorted(textures) == [f"prop/box/tex/{n}" for n in
                                ("bump", "diffuse", "emission", "shininess", "specular")]
    assert all(t.status == "ok" for t in textures.values())
    deps = {(row.asset, row.role) for row in lg.dependencies(record.uri)}
    assert deps == {("prop/box/tex/bump", "normal"), ("prop/box/tex/diffuse", "base_color"),
                    ("prop/box/tex/emission", "emission"),
                    ("prop/box/tex/shininess", "roughness"),
                    ("prop/box/tex/specular", "specular")}
    assert any("ambient.gif" in w for w in record.extra["warnings"])
    # each texture went through the texture step: a data map stays raw, a colour map is ACEScg
    diffuse = lg.show(textures["prop/box/tex/diffuse"].uri)
    assert diffuse.entry == "diffuse.exr" and diffuse.provenance["role"] == "base_color"
    assert textures["prop/box/tex/diffuse"].extra["colorspace"]["out"] == "ACEScg"
    assert textures["prop/box/tex/bump"].extra["colorspace"]["out"] == "Raw"
    # the layer names the published textures (not the sources) by relative paths
    entry = Path(version.entry_file.path)
    text = entry.read_text()
    assert str(assets) not in text and "@/" not in text
    root = lg.root
    moved = tmp_path / "moved-root"
    shutil.copytree(root, moved)
    shutil.rmtree(root)  # nothing may still point at the old root
    moved_entry = moved / entry.relative_to(root)
    assert unresolved_paths(moved_entry) == []
    from pxr import UsdUtils

    _, resolved, _ = UsdUtils.ComputeAllDependencies(str(moved_entry))
    assert len(resolved) == 5 and all(str(p).startswith(str(moved)) for p in resolved)
    assert {Path(p).suffix for p in resolved} == {".exr"}
    from pxr import Usd, UsdShade

    spaces = {}
    stage = Usd.Stage.Open(str(moved_entry))
    for prim in stage.Traverse():
        shader = UsdShade.Shader(prim)
        if shader and shader.GetIdAttr().Get() == "UsdUVTexture":
            attr = shader.GetInput("file").GetAttr()
            spaces[Path(attr.Get().path).name] = (
                attr.GetColorSpace(), shader.GetInput("sourceColorSpace").Get())
    assert spaces["diffuse.exr"] == ("ACEScg", "raw") and spaces["bump.exr"] == ("Raw", "raw")


def test_a_model_that_fails_publishes_nothing(lg, tmp_path):
    (tmp_path / "noise.glb").write_bytes(os.urandom(64))
    record = lg.ingest_model(tmp_path / "noise.glb", project="demo", asset="prop/noise")
    assert record.status == "failed" and "not a GLB" in record.error
    assert "\n" not in record.error
    assert lg.store.query("store/counts")[0]["versions"] == 0


def test_cli_ingest_model_prints_one_record_with_its_textures(run, assets, blender_found,
                                                              tmp_path, monkeypatch):
    monkeypatch.setenv("LEGOS_TEXTURE_CACHE", str(tmp_path / "texture-cache"))
    result = run("--json", "ingest", "model", str(assets / SOURCES["glb"]), "--project", "demo",
                 "--asset", "prop/logo_box", "--textures-prefix", "lib/tex")
    [record] = json.loads(result.stdout)
    assert record["status"] == "ok" and record["kind"] == "ModelAsset"
    assert record["uri"] == "legos:/demo/prop/logo_box?version=1"
    [texture] = record["textures"]
    assert texture["uri"] == "legos:/demo/lib/tex/cesium?version=1"
    assert texture["role"] == "base_color"
    bad = run("--json", "ingest", "model", str(assets / "README.md"), "--project", "demo",
              "--asset", "prop/readme", ok=False)
    assert bad.exit_code == 1
    assert json.loads(bad.stdout)[0]["error"].endswith(
        "unsupported model format .md: use one of .obj, .gltf, .glb, .fbx, .usd, .usda, "
        ".usdc, .usdz")


def test_a_usd_source_records_the_stage_metrics(assets, blender_found, tmp_path):
    conv = convert_model(assets / "usdwg_teapot/Teapot.usd", tmp_path / "out", thumbnail=False)
    assert conv.units_axes["source_metrics"] == {"metersPerUnit": 1.0, "upAxis": "Y",
                                                 "authored": True}
    assert conv.facts["meshes"] > 0 and unresolved_paths(conv.layer) == []
