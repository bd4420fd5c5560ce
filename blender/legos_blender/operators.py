"""The operators under bpy.ops.legos: import a version, publish the scene or the selection,
render and publish the render. Thin: legos work happens in core.py and in legos itself.

    bpy.ops.legos.import_version(uri="legos:/demo/chr/skaarj/lookdev?version=3")
    bpy.ops.legos.publish(project="demo", asset="chr/skaarj/model", kind="ModelAsset")
    bpy.ops.legos.render_publish(project="demo", asset="chr/skaarj/qc")
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

import bpy

from . import core, preferences

# what the last publish's hooks said, shown in the sidebar (and in each operator's report)
LAST_FINDINGS: list[Any] = []   # legos.hooks.Finding
# lineage answers the sidebar shows, by URI (asked on demand: panels redraw constantly)
STATUS: dict[str, Any] = {}


def _work(prefix: str) -> str:
    """A scratch folder in Blender's session temp dir (removed when Blender quits)."""
    return tempfile.mkdtemp(prefix=prefix, dir=bpy.app.tempdir or None)


def _setup() -> core.Settings:
    core.use_blender_usd(bpy.utils.system_resource("PYTHON"))
    return preferences.settings(bpy.context, online=bpy.app.online_access)


def _errors() -> tuple[type[BaseException], ...]:
    from legos.errors import LegosError

    return (LegosError, core.PublishFailed)


def _report(op: Any, exc: BaseException) -> set[str]:
    findings = list(getattr(exc, "findings", []) or [])
    LAST_FINDINGS[:] = findings
    for finding in findings:
        op.report({"ERROR"} if finding.level == "error" else {"WARNING"},
                  core.finding_line(finding))
    op.report({"ERROR"}, str(exc))
    return {"CANCELLED"}


# -- import ----------------------------------------------------------------------------------
def _own_property(obj: Any, name: str) -> Any:
    """A custom property the USD importer put on the object or on its data."""
    value = obj.get(name)
    if value is None and obj.data is not None and hasattr(obj.data, "get"):
        value = obj.data.get(name)
    return value


def import_assembly(context: Any, assembly: Any, root_uri: str) -> list[Any]:
    """Import an assembled stage (legos.usd.assemble's Assembly) into the scene: each new
    object gets `legos_uri` (objects under a member inherit its URI) and `legos_prim`; the
    scene gets the stage's render settings. Returns the new objects."""
    work = _work("legos-import-")
    assembled = os.path.join(work, "assembled.usda")
    assembly.save(assembled)
    tagged = core.tag_layer(assembled, os.path.join(work, "import.usda"), assembly.members,
                            root_uri)
    if context.scene.world is None:  # the importer drops a dome light on a scene without a world
        context.scene.world = bpy.data.worlds.new("World")
    before = set(bpy.data.objects)
    result = bpy.ops.wm.usd_import(filepath=tagged, import_textures_mode="IMPORT_NONE",
                                   import_all_materials=False)
    if "FINISHED" not in result:
        from legos.errors import LegosError

        raise LegosError(f"Blender's USD import of {root_uri} did not finish ({sorted(result)})")
    new = [o for o in bpy.data.objects if o not in before]
    for obj in new:  # parents first, so children can inherit
        for name in (core.URI_PROPERTY, core.PRIM_PROPERTY):
            value = _own_property(obj, name)
            if value is not None:
                obj[name] = str(value)
    for obj in new:
        if core.URI_PROPERTY not in obj:
            parent = obj.parent
            while parent is not None and core.URI_PROPERTY not in parent:
                parent = parent.parent
            obj[core.URI_PROPERTY] = parent[core.URI_PROPERTY] if parent else root_uri
    scene = context.scene
    scene[core.PACKAGE_PROPERTY] = root_uri
    settings = core.render_settings(assembly.stage)
    settings_uri = core.render_settings_uri(assembly.members, settings)
    if settings_uri:
        scene[core.SETTINGS_PROPERTY] = settings_uri
    if settings is not None:
        apply_render_settings(scene, settings, new)
    return new


