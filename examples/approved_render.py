"""A small lookdev setup from real third-party assets, for rendering an approved image again.

Keenan Crane's Spot cow (OBJ + PNG texture, ingested as a ModelAsset whose texture is a
TextureAsset) with a MaterialAsset on the same texture bound by a LookBindingAsset, TRI's
home-office HDR (an HdrAsset) lighting a dome in a LightRigAsset with a key light, a
CameraAsset framing the cow and a RenderSettingsAsset of a few Cycles samples at a small
resolution with a fixed seed, collected as a LookDevPackage version; then newer versions
of the texture and the light rig, so the latest versions would render a different picture.

    setup = publish_lookdev(lg, shared_assets, work)        # the package version
    newer = publish_updates(lg, setup, work)                 # texture v2, light rig v2

Used by tests/test_approved_render.py (issue 10's acceptance). Standard library and legos only;
the changed texture is written by OpenImageIO (the ingest extra), imported where it is used.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT = "lk"
MODEL = "prop/spot/model"
TEXTURE = "prop/spot/model/tex/cow_texture"  # where model ingest puts the cow's texture
MATERIAL = "prop/spot/mtl/hide"
LOOK = "prop/spot/look"
HDR = "env/home_office"
LIGHTS = "prop/spot/lights"
CAMERA = "prop/spot/camera"
RENDER = "prop/spot/render"
PACKAGE = "prop/spot/lookdev"
QC = "prop/spot/qc"

# the HDR is used as it comes (a dome reads a latlong directly), with its colour space recorded
HDR_FACTS = {"width": 1024, "height": 512, "channels": 3, "pixel_type": "float",
             "mip_levels": 1, "tiled": False, "colorspace": "Linear Rec.709 (sRGB)"}

RESOLUTION = (64, 48)
SAMPLES = 8
SEED = 7

Vec = tuple[float, float, float]

# the cow's bounds once ingested (Y up): x -0.47..0.47, y -0.74..0.95, z -0.67..1.05
CAMERA_POSITION: Vec = (3.0, 0.85, -2.55)
CAMERA_TARGET: Vec = (0.0, 0.1, 0.15)
FOCAL_LENGTH, HORIZONTAL_APERTURE = 50.0, 36.0


@dataclass(frozen=True)
class RigSpec:
    """What changes between the light rig's versions: the dome's and the key's light."""

    dome_intensity: float
    key_intensity: float
    key_colour: Vec


RIGS = {1: RigSpec(0.8, 40.0, (1.0, 0.92, 0.8)),
        2: RigSpec(0.25, 90.0, (1.0, 0.3, 0.15))}  # dimmer room, a strong red key
KEY_POSITION: Vec = (2.2, 2.6, -0.6)


# == USD layers (usda text) ===================================================================

def _f(x: float) -> str:
    return f"{x:.6g}"


def _t(values: Any) -> str:
    return "(" + ", ".join(_f(v) for v in values) + ")"


def _layer(default_prim: str, doc: str, body: list[str]) -> str:
    head = ["#usda 1.0", "(", f'    defaultPrim = "{default_prim}"', f'    doc = "{doc}"',
            "    metersPerUnit = 1", '    upAxis = "Y"', ")", ""]
    return "\n".join(head + body) + "\n"


def aim(position: Vec, target: Vec) -> Vec:
    """rotateXYZ (degrees) turning a camera's or light's -Z from `position` towards `target`."""
    d = tuple(t - p for p, t in zip(position, target, strict=True))
    length = math.sqrt(sum(c * c for c in d))
    x, y, z = (c / length for c in d)
    return (math.degrees(math.asin(y)), math.degrees(math.atan2(-x, -z)), 0.0)


def material_usda(texture_path: str, texture_uri: str) -> str:
    """A UsdPreviewSurface hide: the cow's texture (ACEScg, so read raw) under a thin clearcoat."""
    body = ['def Material "hide"', "{",
            "    token outputs:surface.connect = </hide/surface.outputs:surface>", "",
            '    def Shader "surface"', "    {",
            '        uniform token info:id = "UsdPreviewSurface"',
            "        color3f inputs:diffuseColor.connect = </hide/albedo.outputs:rgb>",
            "        float inputs:roughness = 0.55",
            "        float inputs:clearcoat = 0.4",
            "        float inputs:clearcoatRoughness = 0.15",
            "        token outputs:surface", "    }", "",
            '    def Shader "uv"', "    {",
            '        uniform token info:id = "UsdPrimvarReader_float2"',
            '        string inputs:varname = "st"', "        float2 outputs:result", "    }", "",
            '    def Shader "albedo" (',
            f'        customData = {{ string legos_uri = "{texture_uri}" }}', "    )", "    {",
            '        uniform token info:id = "UsdUVTexture"',
            f'        asset inputs:file = @{texture_path}@ ( colorSpace = "ACEScg" )',
            "        float2 inputs:st.connect = </hide/uv.outputs:result>",
            '        token inputs:sourceColorSpace = "raw"',
            '        token inputs:wrapS = "repeat"', '        token inputs:wrapT = "repeat"',
            "        float3 outputs:rgb", "    }", "}"]
    return _layer("hide", "legos: the Spot lookdev hide material", body)


