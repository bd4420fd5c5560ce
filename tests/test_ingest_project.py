"""`legos ingest project` / `legos ingest apply`: an existing publish tree scanned by its path
template into an editable plan (kinds, entries, dependencies read from USD, MTL, OBJ and glTF
files, publish order), then published idempotently; on both backends."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

pytest.importorskip("pxr")

from legos.ingest.project import SCHEMA, make_plan

TEMPLATE = "{asset}/v{version:03}/{file}"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _textured(name: str, texture: str, geometry: bool = True) -> str:
    mesh = f'    def Mesh "{name}_geo" {{}}\n' if geometry else ""
    return f'''#usda 1.0
def Xform "{name}"
{{
{mesh}    def Material "mat"
    {{
        token outputs:surface.connect = </{name}/mat/surface.outputs:surface>
        def Shader "surface"
        {{
            uniform token info:id = "UsdPreviewSurface"
            color3f inputs:diffuseColor.connect = </{name}/mat/tex.outputs:rgb>
            token outputs:surface
        }}
        def Shader "tex"
        {{
            uniform token info:id = "UsdUVTexture"
            asset inputs:file = @{texture}@
            float3 outputs:rgb
        }}
    }}
}}
'''


@pytest.fixture
def tree(tmp_path: Path, shared_assets: Path) -> Path:
    """A small show: textures, a chair with v001 and v003 (no v002) whose layers name a
    texture of another asset, a material-only layer, a set referencing the chair's v003 and
    sublayering the look, the cow OBJ+MTL using a texture of another asset, the stool glTF
    using images of another asset, a brief, and a README outside every version."""
    root = tmp_path / "show"
    cesium = shared_assets / "cesium_obj_box_complex_material"
    cow = shared_assets / "keenan_spot_cow_obj"
    stool = shared_assets / "polyhaven_painted_wooden_stool_gltf"
    for number, image in ((1, "diffuse.png"), (2, "bump.png")):
        folder = root / f"tex/wood/v{number:03}"
        folder.mkdir(parents=True)
        shutil.copyfile(cesium / image, folder / "wood.png")
    (root / "tex/cow/v001").mkdir(parents=True)
    shutil.copyfile(cow / "cow_texture.png", root / "tex/cow/v001/cow_texture.png")
    shutil.copytree(stool / "textures", root / "tex/stool/v001")
    for number, texture in ((1, 1), (3, 2)):
        _write(root / f"prop/chair/v{number:03}/chair.usda",
               _textured("chair", f"../../../tex/wood/v{texture:03}/wood.png"))
    _write(root / "mat/wood/v001/wood_look.usda",
           _textured("looks", "../../../tex/wood/v001/wood.png", geometry=False))
    _write(root / "set/room/v001/room.usda", '''#usda 1.0
(
    subLayers = [@./layout/room_layout.usda@, @../../../mat/wood/v001/wood_look.usda@]
)
def Xform "room" {}
''')
    _write(root / "set/room/v001/layout/room_layout.usda", '''#usda 1.0
def Xform "room"
{
    def "chair" (references = @../../../../prop/chair/v003/chair.usda@) {}
}
''')
    (root / "prop/cow/v001").mkdir(parents=True)
    shutil.copyfile(cow / "cow.obj", root / "prop/cow/v001/cow.obj")
    _write(root / "prop/cow/v001/cow.mtl",
           "newmtl material_1\nmap_Kd ../../../tex/cow/v001/cow_texture.png  # the hide\n")
    gltf = json.loads((stool / "painted_wooden_stool_1k.gltf").read_text())
    for image in gltf["images"]:
        image["uri"] = "../../../tex/stool/v001/" + image["uri"].rsplit("/", 1)[-1]
    _write(root / "prop/stool/v001/stool.gltf", json.dumps(gltf))
    shutil.copyfile(stool / "painted_wooden_stool.bin",
                    root / "prop/stool/v001/painted_wooden_stool.bin")
    _write(root / "doc/brief/v001/brief.txt", "make it cosy\n")
    _write(root / "README.txt", "the old show\n")
    return root


def _tree_state(root: Path) -> dict[str, tuple[str, int]]:
    """Every file's content hash and modification time: what 'untouched' means."""
    return {str(p.relative_to(root)): (hashlib.sha256(p.read_bytes()).hexdigest(),
                                       p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def _by_asset(plan) -> dict[tuple[str, int], dict]:
    return {(v["asset"], v["version"]): v for v in plan.data["versions"]}


def _deps(item: dict) -> set[tuple[str, str, int]]:
    return {(d["role"], d["asset"], d["version"]) for d in item["dependencies"]}


def _plan(tree: Path, tmp_path: Path, **kwargs):
    plan = make_plan(tree, template=TEMPLATE, project="demo", **kwargs)
    plan.save(tmp_path / "plan.json")
    return plan


# -- the plan (no store) --------------------------------------------------------------------

@pytest.mark.assets
def test_plan_guesses_kinds_and_entries_and_reads_dependencies_from_usd_mtl_gltf(tree, tmp_path):
    plan = _plan(tree, tmp_path)
    assert plan.data["schema"] == SCHEMA
    items = _by_asset(plan)
    kinds = {key: v["kind"] for key, v in items.items()}
    assert kinds == {("tex/wood", 1): "TextureAsset", ("tex/wood", 2): "TextureAsset",
                     ("tex/cow", 1): "TextureAsset", ("tex/stool", 1): "TextureAsset",
                     ("prop/chair", 1): "ModelAsset", ("prop/chair", 3): "ModelAsset",
                     ("mat/wood", 1): "MaterialAsset", ("set/room", 1): "ModelAsset",
                     ("prop/cow", 1): "ModelAsset", ("prop/stool", 1): "ModelAsset",
                     ("doc/brief", 1): "FileAsset"}
    assert items[("set/room", 1)]["entry"] == "room.usda"  # the root layer, not its sublayer
    assert items[("prop/cow", 1)]["entry"] == "cow.obj"
    assert items[("prop/stool", 1)]["entry"] == "stool.gltf"
    stool_tex = items[("tex/stool", 1)]
    assert stool_tex["entry"] is None and "no entry" in stool_tex["notes"][0]

    assert _deps(items[("prop/chair", 1)]) == {("base_color", "tex/wood", 1)}
    assert _deps(items[("prop/chair", 3)]) == {("base_color", "tex/wood", 2)}
    assert _deps(items[("mat/wood", 1)]) == {("base_color", "tex/wood", 1)}
    # the local sublayer is no dependency; the chair reached through it and the look are
    assert _deps(items[("set/room", 1)]) == {("model", "prop/chair", 3),
                                             ("material", "mat/wood", 1)}
    assert _deps(items[("prop/cow", 1)]) == {("base_color", "tex/cow", 1)}
    assert _deps(items[("prop/stool", 1)]) == {("base_color_metallic_roughness_normal",
                                                "tex/stool", 1)}
    assert plan.data["unmatched"] == ["README.txt"]
    assert all(not r.failed for r in plan.records)


@pytest.mark.assets
def test_plan_lists_dependencies_first_and_numbers_each_asset_without_gaps(tree, tmp_path):
    plan = _plan(tree, tmp_path)
    keys = [(v["asset"], v["version"]) for v in plan.data["versions"]]
    place = {key: i for i, key in enumerate(keys)}
    for item in plan.data["versions"]:
        for dep in item["dependencies"]:
            assert place[(dep["asset"], dep["version"])] < place[(item["asset"], item["version"])]
    assert place[("prop/chair", 1)] < place[("prop/chair", 3)]
    assert place[("tex/wood", 1)] < place[("tex/wood", 2)]
    chair = _by_asset(plan)[("prop/chair", 3)]
    assert chair["store_version"] == 2  # v001, v003 -> versions 1, 2
    record = next(r for r in plan.records if r.extra["asset"] == "prop/chair"
                  and r.extra["source_version"] == 3)
    assert record.uri == "legos:/demo/prop/chair?version=2" and record.extra["version"] == 2


def test_plan_fails_a_cycle_and_a_version_the_tree_lacks_item_by_item(tmp_path):
    root = tmp_path / "show"
    _write(root / "a/v001/a.usda", '#usda 1.0\ndef "x" (references = @../../b/v001/b.usda@) {}\n')
    _write(root / "b/v001/b.usda", '#usda 1.0\ndef "x" (references = @../../a/v001/a.usda@) {}\n')
    _write(root / "c/v001/c.usda", '#usda 1.0\ndef "x" (references = @../../a/v001/a.usda@) {}\n')
    _write(root / "d/v001/d.usda", '#usda 1.0\ndef "x" (references = @../../e/v002/e.usda@) {}\n')
    _write(root / "e/v001/e.usda", "#usda 1.0\n")
    plan = make_plan(root, template=TEMPLATE, project="demo")
    errors = {r.extra["asset"]: r.error for r in plan.records}
    assert "is in a dependency cycle (a v001 -> b v001 -> a v001" in errors["a"]
    assert "is in a dependency cycle (b v001 -> a v001 -> b v001" in errors["b"]
    assert "waits on a dependency cycle" in errors["c"]
    assert "version 2 of e, which the tree does not have" in errors["d"]
    assert errors["e"] is None
    assert [r.status for r in plan.records if r.extra["asset"] == "e"] == ["ok"]


def test_an_assets_versions_keep_number_order_even_when_only_the_first_waits(tmp_path):
    root = tmp_path / "show"
    outside = _write(tmp_path / "elsewhere/lib.usda", "#usda 1.0\n")
    _write(root / "a/v001/a.usda", '#usda 1.0\ndef "x" (references = @../../z/v001/z.usda@) {}\n')
    _write(root / "a/v002/a.usda", f'#usda 1.0\ndef "x" (references = @{outside}@) {{}}\n')
    _write(root / "z/v001/z.usda", "#usda 1.0\n")
    plan = make_plan(root, template=TEMPLATE, project="demo")
    keys = [(v["asset"], v["version"]) for v in plan.data["versions"]]
    assert keys == [("z", 1), ("a", 1), ("a", 2)]  # a v002 waits for a v001, not just for z
    a2 = _by_asset(plan)[("a", 2)]
    assert a2["dependencies"] == [] and "outside the tree: not a dependency" in a2["notes"][0]


def test_kind_rules_beat_a_kind_folder_which_beats_the_files(tmp_path):
    root = tmp_path / "show"
    _write(root / "HdrAsset/env/sky/v001/sky.png", "not really an image")
    _write(root / "textures/tex/rock/v001/rock.png", "not really an image")
    _write(root / "textures/misc/notes/v001/rock.png", "not really an image")
    plan = make_plan(root, template="{kind}/{asset}/v{version:03}/{file}", project="demo",
                     kind_rules=["misc/*=FileAsset"])
    items = _by_asset(plan)
    assert (items[("env/sky", 1)]["kind"], items[("env/sky", 1)]["kind_from"]) == \
        ("HdrAsset", "template")
    rock = items[("tex/rock", 1)]
    assert rock["kind"] == "TextureAsset" and rock["kind_from"] == "files: images only"
    assert "the kind folder 'textures' names no kind" in rock["notes"][0]
    assert items[("misc/notes", 1)]["kind"] == "FileAsset"
    assert items[("misc/notes", 1)]["kind_from"] == "rule misc/*=FileAsset"


@pytest.mark.parametrize("template, message", [
    ("{asset}/{file}", "needs {asset} and {version}"),
    ("{asset}/v{version:03}", "end with '/{file}'"),
    ("{asset}/v{version:03}/{shot}/{file}", "uses the field {shot}"),
    ("{asset}_v{version:03}/{file}", "must put {version} in a folder below {asset}'s"),
    ("{asset}/v{version:03/{file}", "does not parse"),
])
def test_a_bad_template_is_one_clear_error(tmp_path, template, message):
    from legos.errors import IngestError

    (tmp_path / "show").mkdir()
    with pytest.raises(IngestError, match=None) as raised:
        make_plan(tmp_path / "show", template=template, project="demo")
    assert message in str(raised.value) and "\n" not in str(raised.value)


# -- apply, on both backends ------------------------------------------------------------------

def _set_entry(tmp_path: Path, asset: str, entry: str) -> Path:
    """The plan edited by hand, as a person would: name the entry the scan could not tell."""
    path = tmp_path / "plan.json"
    data = json.loads(path.read_text())
    next(v for v in data["versions"] if v["asset"] == asset)["entry"] = entry
    path.write_text(json.dumps(data))
    return path


@pytest.mark.assets
def test_apply_publishes_in_order_with_mapped_dependencies_then_skips_it_all(lg, tree, tmp_path):
    before = _tree_state(tree)
    _plan(tree, tmp_path)
    plan = _set_entry(tmp_path, "tex/stool", "painted_wooden_stool_diff_1k.jpg")
    records = lg.ingest_apply(plan)
    assert [r.error for r in records if r.failed] == []
    assert {r.status for r in records} == {"ok"} and len(records) == 11
    chair = lg.show("legos:/demo/prop/chair?version=2")
    assert chair.provenance["source_version"] == 3 and chair.entry == "chair.usda"
    room = {(d.asset, d.version, d.role) for d in lg.dependencies("legos:/demo/set/room?version=1",
                                                                   depth=1)}
    assert room == {("prop/chair", 2, "model"), ("mat/wood", 1, "material")}
    assert {r.name for r in lg.show("legos:/demo/set/room?version=1").representations} == \
        {"room.usda", "layout/room_layout.usda"}  # the version folder's layout kept
    stool = lg.show("legos:/demo/prop/stool?version=1")
    assert stool.kind == "ModelAsset" and stool.entry == "stool.gltf"
    assert lg.show("legos:/demo/tex/stool?version=1").entry == "painted_wooden_stool_diff_1k.jpg"

    again = lg.ingest_apply(plan)
    assert {r.status for r in again} == {"skipped"}
    assert all("already in the store" in r.extra["action"] for r in again)
    assert len(lg.history("legos:/demo/prop/chair")) == 2
    assert _tree_state(tree) == before  # the originals were only read


@pytest.mark.assets
def test_a_changed_file_fails_naming_both_hashes_and_what_depends_on_it(lg, tree, tmp_path):
    _plan(tree, tmp_path)
    plan = _set_entry(tmp_path, "tex/stool", "painted_wooden_stool_diff_1k.jpg")
    first = {r.uri: r for r in lg.ingest_apply(plan)}
    old_hash = lg.show("legos:/demo/tex/wood?version=1").content_hash
    with open(tree / "tex/wood/v001/wood.png", "ab") as stream:
        stream.write(b"retouched")
    records = {r.uri: r for r in lg.ingest_apply(plan)}
    wood = records["legos:/demo/tex/wood?version=1"]
    assert wood.failed and old_hash in wood.error
    new_hash = wood.error.split("has content ")[1].split(":")[0]
    assert len(new_hash) == 64 and new_hash != old_hash
    for uri in ("legos:/demo/prop/chair?version=1", "legos:/demo/mat/wood?version=1",
                "legos:/demo/prop/chair?version=2", "legos:/demo/tex/wood?version=2"):
        assert records[uri].failed, uri  # a dependency, or the asset's earlier version
    assert "depends on version 1 of tex/wood, which failed" in \
        records["legos:/demo/mat/wood?version=1"].error
    assert "source version 1 of tex/wood failed" in records["legos:/demo/tex/wood?version=2"].error
    assert records["legos:/demo/prop/cow?version=1"].status == "skipped"
    assert set(records) == set(first)


@pytest.mark.assets
def test_a_version_failing_in_the_batch_fails_what_follows_it_and_nothing_of_it_remains(
        lg, tree, tmp_path):
    _plan(tree, tmp_path)
    plan = _set_entry(tmp_path, "tex/stool", "painted_wooden_stool_diff_1k.jpg")
    (tree / "tex/wood/v001/wood.png").unlink()  # gone between planning and applying
    records = {r.uri: r for r in lg.ingest_apply(plan)}
    assert "wood.png" in records["legos:/demo/tex/wood?version=1"].error
    assert "source version 1 of tex/wood failed" in records["legos:/demo/tex/wood?version=2"].error
    assert "depends on version 1 of tex/wood, which failed" in \
        records["legos:/demo/mat/wood?version=1"].error
    assert records["legos:/demo/prop/cow?version=1"].status == "ok"
    assert lg.show("legos:/demo/prop/cow?version=1").number == 1
    assert not any(a.path == "demo/tex/wood" for a in lg.assets("demo"))
    assert not (tmp_path / "publish" / "demo" / "tex" / "wood").exists()


@pytest.mark.assets
def test_dry_run_publishes_nothing_and_says_what_it_would(lg, tree, tmp_path):
    _plan(tree, tmp_path)
    plan = _set_entry(tmp_path, "tex/stool", "painted_wooden_stool_diff_1k.jpg")
    seen: list[tuple[int, int]] = []
    records = lg.ingest_apply(plan, dry_run=True, progress=lambda *a: seen.append(a))
    assert {(r.status, r.extra["action"]) for r in records} == {("ok", "would publish")}
    assert seen == [(i, 11) for i in range(1, 12)]
    assert "legos:/demo/prop/chair?version=2" in {r.uri for r in records}
    assert lg.assets("demo") == []
    assert not (tmp_path / "publish" / "demo").exists()
    (tree / "prop/cow/v001/cow.mtl").unlink()
    records = {r.uri: r for r in lg.ingest_apply(plan, dry_run=True)}
    assert "cow.mtl' does not exist" in records["legos:/demo/prop/cow?version=1"].error


@pytest.mark.assets
def test_an_undecided_entry_fails_its_item_and_what_depends_on_it_others_publish(lg, tree,
                                                                                tmp_path):
    records = {r.extra["asset"]: r for r in lg.ingest_apply(_plan(tree, tmp_path).data)}
    assert records["tex/stool"].failed and "--entry" in records["tex/stool"].error
    assert records["prop/stool"].failed and "tex/stool" in records["prop/stool"].error
    assert records["set/room"].status == "ok"


def test_a_cycle_fails_its_versions_at_apply_and_the_rest_publish(lg, tmp_path):
    root = tmp_path / "show"
    _write(root / "a/v001/a.usda", '#usda 1.0\ndef "x" (references = @../../b/v001/b.usda@) {}\n')
    _write(root / "b/v001/b.usda", '#usda 1.0\ndef "x" (references = @../../a/v001/a.usda@) {}\n')
    _write(root / "e/v001/e.usda", "#usda 1.0\n")
    plan = make_plan(root, template=TEMPLATE, project="demo").data
    for item in plan["versions"]:   # the person cleared the scan's verdicts but not the cycle
        item["error"] = None
    records = {r.extra["asset"]: r for r in lg.ingest_apply(plan)}
    assert records["a"].failed and "dependency cycle" in records["a"].error
    assert records["b"].failed and records["e"].status == "ok"


def test_an_edited_plan_publishes_its_own_file_list_with_the_layout(lg, tmp_path):
    root = tmp_path / "show"
    _write(root / "prop/lamp/v001/lamp.usda", '#usda 1.0\n(\n subLayers = [@geo/shade.usda@]\n)\n')
    _write(root / "prop/lamp/v001/geo/shade.usda", "#usda 1.0\n")
    _write(root / "prop/lamp/v001/geo/scratch.usda", "#usda 1.0\n")
    plan = make_plan(root, template=TEMPLATE, project="demo").data
    lamp = plan["versions"][0]
    lamp["files"] = [f for f in lamp["files"] if f["name"] != "geo/scratch.usda"]
    (record,) = lg.ingest_apply(plan)
    assert record.status == "ok", record.error
    version = lg.show(record.uri)
    assert {r.name for r in version.representations} == {"lamp.usda", "geo/shade.usda"}


def test_a_store_version_with_the_number_taken_by_other_work_fails_the_ingest(lg, tmp_path,
                                                                              make_file):
    root = tmp_path / "show"
    _write(root / "doc/brief/v001/brief.txt", "one\n")
    _write(root / "doc/brief/v002/brief.txt", "two\n")
    lg.publish("demo", "doc/brief", kind="FileAsset", files=[make_file("brief.txt", "other")])
    records = lg.ingest_apply(make_plan(root, template=TEMPLATE, project="demo"))
    assert records[0].failed and "is in the store with content" in records[0].error
    assert "source version 1 of doc/brief failed" in records[1].error
    assert len(lg.history("legos:/demo/doc/brief")) == 1


@pytest.mark.parametrize("edit, message", [
    (lambda d: d.update(schema="other/1"), "is not a legos.ingest-plan/1 plan"),
    (lambda d: d["versions"][0].update(version="1"), "versions[0].version must be int"),
    (lambda d: d["versions"][0]["files"][0].update(name="../../etc/passwd"),
     "versions[0].files[0].name '../../etc/passwd' must be a path inside the version folder"),
    (lambda d: d["versions"][0].update(dependencies=[{"role": "x"}]),
     "versions[0].dependencies[0] must be"),
])
def test_a_bad_plan_is_one_clear_error_naming_the_field(lg, tmp_path, edit, message):
    from legos.errors import IngestError

    _write(tmp_path / "show/doc/brief/v001/brief.txt", "one\n")
    data = make_plan(tmp_path / "show", template=TEMPLATE, project="demo").data
    edit(data)
    with pytest.raises(IngestError) as raised:
        lg.ingest_apply(data)
    assert message in str(raised.value) and "\n" not in str(raised.value)
    assert lg.assets("demo") == []


# -- the CLI ----------------------------------------------------------------------------------

@pytest.mark.assets
def test_cli_plans_applies_and_reapplies(run, tree, tmp_path):
    plan = tmp_path / "plan.json"
    planned = run("ingest", "project", str(tree), "--template", TEMPLATE, "--project", "demo",
                  "-o", str(plan), "--json")
    records = json.loads(planned.stdout)
    assert {r["source_version"] for r in records if r["asset"] == "prop/chair"} == {1, 3}
    assert "1 file(s) outside every version folder" in planned.stderr
    assert json.loads(plan.read_text())["schema"] == SCHEMA
    _set_entry(tmp_path, "tex/stool", "painted_wooden_stool_diff_1k.jpg")

    dry = run("ingest", "apply", str(plan), "--dry-run")
    assert "would   legos:/demo/prop/chair?version=2 <- " in dry.stdout
    applied = json.loads(run("ingest", "apply", str(plan), "--json").stdout)
    assert {r["status"] for r in applied} == {"ok"}
    again = run("ingest", "apply", str(plan))
    assert again.stdout.count("skipped ") == 11 and "already in the store" in again.stdout


@pytest.mark.assets
def test_cli_exits_1_after_every_item_when_one_failed(run, tree, tmp_path):
    plan = tmp_path / "plan.json"
    run("ingest", "project", str(tree), "--template", TEMPLATE, "--project", "demo",
        "-o", str(plan))
    result = run("ingest", "apply", str(plan), "--json", ok=False)
    assert result.exit_code == 1
    records = json.loads(result.stdout)
    assert sum(r["status"] == "failed" for r in records) == 2 and len(records) == 11


@pytest.mark.parametrize("args, message", [
    (["ingest", "project", "{tmp}/nope", "--template", TEMPLATE, "--project", "demo",
      "-o", "{tmp}/p.json"], "the tree to ingest"),
    (["ingest", "project", "{tmp}", "--template", "{asset}/{file}", "--project", "demo",
      "-o", "{tmp}/p.json"], "needs {asset} and {version}"),
    (["ingest", "project", "{tmp}", "--template", TEMPLATE, "--project", "demo",
      "--kind-rule", "tex/*", "-o", "{tmp}/p.json"], "is not PATTERN=KIND"),
    (["ingest", "apply", "{tmp}/bad.json"], "is not JSON (line 1"),
    (["ingest", "apply", "{tmp}/missing.json"], "does not exist: write one with"),
])
def test_cli_bad_input_is_one_clear_line(run, tmp_path, args, message):
    (tmp_path / "bad.json").write_text("{nope")
    result = run(*[a.replace("{tmp}", str(tmp_path)) for a in args], ok=False)
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.output
    assert result.stderr.startswith("legos: error: ") and result.stderr.count("\n") == 1


def test_symlinked_version_folder_and_unreadable_layer_are_reported_not_raised(tmp_path):
    root = tmp_path / "show"
    _write(root / "a/v001/a.usda", "#usda 1.0\n")
    os.symlink(root / "a/v001", root / "a/v002")
    _write(root / "b/v001/b.usda", "this is not usd")
    plan = make_plan(root, template=TEMPLATE, project="demo")
    items = _by_asset(plan)
    assert "is a symlink to" in items[("a", 2)]["error"]
    assert any("USD cannot read b.usda" in n for n in items[("b", 1)]["notes"])
