"""The LOP helpers (houdini/python3.11libs/legos_houdini/lops.py) on a real usd-core stage, the
kind a Python Script LOP edits, on both backends: the shared assemble step applied to it."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

pytest.importorskip("pxr", reason="usd-core is not installed")

HOUDINI = Path(__file__).resolve().parent.parent / "houdini"

MODEL = """#usda 1.0
(
    defaultPrim = "skaarj"
)

def Xform "skaarj"
{
    def Sphere "body"
    {
        double radius = {radius}
    }
}
"""

DEPARTMENT = """#usda 1.0

over "sh0040"
{{
    custom string department = "{name}"
}}
"""


@pytest.fixture
def lops(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.syspath_prepend(str(HOUDINI / "python3.11libs"))
    return importlib.import_module("legos_houdini.lops")


def _uris_on(stage) -> dict[str, str]:
    """legos URI -> prim path, from the assetInfo every composed prim carries."""
    found = {}
    for prim in stage.Traverse():
        info = prim.GetAssetInfoByKey("legos")
        if info:
            found[info["uri"]] = str(prim.GetPath())
    return found


def _model(lg, make_file, radius: float):
    path = make_file(f"model/r{radius}/skaarj.usda", MODEL.replace("{radius}", str(radius)))
    return lg.publish("demo", "chr/skaarj/model", kind="ModelAsset", files=[path])


def test_load_package_composes_the_package_into_the_lops_stage(lops, lg, make_file):
    from pxr import Usd

    model = _model(lg, make_file, 1.0)
    look = lg.publish("demo", "chr/skaarj/lookdev", kind="LookDevPackage", members=[model.uri])
    newer = _model(lg, make_file, 2.0)
    stage = Usd.Stage.CreateInMemory()
    stage.DefinePrim("/already/here")  # what the LOPs above authored stays
    assembly = lops.load_package(stage, look.uri, lg=lg, parent="/world")
    on_stage = _uris_on(stage)
    assert set(on_stage) == {look.uri, model.uri}
    assert all(path.startswith("/world/") for path in on_stage.values())
    body = stage.GetPrimAtPath(on_stage[model.uri] + "/body")
    assert body and body.GetAttribute("radius").Get() == 1.0  # the recorded version's layer
    assert stage.GetPrimAtPath("/already/here")
    assert {m.uri for m in assembly.members} >= {look.uri, model.uri}
    # re-chosen by a selector: the newer model
    latest = Usd.Stage.CreateInMemory()
    lops.load_package(latest, look.uri, select="latest", lg=lg)
    assert newer.uri in _uris_on(latest)


def test_load_shot_sublayers_each_department_and_refuses_other_kinds(lops, lg, make_file):
    from pxr import Usd

    from legos.errors import InvalidInputError

    layers = {name: lg.publish("demo", f"seq010/sh0040/{name}", kind="FileAsset",
                               files=[make_file(f"{name}/{name}.usda",
                                                DEPARTMENT.format(name=name))])
              for name in ("anim", "lighting")}
    shot = lg.publish("demo", "seq010/sh0040/shot", kind="ShotPackage",
                      members=[("anim", layers["anim"].uri),
                               ("lighting", layers["lighting"].uri)])
    stage = Usd.Stage.CreateInMemory()
    lops.load_shot(stage, shot.uri, lg=lg)
    names = [Path(p).name for p in stage.GetRootLayer().subLayerPaths]
    assert names == ["lighting.usda", "anim.usda"]  # strongest first
    assert shot.uri in _uris_on(stage)
    # the strongest department wins an opinion both author
    assert stage.GetPrimAtPath("/sh0040").GetAttribute("department").Get() == "lighting"
    look = lg.publish("demo", "chr/skaarj/lookdev", kind="LookDevPackage",
                      members=[_model(lg, make_file, 1.0).uri])
    untouched = Usd.Stage.CreateInMemory()
    with pytest.raises(InvalidInputError, match="not a ShotPackage"):
        lops.load_shot(untouched, look.uri, lg=lg)
    assert not _uris_on(untouched)


def test_a_bad_uri_authors_nothing(lops, lg):
    from pxr import Usd

    from legos.errors import LegosError

    stage = Usd.Stage.CreateInMemory()
    before = stage.GetRootLayer().ExportToString()
    with pytest.raises(LegosError):
        lops.load_package(stage, "legos:/demo/nothing/here?version=1", lg=lg)
    assert stage.GetRootLayer().ExportToString() == before