# the ingested cow: its root prim is named after the asset, its mesh is cow/cow below it
MODEL_PRIM, MESH_PATH = "model", ("cow", "cow")


def look_usda(material_path: str, material_uri: str, model_uri: str) -> str:
    """The hide bound on the cow's mesh: overs on the model's prim (what the assembly puts them
    on), the material referenced from its own version under Looks."""
    outer, inner = MESH_PATH
    body = [f'over "{MODEL_PRIM}"', "{", '    def Scope "Looks"', "    {",
            '        def Material "hide" (', f"            prepend references = @{material_path}@",
            f'            customData = {{ string legos_uri = "{material_uri}" }}',
            "        )", "        {", "        }", "    }", "",
            f'    over "{outer}"', "    {",
            f'        over "{inner}" (', '            prepend apiSchemas = ["MaterialBindingAPI"]',
            "        )", "        {",
            f"            rel material:binding = </{MODEL_PRIM}/Looks/hide>", "        }", "    }",
            "}"]
    head = ["#usda 1.0", "(", f'    defaultPrim = "{MODEL_PRIM}"',
            '    doc = "legos: the Spot lookdev bindings"',
            f'    customLayerData = {{ string legos_model = "{model_uri}" }}',
            "    metersPerUnit = 1", '    upAxis = "Y"', ")", ""]
    return "\n".join(head + body) + "\n"


def light_rig_usda(spec: RigSpec, hdr_path: str, hdr_uri: str) -> str:
    """A dome lit by the HDR (`hdr_path` relative to this layer) and a spherical key light."""
    body = ['def Xform "lights"', "{",
            '    def DomeLight "dome"', "    {",
            f"        float inputs:intensity = {_f(spec.dome_intensity)}",
            f"        asset inputs:texture:file = @{hdr_path}@",
            '        token inputs:texture:format = "latlong"',
            f'        custom string legos:hdr = "{hdr_uri}"', "    }", "",
            '    def SphereLight "key"', "    {",
            f"        float inputs:intensity = {_f(spec.key_intensity)}",
            f"        color3f inputs:color = {_t(spec.key_colour)}",
            "        float inputs:radius = 0.25",
            f"        double3 xformOp:translate = {_t(KEY_POSITION)}",
            '        uniform token[] xformOpOrder = ["xformOp:translate"]', "    }", "}"]
    return _layer("lights", "legos: the Spot lookdev light rig", body)


def camera_usda() -> str:
    vertical = HORIZONTAL_APERTURE * RESOLUTION[1] / RESOLUTION[0]
    body = ['def Xform "camera"', "{", '    def Camera "cam"', "    {",
            f"        float focalLength = {_f(FOCAL_LENGTH)}",
            f"        float horizontalAperture = {_f(HORIZONTAL_APERTURE)}",
            f"        float verticalAperture = {_f(vertical)}",
            "        float2 clippingRange = (0.1, 100)",
            '        token projection = "perspective"',
            f"        double3 xformOp:translate = {_t(CAMERA_POSITION)}",
            f"        float3 xformOp:rotateXYZ = {_t(aim(CAMERA_POSITION, CAMERA_TARGET))}",
            '        uniform token[] xformOpOrder = ["xformOp:translate", "xformOp:rotateXYZ"]',
            "    }", "}"]
    return _layer("camera", "legos: the Spot lookdev camera", body)


def render_settings_usda(camera: str = "/camera/cam") -> str:
    """UsdRender settings; `camera` is the camera prim's path as the camera layer has it."""
    body = ['def Scope "Render"', "{", '    def RenderSettings "qc"', "    {",
            f"        int2 resolution = {_t(RESOLUTION)}",
            "        float pixelAspectRatio = 1",
            f"        rel camera = <{camera}>",
            f"        custom int cycles:samples = {SAMPLES}",
            f"        custom int cycles:seed = {SEED}",
            # the denoiser's output may differ between CPUs: a QC image to be rendered again
            # anywhere is rendered without it
            "        custom bool cycles:use_denoising = false",
            "    }", "}"]
    return _layer("Render", "legos: the Spot lookdev QC render settings", body)


def changed_texture(source: str | os.PathLike[str], out: str | os.PathLike[str]) -> Path:
    """The cow's texture repainted: its channels rotated (RGB -> BRG), so every part of the
    cow changes colour while the layout stays the same."""
    import OpenImageIO as oiio

    image = oiio.ImageBuf(os.fspath(source))
    swapped = oiio.ImageBufAlgo.channels(image, (2, 0, 1))
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not swapped.write(os.fspath(target)):
        raise RuntimeError(f"{target}: {swapped.geterror()}")
    return target


# == publishing ===============================================================================

