"""The Houdini PDG nodes' translation layer (houdini/python3.11libs/legos_houdini/work_items)
between work items and legos.jobs, on both backends against a real store with real files.

There is no Houdini here and no `pdg` module, so the work items, their holder and the node's
parameters are the small fakes below, implementing legos_houdini.pdg_api's protocols (the
only fakes in this suite: everything behind them is real). The node's parameters come from
the node's own template, so asking for a parameter the template lacks fails the test.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from test_houdini_jobs import USDA, _lookdev  # beside this file (pytest puts tests/ on sys.path)

HOUDINI = Path(__file__).resolve().parent.parent / "houdini"
IN_PROCESS = "in-process"  # stands for pdg.workItemCookType.InProcess
STRING, INT, ALWAYS = "string", "int", "always"  # pdg.attribType.String/Int, attribOverwrite


@pytest.fixture
def wi(monkeypatch: pytest.MonkeyPatch):
    """legos_houdini.work_items, imported as Houdini imports it (python3.11libs on sys.path)."""
    monkeypatch.syspath_prepend(str(HOUDINI / "python3.11libs"))
    return importlib.import_module("legos_houdini.work_items")


@pytest.fixture
def kinds(wi):
    return wi.AttribKinds(STRING, INT, ALWAYS)


# -- the fakes: pdg.File, pdg.WorkItem, pdg.WorkItemHolder, a node's parameters -------------


@dataclass
class FakeFile:
    path: str
    tag: str = ""
    own: bool = False


@dataclass
class FakeItem:
    """A work item: attributes are arrays; a child starts with its parent's attributes, and
    its inputs are its parent's outputs (what PDG does)."""

    parent: FakeItem | None = None
    attribs: dict[str, list[Any]] = field(default_factory=dict)
    inputFiles: list[FakeFile] = field(default_factory=list)
    outputFiles: list[FakeFile] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.parent is not None:
            self.attribs = {k: list(v) for k, v in self.parent.attribs.items()}
            self.inputFiles = list(self.parent.outputFiles)

    def attribArray(self, name: str) -> list[Any] | None:
        return self.attribs.get(name)

    def addAttrib(self, name: str, type: str, overwrite: str) -> None:
        assert type in (STRING, INT) and overwrite == ALWAYS
        self.attribs[name] = []  # Always: the attribute starts afresh

    def _set(self, name: str, value: Any, index: int) -> None:
        values = self.attribs.setdefault(name, [])
        values.extend([None] * (index + 1 - len(values)))
        values[index] = value

    def setStringAttrib(self, name: str, value: str, index: int = 0) -> None:
        assert isinstance(value, str)
        self._set(name, value, index)

    def setIntAttrib(self, name: str, value: int, index: int = 0) -> None:
        assert isinstance(value, int)
        self._set(name, value, index)

    def addOutputFile(self, path: str, tag: str = "", hash_code: int = 0,
                      own: bool = False) -> None:
        self.outputFiles.append(FakeFile(path, tag, own))

    def addError(self, error_message: str, fail_task: bool = False,
                 timestamp: bool = True) -> None:
        self.errors.append(error_message)

    def one(self, name: str) -> Any:
        (value,) = self.attribs[name]
        return value


@dataclass
class FakeHolder:
    items: list[FakeItem] = field(default_factory=list)
    options: list[dict[str, Any]] = field(default_factory=list)

    def addWorkItem(self, **options: Any) -> FakeItem:
        item = FakeItem(options.pop("parent", None))
        self.items.append(item)
        self.options.append(options)
        return item


@dataclass
class FakePort:
    value: str | int | Callable[[FakeItem | None], str]

    def evaluateString(self, work_item: FakeItem | None, index: int) -> str:
        return self.value(work_item) if callable(self.value) else str(self.value)

    def evaluateInt(self, work_item: FakeItem | None, index: int) -> int:
        assert not callable(self.value)
        return int(self.value)


class FakeNode:
    """A node's parameters: its template's defaults, some set; a value may be a function of
    the work item (an @attribute expression)."""

    def __init__(self, node_def: Any, **values: Any) -> None:
        self.values: dict[str, Any] = {p.name: p.value for p in node_def.parms}
        unknown = set(values) - set(self.values)
        assert not unknown, f"not parameters of {node_def.type_name}: {unknown}"
        self.values.update(values)

    def __getitem__(self, name: str) -> FakePort:
        return FakePort(self.values[name])  # KeyError: a parameter the template lacks


