"""Runs INSIDE Blender's Python (imports bpy): a model file in, a USD layer, a thumbnail and a
JSON report out. legos' core never imports this module; legos.ingest.model runs it in a
separate process, so Blender's Python and its numpy never constrain the core.

    PYTHON_WITH_BPY blender_convert.py SOURCE OUT_DIR [options]
    blender --background --factory-startup --python blender_convert.py -- SOURCE OUT_DIR [options]

Writes OUT_DIR/model.usda, OUT_DIR/thumbnail.png (unless --no-thumbnail), OUT_DIR/report.json
and OUT_DIR/textures/* (images that were embedded in the source). On failure it exits 2 and its
last stderr line is `legos-convert-error: MESSAGE`. Only the standard library and bpy here.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import time
from typing import Any

ERROR_PREFIX = "legos-convert-error: "
CONVERTER = "blender"

# Principled BSDF input -> the material input role legos records (UsdPreviewSurface words)
_ROLES = {
    "Base Color": "base_color", "Metallic": "metallic", "Roughness": "roughness",
    "Normal": "normal", "Alpha": "opacity", "Emission Color": "emission",
    "Specular IOR Level": "specular", "Specular Tint": "specular", "IOR": "ior",
    "Coat Weight": "clearcoat", "Coat Roughness": "clearcoat_roughness",
    "Coat Normal": "normal", "Transmission Weight": "transmission",
}
_DATA_ROLES = {"metallic", "roughness", "normal", "opacity", "specular", "ior", "clearcoat",
               "clearcoat_roughness", "transmission", "displacement", "occlusion", "bump"}
_IMAGE_EXT = {"PNG": ".png", "JPEG": ".jpg", "TARGA": ".tga", "TIFF": ".tif", "BMP": ".bmp",
              "OPEN_EXR": ".exr", "HDR": ".hdr", "WEBP": ".webp"}


class ConvertError(Exception):
    """A failure to report in one line (no traceback)."""


def _args(argv: list[str]) -> argparse.Namespace:
    # run by a Blender executable, our arguments follow '--'
    argv = argv[argv.index("--") + 1:] if "--" in argv else argv[1:]
    p = argparse.ArgumentParser(prog="blender_convert.py")
    p.add_argument("source")
    p.add_argument("out_dir")
    p.add_argument("--up-axis", choices=["Y", "Z"], default="Y")
    p.add_argument("--root-prim", default="model")
    p.add_argument("--thumbnail-size", type=int, default=128)
    p.add_argument("--samples", type=int, default=16)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-thumbnail", action="store_true")
    return p.parse_args(argv)


# -- import ------------------------------------------------------------------------------------
def _import(bpy: Any, source: str) -> dict[str, Any]:
    """Import with Blender's own importer; return the units/axes decisions taken."""
    ext = os.path.splitext(source)[1].lower()
    if ext == ".obj":
        bpy.ops.wm.obj_import(filepath=source, forward_axis="NEGATIVE_Z", up_axis="Y",
                              global_scale=1.0)
        return {"format": "obj", "source_units": "none stated (OBJ has no units): 1 unit = 1 m",
                "source_up_axis": "Y (OBJ convention), forward -Z", "scale": 1.0}
    if ext in (".gltf", ".glb"):
        # pack nothing: external images stay files (their paths are the texture sources)
        bpy.ops.import_scene.gltf(filepath=source, import_pack_images=False)
        return {"format": "gltf", "source_units": "metres (glTF 2.0)",
                "source_up_axis": "Y (glTF 2.0), forward +Z", "scale": 1.0}
    if ext == ".fbx":
        # no image search: a missing texture must be an error, not a file found elsewhere
        bpy.ops.import_scene.fbx(filepath=source, use_image_search=False, global_scale=1.0,
                                 use_manual_orientation=False)
        return {"format": "fbx",
                "source_units": "the file's UnitScaleFactor, converted to metres by the importer",
                "source_up_axis": "the file's GlobalSettings axes, converted by the importer",
                "scale": 1.0}
    if ext in (".usd", ".usda", ".usdc", ".usdz"):
        mode = "IMPORT_PACK" if ext == ".usdz" else "IMPORT_NONE"
        bpy.ops.wm.usd_import(filepath=source, import_textures_mode=mode, import_cameras=False,
                              import_lights=False, apply_unit_conversion_scale=True, scale=1.0)
        return {"format": "usd",
                "source_units": "the stage's metersPerUnit, converted to metres by the importer",
                "source_up_axis": "the stage's upAxis, converted by the importer", "scale": 1.0}
    raise ConvertError(f"{source}: unsupported model format {ext or '(no extension)'}")