def apply_render_settings(scene: Any, settings: core.RenderSettings, objects: list[Any]) -> None:
    """Cycles on the CPU with the stage's samples, seed, resolution and camera."""
    scene.render.engine = "CYCLES"
    scene.cycles.device = "CPU"
    if settings.samples is not None:
        scene.cycles.samples = settings.samples
    if settings.seed is not None:
        scene.cycles.seed = settings.seed
    if settings.denoise is not None:
        scene.cycles.use_denoising = settings.denoise
    if settings.resolution is not None:
        scene.render.resolution_x, scene.render.resolution_y = settings.resolution
    scene.render.resolution_percentage = 100
    if settings.camera:
        cameras = [o for o in objects if o.type == "CAMERA"
                   and o.get(core.PRIM_PROPERTY) == settings.camera]
        if cameras:
            scene.camera = cameras[0]


class LEGOS_OT_import_version(bpy.types.Operator):
    """Assemble a legos package or asset version as a USD stage and import it"""

    bl_idname = "legos.import_version"
    bl_label = "Import legos version"
    bl_options = {"REGISTER", "UNDO"}  # noqa: RUF012 (an annotation would be a bpy property)

    uri: bpy.props.StringProperty(name="URI", default="")  # type: ignore[valid-type]
    pins: bpy.props.StringProperty(  # type: ignore[valid-type]
        name="Pins", subtype="FILE_PATH", default="",
        description="A pin-set manifest: import the versions it pins")
    select: bpy.props.StringProperty(  # type: ignore[valid-type]
        name="Select", default="", description="A selector for the members, e.g. approved")

    def invoke(self, context: Any, event: Any) -> set[str]:
        return context.window_manager.invoke_props_dialog(self)

    def execute(self, context: Any) -> set[str]:
        settings = _setup()
        try:
            from legos.usd.assemble import assemble

            with settings.open() as lg:
                assembly = assemble(lg, self.uri, pins=bpy.path.abspath(self.pins) or None,
                                    select=self.select or None)
                root = getattr(assembly, "uri", None) or lg.show(self.uri).uri
            new = import_assembly(context, assembly, str(root))
        except _errors() as exc:
            return _report(self, exc)
        self.report({"INFO"}, f"imported {root}: {len(new)} objects")
        return {"FINISHED"}


# -- publish ---------------------------------------------------------------------------------
def render_image(scene: Any, path: str, *, file_format: str, size: int | None = None,
                 samples: int | None = None) -> str:
    """Render the scene with Cycles on the CPU into `path`, leaving its settings as they were
    (a thumbnail is `size` pixels wide with few `samples`)."""
    render, cycles, settings = scene.render, scene.cycles, scene.render.image_settings
    saved = (render.engine, cycles.device, cycles.samples, render.resolution_x,
             render.resolution_y, render.resolution_percentage, settings.file_format,
             settings.color_depth, settings.color_mode)
    try:
        render.engine, cycles.device = "CYCLES", "CPU"
        if size is not None:
            ratio = render.resolution_y / max(render.resolution_x, 1)
            render.resolution_x, render.resolution_y = size, max(1, round(size * ratio))
            render.resolution_percentage = 100
        if samples is not None:
            cycles.samples = samples
        settings.file_format = file_format
        if file_format == "OPEN_EXR":
            settings.color_depth, settings.color_mode = "32", "RGBA"
        else:
            settings.color_depth, settings.color_mode = "8", "RGB"
        bpy.ops.render.render()
        bpy.data.images["Render Result"].save_render(path, scene=scene)
    finally:
        (render.engine, cycles.device, cycles.samples, render.resolution_x,
         render.resolution_y, render.resolution_percentage, settings.file_format,
         settings.color_depth, settings.color_mode) = saved
    return path


