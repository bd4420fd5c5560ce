"""The sidebar (N panel, tab "legos") of the 3D view: the active object's lineage, and what
the last publish's hooks said. Drawing only: answers come from operators.STATUS."""

from __future__ import annotations

from typing import Any

import bpy

from . import core, operators


class LEGOS_PT_lineage(bpy.types.Panel):
    bl_label = "Lineage"
    bl_space_type = "VIEW_3D"
    bl_region_type = "UI"
    bl_category = "legos"

    def draw(self, context: Any) -> None:
        layout = self.layout
        obj = context.active_object
        uri = obj.get(core.URI_PROPERTY) if obj is not None else None
        if not uri:
            layout.label(text="Not imported from legos")
            return
        layout.label(text=uri)
        status = operators.STATUS.get(uri)
        layout.operator("legos.refresh_status", icon="FILE_REFRESH").uri = uri
        if status is None:
            return
        if isinstance(status, str):
            layout.label(text=status, icon="ERROR")
            return
        layout.label(text=f"{status.asset} v{status.version}: {status.status}")
        if status.newer_approved:
            layout.label(text=f"newer approved: v{status.newest_approved}", icon="INFO")
            layout.operator("legos.import_version", text="Import newer approved").uri = \
                status.newest_approved_uri
        else:
            layout.label(text="no newer approved version", icon="CHECKMARK")
        for row in status.stale_inputs:
            layout.label(text=f"stale input {row.asset} v{row.version} -> v{row.newer_version}",
                         icon="ERROR")


class LEGOS_PT_publish(bpy.types.Panel):
    bl_label = "Publish"
    bl_space_type = "VIEW_3D"
    bl_region_type = "UI"
    bl_category = "legos"

    def draw(self, context: Any) -> None:
        layout = self.layout
        layout.operator("legos.import_version")
        layout.operator("legos.publish")
        layout.operator("legos.render_publish")
        if operators.LAST_FINDINGS:
            box = layout.box()
            box.label(text="Last publish:")
            for finding in operators.LAST_FINDINGS:
                box.label(text=core.finding_line(finding),
                          icon="ERROR" if finding.level == "error" else "INFO")


CLASSES = (LEGOS_PT_lineage, LEGOS_PT_publish)