# -- Get Package ----------------------------------------------------------------------------


def test_get_package_adds_one_work_item_per_member(wi, kinds, lg, store_location, make_file):
    uris = _lookdev(lg, make_file)
    node = FakeNode(wi.GET_PACKAGE, legos_store=store_location, package_uri=uris["lookdev"])
    holder = FakeHolder()
    assert wi.generate_package_items(node, holder, [], kinds, cookType=IN_PROCESS) == 2
    model, skin = holder.items
    assert holder.options == [{"cookType": IN_PROCESS}] * 2
    assert model.parent is None
    assert {k: model.one(k) for k in ("legos_uri", "legos_asset", "legos_version",
                                      "legos_kind", "legos_slot", "legos_package")} == {
        "legos_uri": uris["model"], "legos_asset": "chr/skaarj/model", "legos_version": 1,
        "legos_kind": "ModelAsset", "legos_slot": "model", "legos_package": uris["lookdev"]}
    assert skin.one("legos_uri") == uris["skin"]
    (entry,) = model.outputFiles
    assert (Path(entry.path).name, entry.tag, entry.own) == ("skaarj.usda", "file/usd", False)
    assert wi.check_package_item(model) and not model.errors


def test_get_package_chooses_per_upstream_item_and_by_rule(wi, kinds, lg, store_location,
                                                           make_file):
    first = _lookdev(lg, make_file, "v1")
    lg.set_status(first["lookdev"], "approved")
    second = _lookdev(lg, make_file, "v2")
    wanted = {"a": "approved", "b": ""}
    upstream = [FakeItem(attribs={"which": [w]}) for w in ("a", "b")]
    node = FakeNode(wi.GET_PACKAGE, legos_store=store_location, project="demo",
                    asset="chr/skaarj/lookdev", recursive=0,
                    status=lambda item: wanted[item.one("which")])
    holder = FakeHolder()
    assert wi.generate_package_items(node, holder, upstream, kinds) == 4
    by_parent = {(i.parent.one("which"), i.one("legos_slot")): i.one("legos_uri")
                 for i in holder.items}
    assert by_parent == {("a", "model"): first["model"], ("a", "skin"): first["skin"],
                         ("b", "model"): second["model"], ("b", "skin"): second["skin"]}


def test_get_package_errors_name_the_fix(wi, kinds, lg, store_location, make_file):
    from legos.errors import ConfigError, LegosError

    uris = _lookdev(lg, make_file)
    with pytest.raises(LegosError, match="not a package"):
        wi.generate_package_items(FakeNode(wi.GET_PACKAGE, legos_store=store_location,
                                           package_uri=uris["model"]), FakeHolder(), [], kinds)
    with pytest.raises(ConfigError, match="LEGOS_STORE"):
        wi.generate_package_items(FakeNode(wi.GET_PACKAGE, legos_store="$LEGOS_STORE",
                                           package_uri=uris["lookdev"]), FakeHolder(), [], kinds)
    holder = FakeHolder()
    wi.generate_package_items(FakeNode(wi.GET_PACKAGE, legos_store=store_location,
                                       package_uri=uris["lookdev"]), holder, [], kinds)
    path = Path(holder.items[0].outputFiles[0].path)
    path.chmod(0o644)
    path.unlink()
    assert not wi.check_package_item(holder.items[0])
    (error,) = holder.items[0].errors
    assert uris["model"] in error and "mounted" in error and "\n" not in error


# -- Publish --------------------------------------------------------------------------------


def _rendered(member: FakeItem, make_file, name: str) -> FakeItem:
    """What a render or ROP node downstream of a member item gives: a child with an output."""
    child = FakeItem(member)
    child.addOutputFile(str(make_file(f"render/{name}", f"pixels of {name}")), "file/image")
    return child