# -- materials and textures ----------------------------------------------------------------
def _upstream_images(socket: Any, depth: int = 0) -> list[tuple[Any, Any]]:
    """(image node, node it feeds through) behind a socket, through any converter nodes."""
    found = []
    for link in socket.links:
        node = link.from_node
        if node.type == "TEX_IMAGE" and node.image is not None:
            found.append((node, link.to_node))
        elif depth < 8:
            for inp in node.inputs:
                found.extend(_upstream_images(inp, depth + 1))
    return found


def _material_textures(bpy: Any) -> dict[str, dict[str, Any]]:
    """Image name -> {"roles", "materials"} for every image feeding a material's surface."""
    used: dict[str, dict[str, Any]] = {}
    for mat in bpy.data.materials:
        if not mat.use_nodes or mat.users == 0:
            continue
        for node in mat.node_tree.nodes:
            if node.type == "BSDF_PRINCIPLED":
                inputs = [(s, _ROLES.get(s.name, s.name.lower().replace(" ", "_")))
                          for s in node.inputs if s.is_linked]
            elif node.type == "OUTPUT_MATERIAL":
                inputs = [(node.inputs["Displacement"], "displacement")]
            else:
                continue
            for socket, role in inputs:
                for tex, via in _upstream_images(socket):
                    if role == "normal" and via.type == "BUMP":
                        role = "bump"
                    entry = used.setdefault(tex.image.name, {"roles": [], "materials": []})
                    if role not in entry["roles"]:
                        entry["roles"].append(role)
                    if mat.name not in entry["materials"]:
                        entry["materials"].append(mat.name)
    return used


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "image"


