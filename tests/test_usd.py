"""USD and legos: dependency analysis, freezing to a manifest, pins directories, identity, CLI.

Real third-party assets (../shared/assets) where they exist, small generated layers where the
content must be controlled (a cube whose size differs between versions).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

pxr = pytest.importorskip("pxr")
from pxr import Sdf, Usd, UsdUtils  # noqa: E402

from legos.pins.manifest import Manifest, Pin, PinnedFile  # noqa: E402
from legos.usd import (  # noqa: E402
    analyse_dependencies,
    build_pins_dir,
    freeze,
    read_identity,
    resolver_context,
    stamp_identity,
)
from legos.usd.errors import (  # noqa: E402
    AmbiguousSearchPathError,
    FreezeVerificationError,
    IdentityError,
    MissingPinnedFileError,
    OutputFolderError,
    PinsDirError,
    UnpinnedAssetError,
    UsdFileError,
)

ROOK = "usdwg_openchessset_rook/assets/Rook"
TEAPOT = "usdwg_teapot"
CAR_KIT = "usdwg_usd_mini_car_kit/USD_Mini_Car_Kit"


# -- helpers --------------------------------------------------------------------------------

def pin_of(lg, uri: str) -> Pin:
    """The pin of one published version, as the pin-set code will write it."""
    version = lg.show(uri)
    files = {r.name: PinnedFile(Path(r.path).relative_to(lg.root).as_posix(), r.sha256)
             for r in version.representations}
    return Pin(f"{version.project}/{version.asset}", version.number, version.uid, version.kind, files)


def manifest_of(lg, *uris: str, scopes: dict[str, list[str]] | None = None) -> Manifest:
    manifest = Manifest(name="test", uid="m-1", created_by="test", created_at="2026-11-22T00:00:00Z",
                        root=str(lg.root))
    for uri in uris:
        manifest.add(pin_of(lg, uri))
    for scope, scoped in (scopes or {}).items():
        for uri in scoped:
            manifest.add(pin_of(lg, uri), scope)
    return manifest


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def model_folder(folder: Path, size: float, texture: str = "./tex/albedo.png") -> Path:
    """A tiny model: model.usda references ./geo.usda (a cube of `size`) and a texture."""
    write(folder / "geo.usda", f'#usda 1.0\n(\n    defaultPrim = "Geo"\n)\n\n'
                               f'def Cube "Geo"\n{{\n    double size = {size}\n}}\n')
    write(folder / "model.usda", '#usda 1.0\n(\n    defaultPrim = "Model"\n)\n\n'
                                 'def Xform "Model"\n{\n'
                                 f'    asset albedo = @{texture}@\n'
                                 '    def "Geo" (\n        references = @./geo.usda@\n    )\n'
                                 '    {\n    }\n}\n')
    if texture.startswith("./"):
        write(folder / texture, f"png of size {size}")
    return folder


def shot(path: Path, *references: str) -> Path:
    prims = "".join(f'    def "A{i}" (\n        references = @{ref}@\n    )\n    {{\n    }}\n'
                    for i, ref in enumerate(references))
    return write(path, f'#usda 1.0\n\ndef "World"\n{{\n{prims}}}\n')


def add_texture(layer: Path, name: str, path: str) -> None:
    """Author `asset <name> = @path@` on /World of a layer."""
    edit = Sdf.Layer.FindOrOpen(str(layer))
    Sdf.AttributeSpec(edit.GetPrimAtPath("/World"), name, Sdf.ValueTypeNames.Asset).default = \
        Sdf.AssetPath(path)
    edit.Save()


def size_of(stage, prim: str = "/World/A0/Geo") -> float:
    return stage.GetPrimAtPath(prim).GetAttribute("size").Get()


def publish_models(lg, tmp_path: Path, asset: str = "chr/a", sizes=(1, 2)) -> list[str]:
    uris = []
    for size in sizes:
        folder = model_folder(tmp_path / "src" / f"{asset}-{size}", size)
        uris.append(lg.publish("demo", asset, kind="ModelAsset", files=[folder]).uri)
    return uris


def file_of(lg, uri: str, name: str) -> str:
    return next(r.path for r in lg.show(uri).representations if r.name == name)


# -- dependency analysis --------------------------------------------------------------------

def test_deps_map_every_layer_and_asset_of_a_published_file_to_its_version(lg, shared_assets):
    v1 = lg.publish("demo", "chess/rook", kind="ModelAsset", files=[shared_assets / ROOK])
    lg.publish("demo", "chess/rook", kind="ModelAsset", files=[shared_assets / ROOK])
    found = analyse_dependencies(lg, file_of(lg, v1.uri, "Rook.usd"))
    assert found[0].type == "layer" and found[0].path.endswith("/v001/Rook.usd")
    assert {(d.type, d.rep) for d in found} == {
        ("layer", "Rook.usd"), ("layer", "Rook_payload.usd"), ("layer", "Rook_look.usd"),
        ("layer", "Rook_geom.usd"), ("asset", "Rook_mat.mtlx")}
    assert {d.uri for d in found} == {v1.uri}  # v1's files, though v2 has the same content
    assert all(d.managed and d.copy_of is None for d in found)


def test_deps_find_copies_by_content_and_report_unmanaged_and_unresolved(lg, shared_assets, tmp_path):
    teapot = lg.publish("demo", "props/teapot", kind="ModelAsset", files=[shared_assets / TEAPOT])
    # the shared folder is where the published files came from: byte-identical copies
    found = analyse_dependencies(lg, shared_assets / TEAPOT / "Teapot.usd")
    assert len(found) == 6 + 14
    assert all(not d.managed and d.copy_of == teapot.uri for d in found)
    assert {d.rep for d in found if d.type == "asset"} >= {"textures/tea_set_01_diff_2k.jpg",
                                                          "cards/Utah/XPos.png"}

    write(tmp_path / "work" / "local.png", "not published")
    layer = shot(tmp_path / "work" / "shot.usda", "./missing.usda", "chr/nowhere/model.usda")
    add_texture(layer, "texture", "./local.png")
    by_type: dict[str, list] = {}
    for dep in analyse_dependencies(lg, layer):
        by_type.setdefault(dep.type, []).append(dep)
    assert [(d.path, d.managed, d.copy_of) for d in by_type["layer"]] == [(str(layer), False, None)]
    assert [(d.path, d.managed) for d in by_type["asset"]] == [(str(tmp_path / "work" / "local.png"), False)]
    assert sorted(d.path for d in by_type["unresolved"]) == sorted(
        [str(tmp_path / "work" / "missing.usda"), "chr/nowhere/model.usda"])


def test_deps_of_a_missing_or_non_usd_file_are_clear_errors(lg, tmp_path):
    with pytest.raises(UsdFileError, match="does not exist"):
        analyse_dependencies(lg, tmp_path / "nope.usda")
    with pytest.raises(UsdFileError, match="is not a USD file"):
        analyse_dependencies(lg, write(tmp_path / "notes.txt", "hello"))
    with pytest.raises(UsdFileError, match=r"USD cannot read .*broken\.usda"):
        analyse_dependencies(lg, write(tmp_path / "broken.usda", "hello"))


# -- freeze ---------------------------------------------------------------------------------

def test_freeze_points_every_spelling_of_an_asset_at_its_pinned_version(lg, tmp_path):
    v1, v2 = publish_models(lg, tmp_path)
    work = tmp_path / "work"
    source = shot(work / "shot.usda",
                  os.path.relpath(file_of(lg, v1, "model.usda"), work),  # v1 by relative path
                  "chr/a/model.usda",                                    # search path
                  "legos:/demo/chr/a?rep=model.usda")                    # legos URI
    result = freeze(source, manifest_of(lg, v2), tmp_path / "out")

    assert result.output == tmp_path / "out" / "shot.usda"
    assert list(result.copies.values()) == ["shot.usda"]  # the model's own layers are used in place
    stage = Usd.Stage.Open(str(result.output))
    assert [size_of(stage, f"/World/A{i}/Geo") for i in range(3)] == [2.0, 2.0, 2.0]
    pinned_model = file_of(lg, v2, "model.usda")
    assert {p.target for p in result.paths if p.layer == str(source)} == {pinned_model}
    assert {p.uri for p in result.paths} == {v2}
    _, _, unresolved = UsdUtils.ComputeAllDependencies(str(result.output))
    assert unresolved == []
    record = json.loads((tmp_path / "out" / "legos-freeze.json").read_text())
    assert record["output"] == "shot.usda" and record["manifest"]["uid"] == "m-1"


def test_freeze_copies_pinned_layers_whose_own_references_change(lg, tmp_path):
    # a texture asset with UDIM tiles, two versions; the model's v1 names the texture's v1
    for n in (1, 2):
        for tile in (1001, 1002):
            write(tmp_path / "src" / f"tex{n}" / f"albedo.{tile}.png", f"tile {tile} of v{n}")
        lg.publish("demo", "chr/a/tex", kind="TextureAsset", files=[tmp_path / "src" / f"tex{n}"])
    model = model_folder(tmp_path / "src" / "model", 1, texture="../tex/v001/albedo.<UDIM>.png")
    lg.publish("demo", "chr/a", kind="ModelAsset", files=[model])
    source = shot(tmp_path / "work" / "shot.usda", "chr/a/model.usda")
    manifest = manifest_of(lg, "legos:/demo/chr/a?version=1", "legos:/demo/chr/a/tex?version=2")

    result = freeze(source, manifest, tmp_path / "out")

    assert sorted(result.copies.values()) == ["demo/chr/a/v001/model.usda", "shot.usda"]
    copy = Sdf.Layer.FindOrOpen(str(tmp_path / "out" / "demo/chr/a/v001/model.usda"))
    albedo = copy.GetAttributeAtPath("/Model.albedo").default.path
    assert albedo == str(lg.root / "demo/chr/a/tex/v002/albedo.<UDIM>.png")
    assert copy.GetPrimAtPath("/Model/Geo").referenceList.GetAddedOrExplicitItems()[0].assetPath == \
        str(lg.root / "demo/chr/a/v001/geo.usda")
    _, assets, unresolved = UsdUtils.ComputeAllDependencies(str(result.output))
    assert unresolved == []
    assert sorted(assets) == [str(lg.root / f"demo/chr/a/tex/v002/albedo.{t}.png") for t in (1001, 1002)]
    stage = Usd.Stage.Open(str(result.output))
    assert size_of(stage) == 1.0


def test_freeze_of_real_assets_keeps_them_whole(lg, shared_assets, tmp_path):
    rook1 = lg.publish("demo", "chess/rook", kind="ModelAsset", files=[shared_assets / ROOK]).uri
    rook2 = lg.publish("demo", "chess/rook", kind="ModelAsset", files=[shared_assets / ROOK]).uri
    kit = lg.publish("demo", "sets/car_kit", kind="ModelAsset", files=[shared_assets / CAR_KIT]).uri
    work = tmp_path / "work"
    source = shot(work / "shot.usda", file_of(lg, rook1, "Rook.usd"),
                  "sets/car_kit/assets/vehicles/vehicleVariants.usda")

    result = freeze(source, manifest_of(lg, rook2, kit), tmp_path / "out")

    assert list(result.copies.values()) == ["shot.usda"]
    layers, assets, unresolved = UsdUtils.ComputeAllDependencies(str(result.output))
    assert unresolved == []
    reached = [layer.realPath for layer in layers[1:]] + list(assets)
    rook_v2 = str(lg.root / "demo/chess/rook/v002")
    kit_v1 = str(lg.root / "demo/sets/car_kit/v001")
    assert len(reached) == 4 + 1 + 44 + 9  # rook: 4 layers, its .mtlx; the kit: 44 layers, 9 textures
    assert all(path.startswith((rook_v2 + "/", kit_v1 + "/")) for path in reached)
    stage = Usd.Stage.Open(str(result.output))
    assert stage.GetPrimAtPath("/World/A0").GetVariantSets().GetNames() == ["shadingVariant"]
    vehicles = stage.GetPrimAtPath("/World/A1").GetVariantSet("wheels")
    assert len(vehicles.GetVariantNames()) == 7
    for vehicle in vehicles.GetVariantNames():  # each variant composes its own pinned layers
        vehicles.SetVariantSelection(vehicle)
        assert stage.GetPrimAtPath("/World/A1").GetChildren(), vehicle


def test_freeze_follows_the_scope_of_the_manifest(lg, tmp_path):
    v1, v2 = publish_models(lg, tmp_path)
    source = shot(tmp_path / "work" / "shot.usda", "chr/a/model.usda")
    manifest = manifest_of(lg, v2, scopes={"crowd": [v1]})
    hero = freeze(source, manifest, tmp_path / "hero")
    crowd = freeze(source, manifest, tmp_path / "crowd", scope="crowd/row3")
    assert size_of(Usd.Stage.Open(str(hero.output))) == 2.0
    assert size_of(Usd.Stage.Open(str(crowd.output))) == 1.0


def test_freeze_leaves_unmatched_paths_alone_and_reports_them(lg, tmp_path):
    (v2,) = publish_models(lg, tmp_path, sizes=(2,))
    work = tmp_path / "work"
    model_folder(work / "local", 5)  # not published: used in place from its folder
    source = shot(work / "shot.usda", "chr/a/model.usda", "./local/model.usda", "props/unknown/x.usda")
    result = freeze(source, manifest_of(lg, v2), tmp_path / "out")
    left = {(p.authored, p.status) for p in result.left_alone}
    assert left == {("./local/model.usda", "unmanaged"), ("./tex/albedo.png", "unmanaged"),
                    ("./geo.usda", "unmanaged"), ("props/unknown/x.usda", "unmatched")}
    stage = Usd.Stage.Open(str(result.output))
    assert (size_of(stage, "/World/A0/Geo"), size_of(stage, "/World/A1/Geo")) == (2.0, 5.0)
    _, _, unresolved = UsdUtils.ComputeAllDependencies(str(result.output))
    assert unresolved == ["props/unknown/x.usda"]


def test_frozen_copy_still_renders_after_its_folder_moves(lg, tmp_path):
    v1, v2 = publish_models(lg, tmp_path)
    work = tmp_path / "work"
    # a local layer between the shot and the model gets a copy too: copies name each other relatively
    write(work / "layout" / "layout.usda", '#usda 1.0\n(\n    defaultPrim = "World"\n)\n\n'
          f'def "World"\n{{\n    def "A0" (\n        references = @{file_of(lg, v1, "model.usda")}@\n'
          '    )\n    {\n    }\n}\n')
    source = write(work / "shot.usda", '#usda 1.0\n(\n    subLayers = [@./layout/layout.usda@]\n)\n')
    result = freeze(source, manifest_of(lg, v2), tmp_path / "out")
    assert sorted(result.copies.values()) == ["layout/layout.usda", "shot.usda"]
    os.rename(tmp_path / "out", tmp_path / "moved")
    stage = Usd.Stage.Open(str(tmp_path / "moved" / "shot.usda"))
    assert size_of(stage) == 2.0


def test_freeze_checks_the_copy_before_putting_it_in_place(lg, tmp_path, monkeypatch):
    import importlib
    import shutil

    freezing = importlib.import_module("legos.usd.freeze")  # the package's `freeze` is the function

    v1, v2 = publish_models(lg, tmp_path)
    source = shot(tmp_path / "work" / "shot.usda", file_of(lg, v1, "model.usda"))
    # a writer that forgets to rewrite: the copy still names v1, which the manifest does not pin
    monkeypatch.setattr(freezing, "_write_copy", lambda layer, planner, names, copied, folder:
                        shutil.copy(layer, folder / names[layer]))
    with pytest.raises(FreezeVerificationError,
                       match=r"v001/model\.usda is in the publish root but not pinned"):
        freeze(source, manifest_of(lg, v2), tmp_path / "out")
    assert not (tmp_path / "out").exists() and list(tmp_path.glob(".out*")) == []


def test_freeze_names_an_asset_the_manifest_does_not_pin(lg, tmp_path):
    (a,) = publish_models(lg, tmp_path, sizes=(1,))
    (b,) = publish_models(lg, tmp_path, asset="chr/b", sizes=(1,))
    source = shot(tmp_path / "work" / "shot.usda", file_of(lg, a, "model.usda"),
                  file_of(lg, b, "model.usda"))
    with pytest.raises(UnpinnedAssetError, match=r"does not pin legos:/demo/chr/b, which file "
                                                 r"'demo/chr/b/v001/model.usda'.* in .*shot.usda"):
        freeze(source, manifest_of(lg, a), tmp_path / "out")
    uri_shot = shot(tmp_path / "work" / "uri.usda", "legos:/demo/chr/b?rep=model.usda")
    with pytest.raises(UnpinnedAssetError, match="does not pin legos:/demo/chr/b"):
        freeze(uri_shot, manifest_of(lg, a), tmp_path / "out")
    file_shot = shot(tmp_path / "work" / "file.usda", "chr/a/nope.usda")
    with pytest.raises(MissingPinnedFileError, match=r"has no file 'nope\.usda'.*model\.usda"):
        freeze(file_shot, manifest_of(lg, a), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_freeze_refuses_a_search_path_two_projects_match(lg, tmp_path):
    (a,) = publish_models(lg, tmp_path, sizes=(1,))
    other = lg.publish("other", "chr/a", kind="ModelAsset",
                       files=[model_folder(tmp_path / "src" / "other", 3)]).uri
    source = shot(tmp_path / "work" / "shot.usda", "chr/a/model.usda")
    with pytest.raises(AmbiguousSearchPathError, match=r"legos:/demo/chr/a.*legos:/other/chr/a"):
        freeze(source, manifest_of(lg, a, other), tmp_path / "out")


def test_freeze_output_must_be_writable_and_ours(lg, tmp_path):
    (a,) = publish_models(lg, tmp_path, sizes=(1,))
    source = shot(tmp_path / "work" / "shot.usda", "chr/a/model.usda")
    manifest = manifest_of(lg, a)
    blocker = write(tmp_path / "afile", "x")
    with pytest.raises(OutputFolderError, match="cannot write the output folder"):
        freeze(source, manifest, blocker / "out")
    foreign = write(tmp_path / "foreign" / "keep.txt", "mine").parent
    with pytest.raises(OutputFolderError, match="not empty and holds no frozen copy"):
        freeze(source, manifest, foreign)
    assert (foreign / "keep.txt").read_text() == "mine"
    freeze(source, manifest, tmp_path / "out")
    again = freeze(source, manifest, tmp_path / "out")  # an earlier frozen copy is replaced
    assert again.output.is_file()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == []
    with pytest.raises(UsdFileError, match="does not exist"):
        freeze(tmp_path / "none.usda", manifest, tmp_path / "out2")


# -- pins directory ---------------------------------------------------------------------------

def test_pins_directory_composes_the_pinned_versions_and_switches_at_once(lg, tmp_path):
    v1, v2 = publish_models(lg, tmp_path)
    source = shot(tmp_path / "work" / "shot.usda", "chr/a/model.usda")
    pins = tmp_path / "work" / "pins"

    first = build_pins_dir(manifest_of(lg, v1), pins)
    assert pins.is_symlink() and (pins / "chr" / "a").is_symlink() and (pins / "chr" / "a").is_dir()
    assert first.links == {"chr/a": str(lg.root / "demo/chr/a/v001")}
    context = resolver_context(pins)
    stage = Usd.Stage.Open(str(source), context)
    assert size_of(stage) == 1.0
    del stage  # layers stay cached while a stage holds them: see legos.usd.pins_dir

    build_pins_dir(manifest_of(lg, v2), pins)
    assert not first.build.exists()
    assert Path(file_of(lg, v1, "geo.usda")).is_file()  # the old pins went, the files did not
    stage = Usd.Stage.Open(str(source), context)
    assert size_of(stage) == 2.0
    assert Usd.Stage.Open(str(source)).GetPrimAtPath("/World/A0/Geo").IsValid() is False
    # dependency analysis sees through the pins to the versions they name
    found = {Path(d.path).name: d.uri for d in analyse_dependencies(lg, source, pins_dir=pins)}
    assert found == {"shot.usda": None, "model.usda": v2, "geo.usda": v2, "albedo.png": v2}


def test_pins_directory_refuses_what_it_cannot_hold(lg, tmp_path):
    (a,) = publish_models(lg, tmp_path, sizes=(1,))
    nested = lg.publish("demo", "chr/a/tex", kind="TextureAsset",
                        files=[write(tmp_path / "src" / "t.png", "t")]).uri
    other = lg.publish("other", "chr/a", kind="ModelAsset",
                       files=[model_folder(tmp_path / "src" / "other", 3)]).uri
    with pytest.raises(PinsDirError, match="nest"):
        build_pins_dir(manifest_of(lg, a, nested), tmp_path / "pins")
    with pytest.raises(PinsDirError, match="share the asset name 'chr/a'"):
        build_pins_dir(manifest_of(lg, a, other), tmp_path / "pins")
    busy = write(tmp_path / "busy" / "x.txt", "x").parent
    with pytest.raises(PinsDirError, match="not a legos pins directory"):
        build_pins_dir(manifest_of(lg, a), busy)
    scoped = build_pins_dir(manifest_of(lg, a, scopes={"crowd": [nested]}), tmp_path / "pins")
    assert set(scoped.links) == {"chr/a"}  # the scope's pin is not seen from the top


# -- identity ---------------------------------------------------------------------------------

def test_identity_is_stamped_before_publishing_and_read_back_after(lg, tmp_path):
    folder = model_folder(tmp_path / "src" / "model", 1)
    layer = folder / "model.usda"
    assert read_identity(layer) is None
    assert stamp_identity(layer, "legos:/demo/chr/a", 1, "uid-1") == "/Model"
    published = lg.publish("demo", "chr/a", kind="ModelAsset", files=[folder])
    pinned = file_of(lg, published.uri, "model.usda")
    assert read_identity(pinned).__dict__ == {"uri": "legos:/demo/chr/a", "version": 1, "uid": "uid-1"}
    # assetInfo composes through a reference, where layer data does not
    stage = Usd.Stage.Open(str(shot(tmp_path / "work" / "shot.usda", pinned)))
    model = Usd.ModelAPI(stage.GetPrimAtPath("/World/A0"))
    assert (model.GetAssetName(), model.GetAssetVersion()) == ("chr/a", "1")
    assert model.GetAssetIdentifier().resolvedPath == pinned
    assert stage.GetPrimAtPath("/World/A0").GetAssetInfoByKey("legos")["uri"] == "legos:/demo/chr/a"
    found = analyse_dependencies(lg, pinned)
    assert found and all(d.uri == published.uri for d in found)

    with pytest.raises(IdentityError, match=r"read-only .*stamp a working copy"):
        stamp_identity(pinned, "legos:/demo/chr/a", 2, "uid-2")
    with pytest.raises(IdentityError, match="names version 3, not 2"):
        stamp_identity(layer, "legos:/demo/chr/a?version=3", 2, "uid-2")
    with pytest.raises(IdentityError, match="is not a legos URI"):
        stamp_identity(layer, "demo/chr/a", 2, "uid-2")


def test_identity_without_a_default_prim_lives_in_the_layer_data(tmp_path):
    layer = write(tmp_path / "plain.usda", '#usda 1.0\n\ndef "A"\n{\n}\n')
    assert stamp_identity(layer, "legos:/demo/x?version=4", 4, "u") is None
    assert read_identity(layer).version == 4


# -- CLI --------------------------------------------------------------------------------------

@pytest.fixture
def usd_cli():
    import legos.cli.usd  # noqa: F401 - registers the `usd` group (main.py will import it)
    from legos.cli.base import cli

    return cli


def test_every_usd_command_has_help_with_an_example(usd_cli):
    group = usd_cli.commands["usd"]
    assert "Example:" in group.help and "legos usd" in group.help
    assert set(group.commands) == {"assemble", "deps", "freeze", "pins"}
    # every command's help and options: tests/test_cli.py walks the groups too


def test_help_stays_instant_with_the_usd_group(tmp_path):
    code = ("import sys; import legos.cli.usd; from legos.cli.base import cli\n"
            "for args in (['--help'], ['usd', '--help']):\n"
            "    try:\n        cli(args)\n    except SystemExit:\n        pass\n"
            "print('HEAVY', [m for m in ('pxr', 'ladybug', 'neo4j', 'pydantic') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout and "legos usd deps" in out.stdout


def test_cli_deps_freeze_and_pins(lg, usd_cli, tmp_path, store_location, monkeypatch):
    v1, v2 = publish_models(lg, tmp_path)
    work = tmp_path / "work"
    write(work / "local.png", "local")
    copy = work / "copied_geo.usda"
    copy.write_bytes(Path(file_of(lg, v1, "geo.usda")).read_bytes())
    source = shot(work / "shot.usda", os.path.relpath(file_of(lg, v1, "model.usda"), work),
                  "./copied_geo.usda", "./missing.usda")
    add_texture(source, "tex", "./local.png")
    manifest = manifest_of(lg, v2).write(tmp_path / "m.json")
    lg.close()  # the embedded store admits one handle: the CLI opens its own
    monkeypatch.setenv("LEGOS_STORE", store_location)
    runner = CliRunner()

    result = runner.invoke(usd_cli, ["usd", "deps", str(source), "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = {Path(r["path"]).name: r for r in json.loads(result.stdout)}
    assert all(set(r) >= {"path", "type", "uri", "managed", "copy_of"} for r in rows.values())
    assert rows["model.usda"] == {**rows["model.usda"], "type": "layer", "uri": v1, "managed": True,
                                  "copy_of": None}
    assert rows["copied_geo.usda"]["copy_of"] == v1 and rows["copied_geo.usda"]["managed"] is False
    assert rows["local.png"] == {**rows["local.png"], "type": "asset", "uri": None, "copy_of": None}
    assert rows["missing.usda"]["type"] == "unresolved"
    table = runner.invoke(usd_cli, ["usd", "deps", str(source)], catch_exceptions=False).stdout
    assert v1 in table and f"copy of {v1}" in table and "unmanaged" in table

    out = tmp_path / "frozen"
    result = runner.invoke(usd_cli, ["usd", "freeze", str(source), "--pins", str(manifest),
                                     "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out / "shot.usda")
    assert "@./local.png@" in result.stderr and "not managed by legos" in result.stderr
    assert size_of(Usd.Stage.Open(str(out / "shot.usda"))) == 2.0

    result = runner.invoke(usd_cli, ["usd", "pins", str(manifest), "--dir", str(work / "pins"),
                                     "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["links"] == {"chr/a": str(lg.root / "demo/chr/a/v002")}


@pytest.mark.parametrize("args, message", [
    (["usd", "deps", "/no/such/shot.usda"], "does not exist"),
    (["usd", "freeze", "{shot}", "--pins", "/no/m.json", "-o", "{tmp}/o"],
     "manifest '/no/m.json' does not exist"),
    (["usd", "freeze", "{shot}", "--pins", "{manifest}", "-o", "{tmp}/o"], "does not pin legos:/demo/chr/a"),
    (["usd", "pins", "{manifest}", "--dir", "{shot}"], "not a legos pins directory"),
])
def test_cli_usd_errors_are_one_line(usd_cli, tmp_path, monkeypatch, args, message):
    monkeypatch.setenv("LEGOS_STORE", str(tmp_path / "store"))
    source = shot(tmp_path / "shot.usda", "legos:/demo/chr/a")
    manifest = Manifest(name="empty", uid="e", created_by="t", created_at="now",
                        root=str(tmp_path)).write(tmp_path / "m.json")
    values = {"shot": str(source), "manifest": str(manifest), "tmp": str(tmp_path)}
    result = CliRunner().invoke(usd_cli, [a.format(**values) for a in args])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("legos: error: ") and result.stderr.count("\n") == 1
    assert message in result.stderr and "Traceback" not in result.output