@dataclass
class LookdevSetup:
    """The URIs of what was published (each an exact version)."""

    model: str
    texture: str
    material: str
    look: str
    hdr: str
    lights: str
    camera: str
    render: str
    package: str


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def _next_folder(lg: Any, asset: str, kind: str) -> tuple[Path, int]:
    """Where the next version of `asset` lands, so its layer can name files relatively."""
    from legos.errors import AssetNotFoundError
    from legos.layout import version_folder

    try:
        number = max(row.version for row in lg.history(f"legos:/{PROJECT}/{asset}")) + 1
    except AssetNotFoundError:
        number = 1
    return version_folder(lg.template, lg.root, PROJECT, asset, kind, number), number


def _relative(lg: Any, uri: str, folder: Path) -> str:
    """The path from `folder` to a version's entry file."""
    return Path(os.path.relpath(lg.show(uri).entry_file.path, folder)).as_posix()


def _publish_look(lg: Any, model: str, texture: str, work: Path, user: str) -> tuple[str, str]:
    folder, _ = _next_folder(lg, MATERIAL, "MaterialAsset")
    layer = _write(work / "material", "hide.usda",
                   material_usda(_relative(lg, texture, folder), texture))
    material = str(lg.publish(PROJECT, MATERIAL, kind="MaterialAsset", files=[layer], user=user,
                              dependencies=[("base_color", texture)], comment="glossy hide").uri)
    folder, _ = _next_folder(lg, LOOK, "LookBindingAsset")
    layer = _write(work / "look", "look.usda",
                   look_usda(_relative(lg, material, folder), material, model))
    look = lg.publish(PROJECT, LOOK, kind="LookBindingAsset", files=[layer], user=user,
                      dependencies=[("model", model), ("hide", material)],
                      comment="the hide on Spot")
    return material, str(look.uri)


def _publish_rig(lg: Any, number: int, hdr_uri: str, work: Path, user: str) -> str:
    folder, expected = _next_folder(lg, LIGHTS, "LightRigAsset")
    if expected != number:
        raise RuntimeError(f"{LIGHTS} would be v{expected}, not v{number}")
    layer = _write(work / f"lights_v{number}", "lights.usda",
                   light_rig_usda(RIGS[number], _relative(lg, hdr_uri, folder), hdr_uri))
    version = lg.publish(PROJECT, LIGHTS, kind="LightRigAsset", files=[layer],
                         dependencies=[("hdr", hdr_uri)], user=user,
                         comment="dome on the home office HDR, warm key" if number == 1
                         else "darker room, red key")
    if version.number != number:
        raise RuntimeError(f"{version.uri}: expected v{number} (another publish raced it)")
    return str(version.uri)


def publish_lookdev(lg: Any, assets: Path, work: Path, *, user: str = "ana") -> LookdevSetup:
    """Publish the whole setup into project `lk` and collect it as a LookDevPackage version."""
    record = lg.ingest_model(assets / "keenan_spot_cow_obj" / "cow.obj", project=PROJECT,
                             asset=MODEL, user=user, comment="Spot, from Keenan Crane")
    if record.status != "ok":
        raise RuntimeError(f"model ingest failed: {record.error}")
    texture = str(record.extra["textures"][0].uri)
    material, look = _publish_look(lg, str(record.uri), texture, work, user)
    hdr_file = assets / "tri_env_home_office_hdr" / "env_home_office_full_lights.hdr"
    hdr = lg.publish(PROJECT, HDR, kind="HdrAsset", user=user, comment="TRI home office",
                     files=[hdr_file], facts={hdr_file.name: HDR_FACTS})
    lights = _publish_rig(lg, 1, str(hdr.uri), work, user)
    camera = lg.publish(PROJECT, CAMERA, kind="CameraAsset", user=user, comment="three quarters",
                        files=[_write(work / "camera", "camera.usda", camera_usda())])
    render = lg.publish(PROJECT, RENDER, kind="RenderSettingsAsset", user=user,
                        comment=f"QC: {RESOLUTION[0]}x{RESOLUTION[1]}, {SAMPLES} samples",
                        files=[_write(work / "render", "render.usda", render_settings_usda())])
    package = lg.publish(PROJECT, PACKAGE, kind="LookDevPackage", user=user, comment="for QC",
                         members=[("model", record.uri), ("look", look), ("hide", material),
                                  ("cow_texture", texture), ("lights", lights),
                                  ("camera", str(camera.uri)), ("render", str(render.uri))])
    return LookdevSetup(model=str(record.uri), texture=texture, material=material, look=look,
                        hdr=str(hdr.uri),
                        lights=lights, camera=str(camera.uri), render=str(render.uri),
                        package=str(package.uri))


def publish_updates(lg: Any, setup: LookdevSetup, work: Path, *,
                    user: str = "ben") -> dict[str, str]:
    """Newer versions of the cow's texture and of the light rig: {"texture": uri, "lights": uri}."""
    source = next(r.path for r in lg.show(setup.texture).representations
                  if r.path.endswith(".png"))
    png = changed_texture(source, work / "texture_v2" / "cow_texture.png")
    records = lg.ingest_texture([png], project=PROJECT, asset=TEXTURE, user=user,
                                comment="repainted: channels rotated")
    if records[0].status != "ok":
        raise RuntimeError(f"texture ingest failed: {records[0].error}")
    return {"texture": str(records[0].uri),
            "lights": _publish_rig(lg, 2, setup.hdr, work, user)}