def _temporary_camera(scene: Any, objects: list[Any]) -> Any:
    """A camera framing `objects` for a thumbnail, when the scene has none."""
    from mathutils import Vector

    points = [o.matrix_world @ Vector(c) for o in objects if o.type == "MESH"
              for c in o.bound_box] or [Vector((0, 0, 0))]
    lo = Vector(tuple(min(p[i] for p in points) for i in range(3)))
    hi = Vector(tuple(max(p[i] for p in points) for i in range(3)))
    radius = max((hi - lo).length / 2, 0.01)
    data = bpy.data.cameras.new("legos_thumbnail")
    camera = bpy.data.objects.new("legos_thumbnail", data)
    scene.collection.objects.link(camera)
    direction = Vector((1.0, -1.3, 0.8)).normalized()
    camera.location = (lo + hi) / 2 + direction * radius * 3.5
    camera.rotation_euler = (-direction).to_track_quat("-Z", "Y").to_euler()
    data.clip_end = radius * 100
    return camera


def thumbnail(scene: Any, path: str, objects: list[Any]) -> str:
    """A small, quick Cycles render of the scene (its camera, else one framing `objects`)."""
    made = None
    if scene.camera is None:
        made = scene.camera = _temporary_camera(scene, objects)
    try:
        return render_image(scene, path, file_format="PNG", size=64, samples=4)
    finally:
        if made is not None:
            scene.camera = None
            bpy.data.objects.remove(made)


class LEGOS_OT_publish(bpy.types.Operator):
    """Publish the selection (or the scene) as USD with its materials and textures"""

    bl_idname = "legos.publish"
    bl_label = "Publish to legos"

    project: bpy.props.StringProperty(name="Project", default="")  # type: ignore[valid-type]
    asset: bpy.props.StringProperty(name="Asset", default="")  # type: ignore[valid-type]
    kind: bpy.props.StringProperty(name="Kind", default="ModelAsset")  # type: ignore[valid-type]
    comment: bpy.props.StringProperty(name="Comment", default="")  # type: ignore[valid-type]
    selected_only: bpy.props.BoolProperty(  # type: ignore[valid-type]
        name="Selected only", default=True)

    def invoke(self, context: Any, event: Any) -> set[str]:
        return context.window_manager.invoke_props_dialog(self)

    def execute(self, context: Any) -> set[str]:
        settings = _setup()
        LAST_FINDINGS.clear()
        try:
            settings.location()  # refused before any work, not after the export
        except _errors() as exc:
            return _report(self, exc)
        scene = context.scene
        objects = list(context.selected_objects if self.selected_only else scene.objects)
        if not objects:
            self.report({"ERROR"}, "nothing to publish: select objects or publish the scene "
                        "(selected_only=False)")
            return {"CANCELLED"}
        leaf = self.asset.rstrip("/").rsplit("/", 1)[-1] or "scene"
        work = _work("legos-publish-")
        folder = os.path.join(work, "usd")
        os.makedirs(folder)
        entry = f"{leaf}.usda"
        result = bpy.ops.wm.usd_export(
            filepath=os.path.join(folder, entry), selected_objects_only=self.selected_only,
            export_materials=True, generate_preview_surface=True, export_textures_mode="NEW",
            relative_paths=True, export_animation=False)
        if "FINISHED" not in result:
            self.report({"ERROR"}, f"Blender's USD export did not finish ({sorted(result)})")
            return {"CANCELLED"}
        blend = os.path.join(work, f"{leaf}.blend")
        bpy.ops.wm.save_as_mainfile(filepath=blend, copy=True, check_existing=False)
        thumb = thumbnail(scene, os.path.join(work, "thumbnail.png"), objects)
        try:
            with settings.open() as lg:
                published = core.publish_export(
                    lg, folder, entry, project=self.project, asset=self.asset, kind=self.kind,
                    comment=self.comment, user=settings.user_or_none, thumbnail=thumb,
                    blend=blend)
        except _errors() as exc:
            return _report(self, exc)
        LAST_FINDINGS[:] = published.findings
        for finding in published.findings:
            self.report({"WARNING"}, core.finding_line(finding))
        self.report({"INFO"}, f"published {published.version.uri} "
                    f"({len(published.textures)} textures)")
        return {"FINISHED"}


