"""The asset kind registry: built-ins, plugins through entry points, failures recorded."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from legos import kinds
from legos.errors import InvalidInputError, UnknownKindError


def test_builtin_kinds_cover_the_domain():
    names = {k.name for k in kinds.registry.all()}
    assert {"ModelAsset", "TextureAsset", "MaterialAsset", "LookBindingAsset", "LightRigAsset",
            "CameraAsset", "RenderSettingsAsset", "HdrAsset", "FileAsset", "LookDevPackage",
            "ShotPackage", "CharacterPackage", "AssetPackage"} <= names
    assert kinds.registry.get("ShotPackage").is_package
    assert not kinds.registry.get("TextureAsset").is_package


def test_unknown_kind_lists_the_known_ones():
    with pytest.raises(UnknownKindError, match=r"unknown asset kind 'Groom'.*ModelAsset.*entry point"):
        kinds.registry.get("Groom")


def _groom_kinds():
    return [kinds.AssetKind("GroomAsset", "hair and fur", "groom")]


def _broken_plugin():
    raise ImportError("houdini is not installed")


def test_plugins_add_kinds_and_broken_ones_are_recorded(monkeypatch):
    eps = [EntryPoint("groom", f"{__name__}:_groom_kinds", kinds.ENTRY_POINT_GROUP),
           EntryPoint("broken", f"{__name__}:_broken_plugin", kinds.ENTRY_POINT_GROUP),
           EntryPoint("optout", "builtins:dict", kinds.ENTRY_POINT_GROUP)]
    monkeypatch.setattr(kinds, "entry_points", lambda group: eps)
    registry = kinds.KindRegistry()
    assert registry.get("GroomAsset").default_role == "groom"
    assert "houdini is not installed" in registry.load_failures()["broken"]
    assert "optout" not in registry.load_failures()  # an empty answer is a polite opt-out


def test_kind_names_are_validated():
    with pytest.raises(InvalidInputError, match="CamelCase"):
        kinds.KindRegistry().register(kinds.AssetKind("groom asset", "", "groom"))