def test_publish_publishes_each_items_outputs_depending_on_its_legos_uri(wi, kinds, lg,
                                                                       store_location, make_file):
    uris = _lookdev(lg, make_file)
    members = FakeHolder()
    wi.generate_package_items(FakeNode(wi.GET_PACKAGE, legos_store=store_location,
                                       package_uri=uris["lookdev"]), members, [], kinds)
    renders = [_rendered(m, make_file, f"{m.one('legos_slot')}.exr") for m in members.items]
    node = FakeNode(wi.PUBLISH, legos_store=store_location, legos_user="ana", project="demo",
                    asset=lambda item: f"chr/skaarj/turntable/{item.one('legos_slot')}",
                    comment="from TOPs", dependency_attribs="legos_uri, legos_package")
    holder = FakeHolder()
    assert wi.generate_publish_items(holder, renders, cookType=IN_PROCESS) == 2
    assert holder.options == [{"cookType": IN_PROCESS}] * 2
    assert lg.assets(pattern="demo/chr/skaarj/turntable/*") == []  # not before the cook
    for item in holder.items:
        assert wi.cook_publish_item(node, item, kinds) and not item.errors
    model_turn = holder.items[0]
    published = model_turn.one("legos_uri")
    assert published == "legos:/demo/chr/skaarj/turntable/model?version=1"
    assert (model_turn.one("legos_kind"), model_turn.one("legos_slot")) == ("RenderAsset", "")
    assert Path(model_turn.outputFiles[-1].path).read_text() == "pixels of model.exr"
    assert {r.uri for r in lg.dependencies(published, depth=1)} == {uris["model"],
                                                                    uris["lookdev"]}
    version = lg.show(published)
    assert (version.created_by, version.comment) == ("ana", "from TOPs")


def test_publish_of_a_gathered_item_depends_on_every_uri_and_then_carries_one(wi, kinds, lg,
                                                                            store_location,
                                                                            make_file):
    """An item gathering several upstream items (a partition, Wait for All) holds several
    legos_uri values: the version depends on them all, and the item then names only it."""
    uris = _lookdev(lg, make_file)
    gathered = FakeItem(attribs={"legos_uri": [uris["model"], uris["skin"]],
                                 "legos_version": [1, 1]})
    gathered.addOutputFile(str(make_file("render/contact.exr", "sheet")), "file/image")
    holder = FakeHolder()
    wi.generate_publish_items(holder, [gathered])
    (item,) = holder.items
    node = FakeNode(wi.PUBLISH, legos_store=store_location, project="demo",
                    asset="chr/skaarj/contact")
    assert wi.cook_publish_item(node, item, kinds)
    published = "legos:/demo/chr/skaarj/contact?version=1"
    assert item.attribs["legos_uri"] == [published] and item.attribs["legos_version"] == [1]
    assert {r.uri for r in lg.dependencies(published, depth=1)} == {uris["model"], uris["skin"]}


def test_publish_failure_is_the_work_items_error_and_publishes_nothing(wi, kinds, lg,
                                                                       store_location, make_file):
    node = FakeNode(wi.PUBLISH, legos_store=store_location, project="demo", asset="fx/smoke",
                    kind="ModelAsset")
    no_files = FakeItem(attribs={"legos_uri": ["legos:/demo/fx/source?version=1"]})
    assert not wi.cook_publish_item(node, FakeItem(no_files), kinds)
    unknown_dep = FakeItem(no_files)
    unknown_dep.inputFiles = [FakeFile(str(make_file("smoke.usda", USDA.format(name="s"))))]
    assert not wi.cook_publish_item(node, unknown_dep, kinds)
    (error,) = unknown_dep.errors
    assert "legos:/demo/fx/source" in error and "\n" not in error
    assert lg.assets() == []


# -- Ingest Texture -------------------------------------------------------------------------


def test_ingest_texture_plans_one_item_per_texture(wi, tmp_path):
    for name in ("wood.1001.png", "wood.1002.png", "rust.png", "notes.txt"):
        (tmp_path / name).write_bytes(b"x")
    node = FakeNode(wi.INGEST_TEXTURE, files=f"{tmp_path}/*.png", prefix="lib/tex")
    holder = FakeHolder()
    assert wi.generate_texture_items(node, holder, []) == 2
    planned = {i.one(wi.ASSET): i for i in holder.items}
    assert set(planned) == {"lib/tex/rust", "lib/tex/wood"}
    assert [Path(p).name for p in planned["lib/tex/wood"].attribs[wi.FILES]] == [
        "wood.1001.png", "wood.1002.png"]
    assert wi.texture_job(planned["lib/tex/wood"]).source.endswith("wood.<UDIM>.png")
    # with inputs: each upstream item's output files
    upstream = FakeItem()
    upstream.addOutputFile(str(tmp_path / "rust.png"))
    holder = FakeHolder()
    node = FakeNode(wi.INGEST_TEXTURE, prefix="lib/tex", files="ignored-with-inputs")
    assert wi.generate_texture_items(node, holder, [upstream]) == 1
    assert holder.items[0].parent is upstream


