"""legos for Blender: import package versions as USD, publish the scene or the selection with
its textures, render and publish QC images, and see an object's lineage (sidebar, tab legos).
A Blender 4.2+ extension (blender_manifest.toml); legos reaches it as a bundled wheel.

The bpy modules load in register(), so `core` (no bpy) imports anywhere, e.g. in tests.
"""

from __future__ import annotations

from typing import Any


def _classes() -> tuple[Any, ...]:
    from . import operators, panel, preferences

    return (preferences.LegosPreferences, *operators.CLASSES, *panel.CLASSES)


def register() -> None:
    import bpy

    for cls in _classes():
        bpy.utils.register_class(cls)


def unregister() -> None:
    import bpy

    for cls in reversed(_classes()):
        bpy.utils.unregister_class(cls)
