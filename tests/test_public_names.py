"""One name, one meaning: a class name exported by two public modules is the same class."""

from __future__ import annotations

import importlib
import inspect

import pytest

MODULES = ["legos.model", "legos.usd", "legos.analytics", "legos.pins", "legos.questions",
           "legos.errors", "legos.selection", "legos.lineage"]


def test_no_two_public_classes_share_a_name():
    pytest.importorskip("networkx")
    seen: dict[str, object] = {}
    clashes = []
    for name in MODULES:
        module = importlib.import_module(name)
        for attr in getattr(module, "__all__", None) or dir(module):
            value = getattr(module, attr, None)
            if not inspect.isclass(value) or not value.__module__.startswith("legos"):
                continue
            if attr in seen and seen[attr] is not value:
                clashes.append(f"{attr}: {seen[attr].__module__} and {value.__module__}")
            seen.setdefault(attr, value)
    assert clashes == []
