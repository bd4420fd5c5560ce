"""The lookdev flow on real third-party assets (../shared/assets), on both backends.

Published copies must be byte-identical to their sources and keep resolving each other: a
USD asset's layers, payloads and textures, an OBJ's material library and maps.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_published_usd_asset_keeps_resolving_from_its_published_copy(lg, shared_assets):
    from pxr import UsdUtils

    source = shared_assets / "usdwg_openchessset_rook/assets/Rook"
    version = lg.publish("chess", "prop/rook", kind="ModelAsset", files=[source], user="ana",
                         comment="upstream rook")
    folder = lg.root / "chess/prop/rook/v001"
    sources = sorted(p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file())
    assert sorted(r.name for r in version.representations) == sources
    for rep in version.representations:
        assert rep.sha256 == _sha(source / rep.name)
        assert Path(rep.path).is_relative_to(folder)
    layers, assets, unresolved = UsdUtils.ComputeAllDependencies(str(folder / "Rook.usd"))
    assert unresolved == []
    resolved = [Path(layer.realPath) for layer in layers] + [Path(a) for a in assets]
    assert len(layers) >= 3 and any(p.suffix == ".mtlx" for p in resolved)
    assert all(p.resolve().is_relative_to(folder.resolve()) for p in resolved)
    # the MaterialX document's textures travel with it too
    mtlx = (folder / "Rook_mat.mtlx").read_text()
    images = re.findall(r'value="([^"]+\.jpg)"', mtlx)
    assert images and all((folder / image).is_file() for image in images)


def test_lookdev_flow_on_real_textures_models_and_hdr(lg, shared_assets, make_file):
    stool = shared_assets / "polyhaven_painted_wooden_stool_gltf"
    textures = {}
    for path in sorted((stool / "textures").glob("*.jpg")):
        role = re.search(r"_(arm|diff|nor_gl)_", path.name).group(1)
        textures[role] = lg.publish("shop", f"prop/stool/tex/{role}", kind="TextureAsset",
                                    files=[path], user="ben")
    model = lg.publish("shop", "prop/stool/model", kind="ModelAsset",
                       files=[stool / "painted_wooden_stool_1k.gltf",
                              stool / "painted_wooden_stool.bin"], user="ana")
    material = lg.publish("shop", "prop/stool/mtl/wood", kind="MaterialAsset",
                          files=[make_file("wood.usda", '#usda 1.0\ndef Material "wood" {}\n')],
                          dependencies=[(role, v.uri) for role, v in textures.items()], user="cleo")
    hdr = lg.publish("shop", "env/home_office", kind="HdrAsset",
                     files=[shared_assets / "tri_env_home_office_hdr/env_home_office_full_lights.hdr"])
    rig = lg.publish("shop", "lgt/office", kind="LightRigAsset", dependencies=[hdr.uri],
                     files=[make_file("office.usda", '#usda 1.0\ndef DomeLight "dome" {}\n')])
    look = lg.publish("shop", "prop/stool/lookdev", kind="LookDevPackage",
                      members=[("model", model.uri), ("wood", material.uri)], user="cleo")
    qc = lg.publish("shop", "prop/stool/qc", kind="RenderAsset",
                    files=[shared_assets / "tri_env_home_office_hdr/env_home_office_full_lights.png"],
                    dependencies=[("lookdev", look.uri), ("light_rig", rig.uri)], user="dev")
    revision = lg.submit(qc.uri, note="QC turntable", user="dev")
    lg.review(revision.uid, "approved", user="sup")

    rows = {r.asset: r for r in lg.dependencies(qc.uri)}
    assert set(rows) == {"prop/stool/lookdev", "lgt/office", "prop/stool/model",
                         "prop/stool/mtl/wood", "env/home_office", "prop/stool/tex/arm",
                         "prop/stool/tex/diff", "prop/stool/tex/nor_gl"}
    assert rows["prop/stool/tex/diff"].depth == 3 and rows["prop/stool/tex/diff"].role == "diff"
    assert rows["env/home_office"].role == "hdr"
    assert lg.show(qc.uri).status.value == "approved"
    users = {r.asset for r in lg.dependents(textures["diff"].uri)}
    assert users == {"prop/stool/mtl/wood", "prop/stool/lookdev", "prop/stool/qc"}
    hdr_rep = lg.show(hdr.uri).representations[0]
    assert hdr_rep.format == "hdr" and Path(hdr_rep.path).read_bytes()[:10] == b"#?RADIANCE"


def test_obj_with_material_library_keeps_its_maps(lg, shared_assets):
    cow = shared_assets / "keenan_spot_cow_obj"
    version = lg.publish("farm", "chr/spot/model", kind="ModelAsset",
                         files=[cow / "cow.obj", cow / "cow.mtl", cow / "cow_texture.png"])
    folder = Path(version.representations[0].path).parent
    mtl = (folder / "cow.mtl").read_text()
    maps = re.findall(r"^\s*map_\w+\s+(\S+)", mtl, flags=re.M)
    assert maps
    for target in maps:
        assert (folder / target).is_file()
    assert {r.format for r in version.representations} == {"obj", "mtl", "png"}