def test_ingest_texture_cooks_the_texture_step_into_a_version(wi, kinds, lg, store_location,
                                                              shared_assets, tmp_path,
                                                              monkeypatch):
    pytest.importorskip("OpenImageIO", reason="the ingest extra (OpenImageIO) is not installed")
    monkeypatch.setenv("LEGOS_TEXTURE_CACHE", str(tmp_path / "cache"))
    box = shared_assets / "cesium_obj_box_complex_material"
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    node = FakeNode(wi.INGEST_TEXTURE, legos_store=store_location, project="demo",
                    prefix="lib/tex", files=f"{box / 'diffuse.png'} {broken}")
    holder = FakeHolder()
    assert wi.generate_texture_items(node, holder, []) == 2
    good, bad = holder.items
    assert wi.cook_texture_item(node, good, kinds) and not good.errors
    assert good.one("legos_uri") == "legos:/demo/lib/tex/diffuse?version=1"
    assert good.one("legos_kind") == "TextureAsset"
    (entry,) = good.outputFiles
    assert entry.path.endswith("diffuse.exr") and entry.tag == "file/image"
    assert os.path.isfile(entry.path)
    assert not wi.cook_texture_item(node, bad, kinds)
    assert "broken.png" in bad.errors[0]
    assert [a.path for a in lg.assets()] == ["demo/lib/tex/diffuse"]


# -- the node types and the package file ----------------------------------------------------


def test_every_node_template_is_json_naming_its_parameters(wi):
    assert [n.type_name for n in wi.NODES] == [
        "legosgetpackage", "legospublish", "legosingesttexture"]
    for node in wi.NODES:
        body = json.loads(node.template_body())
        assert body["name"] == node.template_name
        names = [p["name"] for p in body["parameters"]]
        assert len(names) == len(set(names)) and "legos_store" in names
        assert {p["type"] for p in body["parameters"]} <= {"String", "Integer"}


def test_each_pdg_type_file_registers_its_node_from_the_translation_layer(wi):
    """The node files import `pdg` (only inside Houdini), so they are read, not run: each
    has registerTypes and a PyProcessor subclass whose callbacks call legos_houdini."""
    files = sorted((HOUDINI / "pdg" / "types").glob("*.py"))
    assert [f.stem for f in files] == ["legos_get_package", "legos_ingest_texture",
                                       "legos_publish"]
    for path in files:
        tree = ast.parse(path.read_text())
        functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        assert "registerTypes" in functions
        (cls,) = [n for n in tree.body if isinstance(n, ast.ClassDef)]
        assert [ast.unparse(b) for b in cls.bases] == ["PyProcessor"]
        methods = {n.name for n in cls.body if isinstance(n, ast.FunctionDef)}
        assert {"templateName", "templateBody", "onGenerate", "onCookTask"} <= methods
        called = {ast.unparse(n.func) for n in ast.walk(cls) if isinstance(n, ast.Call)}
        assert any(c.startswith("work_items.") for c in called)


def test_the_package_file_puts_the_node_types_and_modules_on_houdinis_paths():
    package = json.loads((HOUDINI / "legos.json").read_text())
    env: dict[str, str] = {"HOUDINI_PACKAGE_PATH": str(HOUDINI)}

    def expand(value: str) -> str:
        for name, known in sorted(env.items(), key=lambda kv: -len(kv[0])):
            value = value.replace(f"${name}", known)
        assert "$" not in value, value
        return value

    prepended = []
    for entry in package["env"]:
        env[entry["var"]] = expand(entry["value"])
        if entry.get("method") == "prepend":
            prepended.append(entry["var"])
    assert prepended == ["PYTHONPATH"]
    houdini_path = Path(expand(package["path"]))
    assert (houdini_path / "pdg" / "types" / "legos_publish.py").is_file()
    assert (houdini_path / "python3.11libs" / "legos_houdini" / "work_items.py").is_file()
    assert Path(env["PYTHONPATH"]) == houdini_path / "python3.11libs"
