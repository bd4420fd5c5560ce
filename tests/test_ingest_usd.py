"""`legos ingest usd`: a USD asset's layers, its textures (also inside MaterialX documents) and
what is wrong with it, item by item; then its publishing, on both backends."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("pxr")
pytest.importorskip("MaterialX")

from legos.ingest.usd_asset import MISSING, OUTSIDE, UNREADABLE, UsdAssetError, analyse


def _layer(path: Path, body: str = "", header: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#usda 1.0\n(\n{header}\n)\n{body}\n", encoding="utf-8")
    return path


def _texture_prim(name: str, file: str, feeds: str = "diffuseColor") -> str:
    return f'''
def Material "{name}"
{{
    token outputs:surface.connect = </{name}/surface.outputs:surface>
    def Shader "surface"
    {{
        uniform token info:id = "UsdPreviewSurface"
        color3f inputs:{feeds}.connect = </{name}/tex.outputs:rgb>
        token outputs:surface
    }}
    def Shader "tex"
    {{
        uniform token info:id = "UsdUVTexture"
        asset inputs:file = @{file}@
        float3 outputs:rgb
    }}
}}
'''


def _png(path: Path, value: float = 0.5) -> Path:
    """A small real image (the texture step decodes what it publishes)."""
    oiio = pytest.importorskip("OpenImageIO")
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = oiio.ImageBuf(oiio.ImageSpec(8, 8, 3, oiio.UINT8))
    oiio.ImageBufAlgo.fill(buf, (value, value, value))
    assert buf.write(str(path)), buf.geterror()
    return path


def _kinds(found) -> dict[str, str]:
    return {p.path: p.kind for p in found.problems}


# -- the real assets -------------------------------------------------------------------------

@pytest.mark.assets
def test_rook_textures_named_only_in_materialx_are_found_with_their_inputs(shared_assets):
    found = analyse(shared_assets / "usdwg_openchessset_rook", asset="chr/rook")
    assert found.ok, found.problems
    assert found.entry == "assets/Rook/Rook.usd"
    assert sorted(found.layers) == ["assets/Rook/Rook.usd", "assets/Rook/Rook_geom.usd",
                                    "assets/Rook/Rook_look.usd", "assets/Rook/Rook_payload.usd"]
    assert found.documents == ["assets/Rook/Rook_mat.mtlx"]
    roles = {name.rsplit("/", 1)[-1]: t.role for name, t in found.textures.items()}
    assert roles == {"rook_black_base_color.jpg": "base_color",
                     "rook_white_base_color.jpg": "base_color",
                     "rook_shared_metallic.jpg": "metallic",
                     "rook_shared_roughness.jpg": "roughness",
                     "rook_shared_normal.jpg": "normal"}  # through the normalmap node
    assert found.textures["assets/Rook/tex/rook_black_base_color.jpg"].colorspace == "srgb_texture"
    assert found.uses["assets/Rook/Rook_mat.mtlx"]["tex/rook_shared_normal.jpg"] == \
        "assets/Rook/tex/rook_shared_normal.jpg"
    assert set(found.files) == set(found.layers) | {"assets/Rook/Rook_mat.mtlx"}  # no textures
    assert "README.md" in found.unused


@pytest.mark.assets
def test_rook_root_layer_given_alone_bounds_the_asset_by_its_folder(shared_assets):
    found = analyse(shared_assets / "usdwg_openchessset_rook/assets/Rook/Rook.usd")
    assert found.ok and found.entry == "Rook.usd"
    assert len(found.textures) == 5 and found.unused == []


@pytest.mark.assets
def test_teapot_variants_cards_and_packed_map(shared_assets):
    folder = shared_assets / "usdwg_teapot"
    found = analyse(folder)
    # DrawModes.usd references Teapot.usd: it is the one layer nothing composes
    assert found.ok and found.entry == "DrawModes.usd"
    teapot = analyse(folder, entry="Teapot.usd")
    assert teapot.ok and "DrawModes.usd" in teapot.unused
    assert {"geo/FancyTeapot.usd", "geo/UtahTeapot.usd"} <= set(teapot.layers)  # both variants
    arm = teapot.textures["textures/tea_set_01_arm_2k.jpg"]
    assert arm.role == "orm" and arm.colorspace == "raw"
    assert teapot.textures["textures/tea_set_01_diff_2k.jpg"].role == "base_color"
    assert len([n for n in teapot.textures if n.startswith("cards/")]) == 12
    assert teapot.textures["cards/Utah/XNeg.png"].role == "card_texture_xneg"


@pytest.mark.assets
def test_mini_car_kit_deep_references_and_orphans(shared_assets):
    found = analyse(shared_assets / "usdwg_usd_mini_car_kit")
    assert found.ok, found.problems
    assert found.entry == "USD_Mini_Car_Kit/assets/vehicles/vehicleVariants.usda"
    assert len(found.layers) == 44 and len(found.textures) == 9  # as ComputeAllDependencies
    assert {t.role for t in found.textures.values()} == {"base_color"}
    assert "USD_Mini_Car_Kit/textures/global-colors/yellow.jpg" in found.unused


@pytest.mark.assets
def test_mini_car_kit_layer_alone_refuses_what_leaves_its_folder(shared_assets):
    kit = shared_assets / "usdwg_usd_mini_car_kit/USD_Mini_Car_Kit"
    layer = kit / "assets/vehicles/4wd/asset/4wdBodyAsset.usda"
    found = analyse(layer)
    assert not found.ok
    outside = [p for p in found.problems if p.kind == OUTSIDE]
    assert outside and all("--entry" in p.reason for p in outside)
    assert "4wd/geo/4wdGeo.usd" not in found.files  # ../geo leaves asset/ too
    assert all("\n" not in p.reason for p in found.problems)


@pytest.mark.assets
def test_shader_ball_maps_alone_are_no_usd_asset(shared_assets):
    with pytest.raises(UsdAssetError, match="holds no USD layer"):
        analyse(shared_assets / "usdwg_standard_shader_ball_exr_maps")


@pytest.mark.assets
def test_exr_maps_used_by_a_layer(shared_assets, tmp_path):
    folder = tmp_path / "ball"
    shutil.copytree(shared_assets / "usdwg_standard_shader_ball_exr_maps/maps", folder / "maps")
    _layer(folder / "ball.usda", _texture_prim("grid", "./maps/uvgrid.exr")
           + _texture_prim("neutral", "./maps/neutral.ACEScg.exr", feeds="roughness"))
    found = analyse(folder)
    assert found.ok and found.entry == "ball.usda"
    assert {n: t.role for n, t in found.textures.items()} == {
        "maps/uvgrid.exr": "base_color", "maps/neutral.ACEScg.exr": "roughness"}


# -- bad input, item by item -----------------------------------------------------------------

def test_missing_sublayer_is_reported_and_the_rest_still_read(tmp_path):
    folder = tmp_path / "asset"
    _layer(folder / "asset.usda", _texture_prim("m", "./tex/a.png"),
           header="subLayers = [@./missing.usda@, @./geo.usda@]")
    _layer(folder / "geo.usda", 'def Xform "geo" {}')
    (folder / "tex").mkdir()
    (folder / "tex/a.png").write_bytes(b"png")
    found = analyse(folder)
    assert _kinds(found) == {str(folder / "missing.usda"): MISSING}
    [problem] = found.problems
    assert problem.where == "asset.usda" and "missing.usda does not exist" in problem.reason
    assert "geo.usda" in found.layers and "tex/a.png" in found.textures


def test_corrupt_layer_is_reported_without_a_traceback(tmp_path):
    folder = tmp_path / "asset"
    _layer(folder / "asset.usda", 'def "x" (prepend references = @./bad.usda@) {}')
    (folder / "bad.usda").write_text("#usda 1.0\ndef Xform \"oops\" {{{ not usd\n")
    found = analyse(folder, entry="asset.usda")
    [problem] = found.problems
    assert problem.kind == UNREADABLE and problem.path == str(folder / "bad.usda")
    assert problem.reason.startswith("USD cannot read bad.usda") and "\n" not in problem.reason


def test_corrupt_layer_in_a_folder_scan_is_reported(tmp_path):
    folder = tmp_path / "asset"
    _layer(folder / "asset.usda", 'def Xform "x" {}')
    (folder / "junk.usd").write_bytes(b"\x00\x01 not a layer")
    found = analyse(folder)
    assert found.entry == "asset.usda"
    assert _kinds(found) == {str(folder / "junk.usd"): UNREADABLE}


def test_paths_leaving_the_folder_are_refused(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    _layer(elsewhere / "other.usda", 'def Xform "o" {}')
    folder = tmp_path / "deep/down/asset"
    _layer(folder / "asset.usda",
           f'def "a" (prepend references = @../../etc/passwd@) {{}}\n'
           f'def "b" (prepend references = @{elsewhere / "other.usda"}@) {{}}\n'
           + _texture_prim("m", "/etc/passwd"))
    found = analyse(folder)
    kinds = _kinds(found)
    assert kinds == {str(tmp_path / "deep/etc/passwd"): OUTSIDE,
                     str(elsewhere / "other.usda"): OUTSIDE, "/etc/passwd": OUTSIDE}
    assert found.files == {"asset.usda": str(folder / "asset.usda")} and not found.textures


def test_a_symlink_leading_out_is_refused(tmp_path):
    (tmp_path / "secret.png").write_bytes(b"png")
    folder = tmp_path / "asset"
    _layer(folder / "asset.usda", _texture_prim("m", "./tex/link.png"))
    (folder / "tex").mkdir()
    (folder / "tex/link.png").symlink_to(tmp_path / "secret.png")
    found = analyse(folder)
    assert [p.kind for p in found.problems] == [OUTSIDE] and not found.textures


def test_uri_is_refused(tmp_path):
    folder = tmp_path / "asset"
    _layer(folder / "asset.usda", 'def "a" (prepend references = @legos:/demo/chr/x@) {}')
    assert _kinds(analyse(folder)) == {"legos:/demo/chr/x": OUTSIDE}


def test_udim_tiles_above_1100_are_found(tmp_path):
    folder = tmp_path / "asset"
    _layer(folder / "asset.usda", _texture_prim("m", "./tex/albedo.<UDIM>.png"))
    tiles = ["1001", "1002", "1011", "1101", "1205"]
    (folder / "tex").mkdir()
    for tile in tiles:
        (folder / f"tex/albedo.{tile}.png").write_bytes(b"png")
    (folder / "tex/albedo.10011.png").write_bytes(b"not a tile")
    found = analyse(folder)
    assert found.ok
    texture = found.textures["tex/albedo.<UDIM>.png"]
    assert texture.is_udim and texture.role == "base_color"
    assert [Path(f).name for f in texture.files] == [f"albedo.{t}.png" for t in tiles]


def test_udim_set_without_tiles_is_missing(tmp_path):
    folder = tmp_path / "asset"
    _layer(folder / "asset.usda", _texture_prim("m", "./tex/albedo.<UDIM>.png"))
    assert list(_kinds(analyse(folder)).values()) == [MISSING]


def test_materialx_missing_texture_and_corrupt_document(tmp_path):
    folder = tmp_path / "asset"
    _layer(folder / "asset.usda", 'def Scope "m" (prepend references = @./look.mtlx@</MaterialX>) {}\n'
           'def Scope "n" (prepend references = @./broken.mtlx@</MaterialX>) {}')
    (folder / "look.mtlx").write_text(
        '<?xml version="1.0"?>\n<materialx version="1.38" fileprefix="tex/">\n'
        '  <image name="img" type="color3"><input name="file" type="filename" value="gone.png"/>'
        '</image>\n  <image name="rough" type="float"><input name="file" type="filename" '
        'value="r.png"/></image>\n'
        '  <standard_surface name="s" type="surfaceshader">\n'
        '    <input name="base_color" type="color3" nodename="img"/>\n'
        '    <input name="specular_roughness" type="float" nodename="rough"/>\n'
        '  </standard_surface>\n</materialx>\n')
    (folder / "tex").mkdir()
    (folder / "tex/r.png").write_bytes(b"png")
    (folder / "broken.mtlx").write_text("<materialx><unclosed")
    found = analyse(folder)
    kinds = _kinds(found)
    assert kinds == {str(folder / "tex/gone.png"): MISSING,
                     str(folder / "broken.mtlx"): UNREADABLE}
    assert found.textures["tex/r.png"].role == "roughness"  # the fileprefix applies
    assert all("\n" not in p.reason for p in found.problems)


def test_several_root_layers_ask_for_entry(tmp_path):
    folder = tmp_path / "props"
    _layer(folder / "chair.usda", 'def Xform "c" {}')
    _layer(folder / "table.usda", 'def Xform "t" {}')
    with pytest.raises(UsdAssetError, match="--entry"):
        analyse(folder)
    assert analyse(folder, asset="set/table").entry == "table.usda"  # named like the asset
    assert analyse(folder, entry="chair.usda").entry == "chair.usda"
    _layer(folder / "props.usda", 'def Xform "p" {}')
    assert analyse(folder).entry == "props.usda"  # named like the folder
    with pytest.raises(UsdAssetError, match="not a USD layer"):
        analyse(folder, entry="nothing.usda")


# -- publishing, on both backends ------------------------------------------------------------

def _unresolved(layer: str | Path) -> list[str]:
    from legos.usd.layers import all_dependencies

    return all_dependencies(layer).unresolved


def _inputs(lg, uri: str) -> dict[str, str]:
    return {row.uri: row.role for row in lg.dependencies(uri, depth=1)}


@pytest.mark.assets
def test_ingest_rook_publishes_layers_and_its_textures(lg, shared_assets, tmp_path):
    record = lg.ingest_usd(shared_assets / "usdwg_openchessset_rook", project="demo",
                           asset="chr/rook")
    assert record.status == "ok", record.to_json()
    version = lg.show(record.uri)
    assert version.kind == "ModelAsset" and version.entry == "assets/Rook/Rook.usd"
    assert sorted(r.name for r in version.representations) == [
        "assets/Rook/Rook.usd", "assets/Rook/Rook_geom.usd", "assets/Rook/Rook_look.usd",
        "assets/Rook/Rook_mat.mtlx", "assets/Rook/Rook_payload.usd"]
    textures = record.to_json()["textures"]
    assert len(textures) == 5 and {t["status"] for t in textures} == {"ok"}
    assert sorted(_inputs(lg, record.uri).values()) == [
        "base_color", "base_color", "metallic", "normal", "roughness"]
    assert lg.show(textures[0]["uri"]).kind == "TextureAsset"
    # the MaterialX document names the published textures, relatively
    mtlx = next(r.path for r in version.representations if r.name.endswith(".mtlx"))
    text = Path(mtlx).read_text()
    assert "tex/rook_shared_normal/v001/" in text and str(lg.root) not in text
    # the whole root can move: the asset still composes, its textures still there
    moved = tmp_path / "moved"
    shutil.copytree(lg.root, moved, symlinks=True)
    entry = moved / Path(version.entry_file.path).relative_to(lg.root)
    assert _unresolved(entry) == []
    import MaterialX as mx

    doc = mx.createDocument()
    mx.readFromXmlFile(doc, str(entry.parent / "Rook_mat.mtlx"))
    files = [e.getValueString() for e in doc.traverseTree()
             if e.isA(mx.Input) and e.getType() == "filename"]
    assert len(files) == 8 and all((entry.parent / f).is_file() for f in files)


@pytest.mark.assets
def test_ingest_teapot_and_car_kit_compose_from_the_publish_root(lg, shared_assets):
    teapot = lg.ingest_usd(shared_assets / "usdwg_teapot", project="demo", asset="prop/teapot",
                           entry="Teapot.usd")
    assert teapot.status == "ok", teapot.to_json()
    roles = _inputs(lg, teapot.uri)
    assert len(roles) == 14 and "orm" in roles.values()
    assert "legos:/demo/prop/teapot/tex/Fancy/XNeg?version=1" in roles  # same stems told apart
    kit = lg.ingest_usd(shared_assets / "usdwg_usd_mini_car_kit", project="demo",
                        asset="veh/kit", textures_prefix="veh/tex")
    assert kit.status == "ok", kit.to_json()
    version = lg.show(kit.uri)
    assert len(version.representations) == 44 and len(_inputs(lg, kit.uri)) == 9
    assert _unresolved(version.entry_file.path) == []
    for uri in _inputs(lg, kit.uri):
        assert uri.startswith("legos:/demo/veh/tex/")


def test_bad_asset_publishes_nothing_and_says_why(lg, tmp_path):
    folder = tmp_path / "asset"
    _layer(folder / "asset.usda", 'def "a" (prepend references = @../../etc/passwd@) {}\n'
           + _texture_prim("m", "./tex/a.png") + _texture_prim("n", "./tex/gone.png"))
    (folder / "tex").mkdir()
    (folder / "tex/a.png").write_bytes(b"png")
    record = lg.ingest_usd(folder, project="demo", asset="prop/bad")
    document = record.to_json()
    assert document["status"] == "failed" and "outside the asset's folder" in document["error"]
    assert {p["kind"] for p in document["problems"]} == {"outside", "missing"}
    statuses = {Path(t["source"]).name: t["status"] for t in document["textures"]}
    assert statuses == {"a.png": "skipped", "gone.png": "failed"}
    assert lg.assets(project="demo") == []


def test_dry_run_publishes_nothing(lg, tmp_path):
    folder = tmp_path / "asset"
    _layer(folder / "asset.usda", _texture_prim("m", "./tex/albedo.<UDIM>.png"))
    (folder / "tex").mkdir()
    for tile in ("1001", "1101"):
        (folder / f"tex/albedo.{tile}.png").write_bytes(b"png")
    record = lg.ingest_usd(folder, project="demo", asset="prop/box", dry_run=True)
    assert record.status == "ok" and record.extra["dry_run"]
    assert [t.uri for t in record.extra["textures"]] == ["legos:/demo/prop/box/tex/albedo"]
    assert lg.assets(project="demo") == []


def test_udim_set_is_one_texture_version_the_layer_names_by_pattern(lg, tmp_path):
    folder = tmp_path / "asset"
    _layer(folder / "asset.usda", _texture_prim("m", "./tex/albedo.<UDIM>.png"))
    (folder / "tex").mkdir()
    for n, tile in enumerate(("1001", "1002", "1101")):
        _png(folder / f"tex/albedo.{tile}.png", 0.2 * n)
    record = lg.ingest_usd(folder, project="demo", asset="prop/box")
    assert record.status == "ok", record.to_json()
    [texture] = record.extra["textures"]
    tiles = lg.show(texture.uri)
    assert tiles.entry == "albedo.<UDIM>.exr"  # the transcoded tiles, as one texture
    assert {"albedo.1001.exr", "albedo.1002.exr", "albedo.1101.exr",
            "source/albedo.1101.png"} <= {r.name for r in tiles.representations}
    layer = lg.show(record.uri).entry_file.path
    assert "@../tex/albedo/v001/albedo.<UDIM>.exr@" in Path(layer).read_text()
    assert _unresolved(layer) == []


def test_cli_ingest_usd_json_records_and_exit_status(run, tmp_path):
    import json

    good = tmp_path / "good"
    _layer(good / "good.usda", _texture_prim("m", "./a.png"))
    _png(good / "a.png")
    result = run("ingest", "usd", str(good), "--project", "demo", "--asset", "prop/good",
                 "--json")
    [record] = json.loads(result.stdout)
    assert record["status"] == "ok" and record["uri"] == "legos:/demo/prop/good?version=1"
    assert record["textures"][0]["role"] == "base_color"
    assert record["textures"][0]["uri"] == "legos:/demo/prop/good/tex/a?version=1"
    bad = tmp_path / "bad"
    _layer(bad / "bad.usda", header="subLayers = [@./missing.usda@]")
    result = run("ingest", "usd", str(bad), "--project", "demo", "--asset", "prop/bad",
                 "--json", ok=False)
    assert result.exit_code == 1
    [record] = json.loads(result.stdout)
    assert record["status"] == "failed" and "missing.usda does not exist" in record["error"]
    assert "Traceback" not in result.output + result.stderr


def test_ingesting_the_same_asset_again_publishes_nothing_new(lg, tmp_path):
    folder = tmp_path / "asset"
    _layer(folder / "asset.usda", _texture_prim("m", "./a.png"))
    _png(folder / "a.png")
    first = lg.ingest_usd(folder, project="demo", asset="prop/same", kind="ModelAsset")
    again = lg.ingest_usd(folder, project="demo", asset="prop/same")
    assert first.status == "ok" and again.status == "skipped" and again.uri == first.uri
    assert again.extra["textures"][0].uri == first.extra["textures"][0].uri