def _textures(bpy: Any, out_dir: str, source: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Write embedded images out, fail on missing ones, mark data maps Non-Color; return the
    texture list of the report and warnings."""
    used = _material_textures(bpy)
    textures: list[dict[str, Any]] = []
    warnings: list[str] = []
    taken: set[str] = set()
    for image in bpy.data.images:
        if image.name not in used:
            continue
        info = used[image.name]
        if image.source not in ("FILE", "TILED"):
            warnings.append(f"image {image.name!r} is {image.source.lower()}, not a file: left out")
            continue
        path = bpy.path.abspath(image.filepath, library=image.library) if image.filepath else ""
        embedded = image.packed_file is not None
        if embedded:
            stem = _safe_name(os.path.splitext(image.name)[0])
            ext = _IMAGE_EXT.get(image.file_format, ".png")
            name = stem + ext
            n = 1
            while name in taken:
                n += 1
                name = f"{stem}_{n}{ext}"
            taken.add(name)
            os.makedirs(os.path.join(out_dir, "textures"), exist_ok=True)
            path = os.path.join(out_dir, "textures", name)
            with open(path, "wb") as f:
                f.write(image.packed_file.data)
            image.unpack(method="REMOVE")  # then it is a file like any other
            image.filepath = path
            image.reload()
        elif image.source == "TILED":
            pass  # a UDIM set: the exporter writes the <UDIM> pattern
        elif not path or not os.path.isfile(path):
            raise ConvertError(
                f"{source}: texture {image.name!r} of material {info['materials'][0]!r} is "
                f"missing: {path or '(no path)'}")
        if any(r in _DATA_ROLES for r in info["roles"]) and "base_color" not in info["roles"] \
                and "emission" not in info["roles"]:
            image.colorspace_settings.name = "Non-Color"  # data maps are never colour-managed
        textures.append({
            "path": os.path.abspath(path), "image": image.name, "roles": info["roles"],
            "materials": info["materials"], "embedded": embedded,
            "udim": image.source == "TILED",
            "colorspace": image.colorspace_settings.name,
        })
    return textures, warnings


# -- bounds, export, thumbnail --------------------------------------------------------------
def _bounds(bpy: Any) -> tuple[Any, Any]:
    from mathutils import Vector  # type: ignore[import-not-found]

    lo = Vector((math.inf,) * 3)
    hi = Vector((-math.inf,) * 3)
    for obj in bpy.context.scene.objects:
        if obj.type != "MESH":
            continue
        for corner in obj.bound_box:
            p = obj.matrix_world @ Vector(corner)
            lo = Vector(map(min, lo, p))
            hi = Vector(map(max, hi, p))
    return lo, hi


def _export(bpy: Any, path: str, up_axis: str, root_prim: str) -> None:
    kwargs = dict(
        filepath=path, selected_objects_only=False, export_materials=True,
        generate_preview_surface=True, generate_materialx_network=False,
        export_normals=True, export_uvmaps=True, rename_uvmaps=True,
        # textures stay where they are (absolute paths); legos rewrites them to the published
        # texture files afterwards
        export_textures_mode="KEEP", relative_paths=False,
        export_lights=False, export_cameras=False, convert_world_material=False,
        meters_per_unit=1.0, convert_scene_units="METERS", root_prim_path="/" + root_prim,
        export_animation=False,
    )
    if up_axis == "Y":
        kwargs.update(convert_orientation=True, export_global_up_selection="Y",
                      export_global_forward_selection="NEGATIVE_Z")
    result = bpy.ops.wm.usd_export(**kwargs)
    if "FINISHED" not in result or not os.path.isfile(path):
        raise ConvertError(f"Blender's USD export did not finish ({sorted(result)})")


def _thumbnail(bpy: Any, path: str, lo: Any, hi: Any, size: int, samples: int,
               seed: int) -> None:
    """A small Cycles CPU render framing the model's bounds (fixed seed: same pixels each run)."""
    from mathutils import Vector

    scene = bpy.context.scene
    center = (lo + hi) / 2
    radius = max((hi - lo).length / 2, 1e-6)
    cam_data = bpy.data.cameras.new("legos_thumbnail")
    cam_data.lens_unit = "FOV"
    cam_data.angle = math.radians(35)
    cam_data.clip_start = radius * 0.01
    cam_data.clip_end = radius * 100
    cam = bpy.data.objects.new("legos_thumbnail", cam_data)
    scene.collection.objects.link(cam)
    direction = Vector((1.0, -1.3, 0.8)).normalized()  # a three-quarter view from above
    distance = radius / math.sin(cam_data.angle / 2) * 1.05
    cam.location = center + direction * distance
    cam.rotation_euler = (-direction).to_track_quat("-Z", "Y").to_euler()
    scene.camera = cam

    sun_data = bpy.data.lights.new("legos_key", type="SUN")
    sun_data.energy = 3.0
    sun = bpy.data.objects.new("legos_key", sun_data)
    sun.rotation_euler = (math.radians(50), 0, math.radians(30))
    scene.collection.objects.link(sun)
    world = bpy.data.worlds.new("legos_thumbnail")
    world.use_nodes = True
    world.node_tree.nodes["Background"].inputs["Color"].default_value = (0.35, 0.35, 0.38, 1)
    scene.world = world

    scene.render.engine = "CYCLES"
    scene.cycles.device = "CPU"
    scene.cycles.samples = samples
    scene.cycles.seed = seed
    scene.cycles.use_denoising = False
    scene.cycles.use_adaptive_sampling = False
    scene.render.resolution_x = scene.render.resolution_y = size
    scene.render.resolution_percentage = 100
    scene.render.film_transparent = False
    scene.render.image_settings.file_format = "PNG"
    scene.render.image_settings.color_mode = "RGB"
    scene.render.filepath = path
    bpy.ops.render.render(write_still=True)
    if not os.path.isfile(path):
        raise ConvertError("Cycles wrote no thumbnail")


def _y_up(v: Any, up_axis: str) -> list[float]:
    """A Blender (Z-up) point in the exported layer's axes."""
    return [v.x, v.z, -v.y] if up_axis == "Y" else [v.x, v.y, v.z]


def convert(args: argparse.Namespace) -> dict[str, Any]:
    import bpy  # type: ignore[import-not-found]

    source = os.path.abspath(args.source)
    out_dir = os.path.abspath(args.out_dir)
    os.makedirs(out_dir, exist_ok=True)
    started = time.perf_counter()
    bpy.ops.wm.read_factory_settings(use_empty=True)
    decisions = _import(bpy, source)
    meshes = [o for o in bpy.context.scene.objects if o.type == "MESH"]
    if not meshes:
        raise ConvertError(f"{source}: Blender's importer found no mesh in it")
    textures, warnings = _textures(bpy, out_dir, source)
    imported = time.perf_counter()
    lo, hi = _bounds(bpy)
    layer = os.path.join(out_dir, "model.usda")
    _export(bpy, layer, args.up_axis, args.root_prim)
    exported = time.perf_counter()
    thumbnail = None
    if not args.no_thumbnail:
        thumbnail = os.path.join(out_dir, "thumbnail.png")
        _thumbnail(bpy, thumbnail, lo, hi, args.thumbnail_size, args.samples, args.seed)
    done = time.perf_counter()
    decisions.update({
        "axis_conversion": ("Blender's Z-up scene exported Y-up (rotation -90 deg about X on the "
                            "root prim)" if args.up_axis == "Y" else "none: exported Z-up"),
        "meters_per_unit": 1.0, "up_axis": args.up_axis,
    })
    lo_out, hi_out = _y_up(lo, args.up_axis), _y_up(hi, args.up_axis)
    return {
        "converter": {"name": CONVERTER, "version": bpy.app.version_string},
        "source": source, "layer": layer, "thumbnail": thumbnail,
        "units_axes": decisions,
        "bounds": {"min": [min(a, b) for a, b in zip(lo_out, hi_out, strict=True)],
                   "max": [max(a, b) for a, b in zip(lo_out, hi_out, strict=True)]},
        "meshes": len(meshes),
        "polygons": sum(len(o.data.polygons) for o in meshes),
        "materials": sorted({s.material.name for o in meshes for s in o.material_slots
                             if s.material is not None}),
        "textures": textures, "warnings": warnings,
        "timings": {"import_s": round(imported - started, 3),
                    "export_s": round(exported - imported, 3),
                    "thumbnail_s": round(done - exported, 3)},
    }


def main(argv: list[str]) -> int:
    args = _args(argv)
    try:
        report = convert(args)
    except ConvertError as exc:
        print(ERROR_PREFIX + str(exc), file=sys.stderr, flush=True)
        return 2
    except Exception as exc:  # an importer's own failure: its last line says what it was
        lines = [ln.strip() for ln in str(exc).strip().splitlines() if ln.strip()]
        message = lines[-1] if lines else type(exc).__name__
        print(ERROR_PREFIX + f"{os.path.abspath(args.source)}: {message}", file=sys.stderr,
              flush=True)
        return 2
    with open(os.path.join(os.path.abspath(args.out_dir), "report.json"), "w") as f:
        json.dump(report, f, indent=1)
    return 0


if __name__ == "__main__":
    code = main(sys.argv)
    sys.stdout.flush()
    # Blender's executable ignores a script's sys.exit: leave at once with the status
    os._exit(code)
