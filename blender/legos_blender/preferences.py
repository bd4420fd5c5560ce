"""The extension's preferences: the store, the publish root and the user (empty: what the
legos command would use: $LEGOS_STORE / $LEGOS_ROOT / $LEGOS_USER, the default store)."""

from __future__ import annotations

from typing import Any

import bpy

from .core import Settings


class LegosPreferences(bpy.types.AddonPreferences):
    bl_idname = __package__

    store: bpy.props.StringProperty(  # type: ignore[valid-type]
        name="Store", description="Embedded store folder or bolt:// URI (empty: $LEGOS_STORE, "
        "else the default embedded store)", default="")
    root: bpy.props.StringProperty(  # type: ignore[valid-type]
        name="Publish root", subtype="DIR_PATH", default="",
        description="The store's publish root under this machine's mount (empty: $LEGOS_ROOT, "
        "else the root the store records)")
    user: bpy.props.StringProperty(  # type: ignore[valid-type]
        name="User", default="", description="Who publishes (empty: $LEGOS_USER, else the "
        "login name)")

    def draw(self, context: Any) -> None:
        for name in ("store", "root", "user"):
            self.layout.prop(self, name)


def settings(context: Any, online: bool = False) -> Settings:
    """The preferences as Settings (defaults when the add-on is registered but not enabled
    through the preferences, e.g. by a script)."""
    addon = context.preferences.addons.get(__package__)
    if addon is None or addon.preferences is None:
        return Settings(online=online)
    prefs = addon.preferences
    return Settings(store=bpy.path.abspath(prefs.store) if prefs.store and
                    "://" not in prefs.store else prefs.store,
                    root=bpy.path.abspath(prefs.root) if prefs.root else "", user=prefs.user,
                    online=online)