class LEGOS_OT_render_publish(bpy.types.Operator):
    """Render the scene with Cycles on the CPU and publish the image as a RenderAsset"""

    bl_idname = "legos.render_publish"
    bl_label = "Render and publish"

    project: bpy.props.StringProperty(name="Project", default="")  # type: ignore[valid-type]
    asset: bpy.props.StringProperty(name="Asset", default="")  # type: ignore[valid-type]
    package_uri: bpy.props.StringProperty(  # type: ignore[valid-type]
        name="Package", default="",
        description="The package version rendered (empty: the one imported into this scene)")
    comment: bpy.props.StringProperty(name="Comment", default="")  # type: ignore[valid-type]

    def invoke(self, context: Any, event: Any) -> set[str]:
        return context.window_manager.invoke_props_dialog(self)

    def execute(self, context: Any) -> set[str]:
        settings = _setup()
        LAST_FINDINGS.clear()
        try:
            settings.location()  # refused before the render, not after it
        except _errors() as exc:
            return _report(self, exc)
        scene = context.scene
        package = self.package_uri or scene.get(core.PACKAGE_PROPERTY, "")
        if not package:
            self.report({"ERROR"}, "which package version is rendered? import one with "
                        "legos.import_version or pass package_uri=")
            return {"CANCELLED"}
        work = _work("legos-render-")
        leaf = self.asset.rstrip("/").rsplit("/", 1)[-1] or "render"
        image = render_image(scene, os.path.join(work, f"{leaf}.exr"), file_format="OPEN_EXR")
        thumb = os.path.join(work, "thumbnail.png")
        _png(scene, image, thumb)
        try:
            with settings.open() as lg:
                published = core.publish_render(
                    lg, image, project=self.project, asset=self.asset, package_uri=package,
                    render_settings_uri=scene.get(core.SETTINGS_PROPERTY) or None,
                    comment=self.comment, user=settings.user_or_none, thumbnail=thumb,
                    provenance=_render_provenance(scene))
        except _errors() as exc:
            return _report(self, exc)
        LAST_FINDINGS[:] = published.findings
        for finding in published.findings:
            self.report({"WARNING"}, core.finding_line(finding))
        self.report({"INFO"}, f"published {published.version.uri}")
        return {"FINISHED"}


def _png(scene: Any, exr: str, path: str) -> None:
    """The render, as shown (view transform applied), as a PNG thumbnail."""
    settings = scene.render.image_settings
    saved = (settings.file_format, settings.color_depth, settings.color_mode)
    try:
        settings.file_format, settings.color_depth, settings.color_mode = "PNG", "8", "RGB"
        bpy.data.images["Render Result"].save_render(path, scene=scene)
    finally:
        settings.file_format, settings.color_depth, settings.color_mode = saved


def _render_provenance(scene: Any) -> dict[str, Any]:
    render, cycles = scene.render, scene.cycles
    return {"renderer": "cycles", "device": cycles.device, "samples": cycles.samples,
            "seed": cycles.seed, "resolution": [render.resolution_x, render.resolution_y],
            "camera": scene.camera.get(core.PRIM_PROPERTY, scene.camera.name)
            if scene.camera else None, "blender": bpy.app.version_string}


class LEGOS_OT_refresh_status(bpy.types.Operator):
    """Ask legos where the active object's version stands"""

    bl_idname = "legos.refresh_status"
    bl_label = "Check status"

    uri: bpy.props.StringProperty(name="URI", default="")  # type: ignore[valid-type]

    def execute(self, context: Any) -> set[str]:
        from legos.uri_status import uri_status

        settings = _setup()
        try:
            with settings.open() as lg:
                STATUS[self.uri] = uri_status(lg, self.uri)
        except _errors() as exc:
            STATUS[self.uri] = str(exc)
            return _report(self, exc)
        return {"FINISHED"}


CLASSES = (LEGOS_OT_import_version, LEGOS_OT_publish, LEGOS_OT_render_publish,
           LEGOS_OT_refresh_status)
