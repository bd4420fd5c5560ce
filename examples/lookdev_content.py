"""Content for the lookdev demo, made with the standard library only: PNG textures and a
Radiance HDR written by hand, a low-poly creature as OBJ, USDA materials, look bindings, light
rigs, camera and render settings, and a tiny ray tracer for the QC frame.
"""

from __future__ import annotations

import functools
import math
import struct
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

TEX_SIZE = 64

Vec = tuple[float, float, float]


# == images: PNG and Radiance HDR, written by hand ============================================

@dataclass
class Image:
    """Pixels row-major from the top row, each a tuple of `channels` floats."""

    width: int
    height: int
    channels: int
    pixels: list[tuple[float, ...]]

    def at(self, x: int, y: int) -> tuple[float, ...]:
        return self.pixels[(y % self.height) * self.width + (x % self.width)]

    def sample(self, u: float, v: float) -> tuple[float, ...]:
        """Bilinear lookup with wrapping; v = 0 is the top row."""
        fx, fy = u * self.width - 0.5, v * self.height - 0.5
        x0, y0 = math.floor(fx), math.floor(fy)
        tx, ty = fx - x0, fy - y0
        a, b = self.at(x0, y0), self.at(x0 + 1, y0)
        c, d = self.at(x0, y0 + 1), self.at(x0 + 1, y0 + 1)
        return tuple((a[i] * (1 - tx) + b[i] * tx) * (1 - ty) + (c[i] * (1 - tx) + d[i] * tx) * ty
                     for i in range(self.channels))


def _png_chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def png_bytes(image: Image, note: str = "") -> bytes:
    """An 8-bit grey, RGB or RGBA PNG (values 0..1 are already display-encoded)."""
    colour_type = {1: 0, 3: 2, 4: 6}[image.channels]
    rows = bytearray()
    for y in range(image.height):
        rows.append(0)  # filter: none
        for px in image.pixels[y * image.width:(y + 1) * image.width]:
            rows.extend(max(0, min(255, round(c * 255))) for c in px)
    header = struct.pack(">IIBBBBB", image.width, image.height, 8, colour_type, 0, 0, 0)
    text = b"Software\0legos lookdev demo" + (b"; " + note.encode("latin-1") if note else b"")
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"tEXt", text)
            + _png_chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + _png_chunk(b"IEND", b""))


def _rgbe(r: float, g: float, b: float) -> bytes:
    m = max(r, g, b)
    if m < 1e-32:
        return b"\0\0\0\0"
    mantissa, exponent = math.frexp(m)
    scale = mantissa * 256.0 / m
    return bytes((int(r * scale), int(g * scale), int(b * scale), exponent + 128))


def hdr_bytes(image: Image) -> bytes:
    """A Radiance RGBE file with flat (not run-length encoded) scanlines, which is valid."""
    out = bytearray(b"#?RADIANCE\n# legos lookdev demo: forest latlong\n"
                    b"FORMAT=32-bit_rle_rgbe\nEXPOSURE=1.0\n\n")
    out += f"-Y {image.height} +X {image.width}\n".encode()
    for y in range(image.height):
        row = bytearray(b"".join(_rgbe(*image.at(x, y)) for x in range(image.width)))
        if row[0] == 2 and row[1] == 2 and row[2] < 128:
            row[0] = 3  # readers would take a flat line starting (2, 2, <128) for a RLE one
        out += row
    return bytes(out)


# == procedural patterns ======================================================================

def _hash(ix: int, iy: int, seed: int) -> float:
    h = (ix * 374761393 + iy * 668265263 + seed * 2246822519) & 0xFFFFFFFF
    h = ((h ^ (h >> 13)) * 1274126177) & 0xFFFFFFFF
    return ((h ^ (h >> 16)) & 0xFFFFFF) / 0xFFFFFF


def _noise(u: float, v: float, period: int, seed: int) -> float:
    """Tileable value noise in 0..1 over the unit square."""
    x, y = u * period, v * period
    x0, y0 = math.floor(x), math.floor(y)
    tx, ty = x - x0, y - y0
    tx, ty = tx * tx * (3 - 2 * tx), ty * ty * (3 - 2 * ty)

    def h(i: int, j: int) -> float:
        return _hash(i % period, j % period, seed)

    top = h(x0, y0) * (1 - tx) + h(x0 + 1, y0) * tx
    bottom = h(x0, y0 + 1) * (1 - tx) + h(x0 + 1, y0 + 1) * tx
    return top * (1 - ty) + bottom * ty


def _scales(u: float, v: float, cells: int, seed: int) -> tuple[float, float, float]:
    """Tileable Worley cells: (distance to the nearest centre, edge distance, cell id 0..1)."""
    x, y = u * cells, v * cells
    cx, cy = math.floor(x), math.floor(y)
    best, second, ident = 9.0, 9.0, 0.0
    for j in (-1, 0, 1):
        for i in (-1, 0, 1):
            gx, gy = cx + i, cy + j
            px = gx + _hash(gx % cells, gy % cells, seed)
            py = gy + _hash(gx % cells, gy % cells, seed + 1)
            d = math.hypot(px - x, py - y)
            if d < best:
                best, second, ident = d, best, _hash(gx % cells, gy % cells, seed + 2)
            elif d < second:
                second = d
    return best, second - best, ident


def _field(fn: Callable[[float, float], tuple[float, ...]], size: int, channels: int) -> Image:
    return Image(size, size, channels,
                 [fn((x + 0.5) / size, (y + 0.5) / size) for y in range(size) for x in range(size)])


@functools.lru_cache(maxsize=1)
def _skin_layout() -> dict[tuple[float, float], tuple[float, float, float, float]]:
    """Per texel (u, v): distance to its scale's centre, to the scale's edge, the scale's id,
    and the bump height. Every map reads this one layout, so they line up."""
    seed, layout = 7, {}
    for y in range(TEX_SIZE):
        for x in range(TEX_SIZE):
            u, v = (x + 0.5) / TEX_SIZE, (y + 0.5) / TEX_SIZE
            centre, edge, ident = _scales(u, v, 8, seed)
            height = min(1.0, edge * 3.0) * 0.8 + 0.2 * _noise(u, v, 16, seed + 3)
            layout[(u, v)] = (centre, edge, ident, height)
    return layout


def make_texture(name: str, version: int) -> Image:
    """Each texture of the skaarj skin; version 2 of albedo and roughness answers the QC notes."""
    skin = _skin_layout()
    if name == "albedo":
        base = (0.36, 0.47, 0.16) if version == 1 else (0.44, 0.41, 0.30)
        jitter = 0.18 if version == 1 else 0.08

        def albedo(u: float, v: float) -> tuple[float, ...]:
            _, edge, ident, _ = skin[(u, v)]
            groove = 0.45 + 0.55 * min(1.0, edge * 4.0)
            belly = 1.0 + 0.35 * max(0.0, v - 0.65) / 0.35
            tint = 1.0 + jitter * (ident - 0.5)
            return tuple(min(1.0, c * groove * belly * tint) for c in base)
        return _field(albedo, TEX_SIZE, 3)
    if name == "bump":
        return _field(lambda u, v: (skin[(u, v)][3],), TEX_SIZE, 1)
    if name == "normal":
        bump = make_texture("bump", version)

        def normal(u: float, v: float) -> tuple[float, ...]:
            x, y = int(u * TEX_SIZE), int(v * TEX_SIZE)
            dx = (bump.at(x + 1, y)[0] - bump.at(x - 1, y)[0]) * 4.0
            dy = (bump.at(x, y + 1)[0] - bump.at(x, y - 1)[0]) * 4.0
            length = math.sqrt(dx * dx + dy * dy + 1.0)
            return (0.5 - 0.5 * dx / length, 0.5 + 0.5 * dy / length, 0.5 + 0.5 / length)
        return _field(normal, TEX_SIZE, 3)
    if name == "roughness":
        base, spread = (0.32, 0.2) if version == 1 else (0.62, 0.15)

        def roughness(u: float, v: float) -> tuple[float, ...]:
            grime = 0.15 * (1.0 - min(1.0, skin[(u, v)][1] * 5.0))
            return (min(1.0, base + spread * (_noise(u, v, 8, 12) - 0.5) + grime),)
        return _field(roughness, TEX_SIZE, 1)
    if name == "reflectivity":
        def reflectivity(u: float, v: float) -> tuple[float, ...]:
            centre = skin[(u, v)][0]
            return (0.03 + 0.09 * max(0.0, 1.0 - centre * 1.6),)  # wet-looking scale tops
        return _field(reflectivity, TEX_SIZE, 1)
    raise ValueError(f"no texture {name!r}")


def make_forest_hdr(width: int = 64, height: int = 32) -> Image:
    """A latlong forest clearing: sky, a ragged tree line, a warm sun, the forest floor."""
    sun_az, sun_el = math.radians(FOREST_SUN_AZIMUTH), math.radians(FOREST_SUN_ELEVATION)
    pixels = []
    for y in range(height):
        elevation = (0.5 - (y + 0.5) / height) * math.pi
        for x in range(width):
            u = (x + 0.5) / width
            azimuth = (u - 0.5) * 2 * math.pi
            treeline = 0.12 + 0.16 * _noise(u, 0.0, 16, 11) + 0.06 * _noise(u, 0.5, 32, 12)
            if elevation < 0:
                g = 0.6 + 0.4 * _noise(u, y / height, 16, 13)
                rgb: Vec = (0.07 * g, 0.06 * g, 0.035 * g)
            elif elevation < treeline:
                g = 0.5 + 0.5 * _noise(u, y / height, 32, 14)
                rgb = (0.03 * g, 0.07 * g, 0.025 * g)
            else:
                t = elevation / (math.pi / 2)
                rgb = (1.1 - 0.75 * t, 1.2 - 0.6 * t, 1.35 - 0.35 * t)
            cos_angle = (math.sin(elevation) * math.sin(sun_el)
                         + math.cos(elevation) * math.cos(sun_el) * math.cos(azimuth - sun_az))
            if cos_angle > math.cos(math.radians(5.0)):
                rgb = (60.0, 52.0, 38.0)
            pixels.append(rgb)
    return Image(width, height, 3, pixels)


# == the model: a low-poly creature as OBJ + MTL ==============================================

def _sub(a: Vec, b: Vec) -> Vec:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def _add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def _mul(a: Vec, s: float) -> Vec:
    return (a[0] * s, a[1] * s, a[2] * s)


def _dot(a: Vec, b: Vec) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def _cross(a: Vec, b: Vec) -> Vec:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _unit(a: Vec) -> Vec:
    length = math.sqrt(_dot(a, a)) or 1.0
    return (a[0] / length, a[1] / length, a[2] / length)


def _rotate_y_to(axis: Vec, p: Vec) -> Vec:
    """Rotate p by the rotation taking +Y onto `axis` (Rodrigues)."""
    k = _cross((0.0, 1.0, 0.0), axis)
    s2, c = _dot(k, k), axis[1]
    if s2 < 1e-12:
        return p if c > 0 else (p[0], -p[1], -p[2])
    return _add(_add(_mul(p, c), _cross(k, p)), _mul(k, _dot(k, p) * (1 - c) / s2))


@dataclass
class Mesh:
    positions: list[Vec] = field(default_factory=list)
    uvs: list[tuple[float, float]] = field(default_factory=list)
    normals: list[Vec] = field(default_factory=list)
    groups: list[tuple[str, str, list[list[int]]]] = field(default_factory=list)

    def lathe(self, group: str, material: str, profile: Sequence[tuple[float, float]],
              segments: int, origin: Vec = (0.0, 0.0, 0.0), axis: Vec = (0.0, 1.0, 0.0)) -> None:
        """Sweep a (radius, height) profile around `axis`; a zero radius closes a pole."""
        axis, first, faces = _unit(axis), len(self.positions), []
        last = len(profile) - 1
        for j, (r, y) in enumerate(profile):
            lo, hi = profile[max(0, j - 1)], profile[min(last, j + 1)]
            nr, ny = hi[1] - lo[1], -(hi[0] - lo[0])
            if r == 0.0:
                nr, ny = 0.0, (-1.0 if j == 0 else 1.0)
            norm = math.hypot(nr, ny) or 1.0
            for i in range(segments + 1):
                theta = 2 * math.pi * i / segments
                c, s = math.cos(theta), math.sin(theta)
                self.positions.append(_add(origin, _rotate_y_to(axis, (r * c, y, r * s))))
                self.normals.append(_unit(_rotate_y_to(axis, (nr / norm * c, ny / norm,
                                                             nr / norm * s))))
                self.uvs.append((i / segments, j / last))
        for j in range(last):
            for i in range(segments):
                a = first + j * (segments + 1) + i + 1  # OBJ counts from 1
                b, c, d = a + segments + 1, a + segments + 2, a + 1
                if profile[j][0] == 0.0:
                    faces.append([a, b, c])
                elif profile[j + 1][0] == 0.0:
                    faces.append([a, b, d])
                else:
                    faces.append([a, b, c, d])
        self.groups.append((group, material, faces))

    def obj(self, mtllib: str, header: str) -> str:
        lines = [f"# {header}", f"mtllib {mtllib}", "o skaarj"]
        lines += [f"v {x:.5f} {y:.5f} {z:.5f}" for x, y, z in self.positions]
        lines += [f"vt {u:.5f} {v:.5f}" for u, v in self.uvs]
        lines += [f"vn {x:.5f} {y:.5f} {z:.5f}" for x, y, z in self.normals]
        for group, material, faces in self.groups:
            lines += [f"g {group}", f"usemtl {material}", "s 1"]
            lines += ["f " + " ".join(f"{i}/{i}/{i}" for i in face) for face in faces]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class ModelSpec:
    version: int
    horn_length: float
    tail: bool
    segments: int


MODEL_SPECS = {1: ModelSpec(1, 0.35, False, 12), 2: ModelSpec(2, 0.62, True, 16)}
BODY_PROFILE = [(0.0, -0.62), (0.36, -0.56), (0.58, -0.35), (0.7, 0.0), (0.74, 0.3),
                (0.6, 0.6), (0.3, 0.8), (0.26, 0.9), (0.4, 1.04), (0.42, 1.2), (0.3, 1.38),
                (0.0, 1.46)]


def _horn_axes(spec: ModelSpec) -> list[tuple[Vec, Vec]]:
    return [((side * 0.22, 1.32, 0.08), _unit((side * 0.55, 0.75, -0.35))) for side in (-1, 1)]


def make_model(spec: ModelSpec) -> Mesh:
    mesh, seg = Mesh(), spec.segments
    mesh.lathe("body", "skin", BODY_PROFILE, seg)
    for side in (-1, 1):
        shoulder, arm = (side * 0.62, 0.45, 0.0), _unit((side * 0.45, -1.0, 0.15))
        mesh.lathe("arms", "skin", [(0.0, 0.0), (0.16, 0.02), (0.13, 0.45), (0.1, 0.8),
                                    (0.0, 0.84)], seg // 2, shoulder, arm)
        hand = _add(shoulder, _mul(arm, 0.78))
        for finger in (-1, 0, 1):
            claw = _unit(_add(arm, (finger * 0.25, 0.0, 0.3)))
            mesh.lathe("claws", "claws", [(0.035, 0.0), (0.02, 0.12), (0.0, 0.2)], 6, hand, claw)
    for origin, axis in _horn_axes(spec):
        h = spec.horn_length
        mesh.lathe("horns", "claws", [(0.09, 0.0), (0.06, h * 0.5), (0.0, h)], 8, origin, axis)
    if spec.tail:
        mesh.lathe("tail", "skin", [(0.22, 0.0), (0.12, 0.5), (0.0, 0.95)], seg // 2,
                   (0.0, -0.3, -0.45), _unit((0.0, -0.55, -1.0)))
    return mesh


MTL = """# legos lookdev demo: viewport colours only; the real look is chr/skaarj/look
newmtl skin
Ka 0.0 0.0 0.0
Kd 0.36 0.47 0.16
Ks 0.05 0.05 0.05
Ns 40
illum 2

newmtl claws
Ka 0.0 0.0 0.0
Kd 0.82 0.78 0.66
Ks 0.2 0.2 0.2
Ns 120
illum 2
"""


# == USD layers (usda text) ===================================================================

def _f(x: float) -> str:
    return f"{x:.6g}"


def _t(values: Iterable[float]) -> str:
    return "(" + ", ".join(_f(v) for v in values) + ")"


def _layer(default_prim: str, doc: str, body: list[str], extra: Sequence[str] = ()) -> str:
    head = ["#usda 1.0", "(", f'    defaultPrim = "{default_prim}"', f'    doc = "{doc}"',
            "    metersPerUnit = 1", '    upAxis = "Y"', *[f"    {e}" for e in extra], ")", ""]
    return "\n".join(head + body) + "\n"


def material_usda(name: str, textures: dict[str, tuple[str, str]],
                  constants: dict[str, str]) -> str:
    """A UsdPreviewSurface material; `textures` maps a channel to (relative path, legos URI)."""
    inputs = {  # channel -> (surface input, its type, texture output, source colour space)
        "albedo": ("diffuseColor", "color3f", "rgb", "sRGB"),
        "roughness": ("roughness", "float", "r", "raw"),
        "normal": ("normal", "normal3f", "rgb", "raw"),
        "bump": ("displacement", "float", "r", "raw"),
        "reflectivity": ("specularColor", "color3f", "rgb", "raw"),
    }
    surface = ['        uniform token info:id = "UsdPreviewSurface"',
               "        int inputs:useSpecularWorkflow = 1"]
    surface += [f"        {line}" for line in constants.values()]
    shaders: list[str] = []
    for channel, (path, uri) in textures.items():
        target, kind, output, space = inputs[channel]
        source = f"</{name}/{channel}.outputs:{output}>"
        surface.append(f"        {kind} inputs:{target}.connect = {source}")
        shaders += [
            f'    def Shader "{channel}" (',
            f'        customData = {{ string legos_uri = "{uri}" }}',
            "    )", "    {", '        uniform token info:id = "UsdUVTexture"',
            f"        asset inputs:file = @{path}@",
            f"        float2 inputs:st.connect = </{name}/uv.outputs:result>",
            f'        token inputs:sourceColorSpace = "{space}"',
            '        token inputs:wrapS = "repeat"', '        token inputs:wrapT = "repeat"',
        ]
        if channel == "normal":
            shaders += ["        float4 inputs:scale = (2, 2, 2, 1)",
                        "        float4 inputs:bias = (-1, -1, -1, 0)"]
        out_type = "float" if output == "r" else "float3"
        shaders += [f"        {out_type} outputs:{output}", "    }", ""]
    surface.append("        token outputs:surface")
    body = [f'def Material "{name}"', "{",
            f"    token outputs:surface.connect = </{name}/surface.outputs:surface>", "",
            '    def Shader "surface"', "    {", *surface, "    }", "",
            '    def Shader "uv"', "    {",
            '        uniform token info:id = "UsdPrimvarReader_float2"',
            '        string inputs:varname = "st"', "        float2 outputs:result", "    }", "",
            *shaders, "}"]
    return _layer(name, f"legos lookdev demo: the {name} material of the skaarj", body)


def look_usda(materials: dict[str, tuple[str, str]], bindings: dict[str, str],
              model_uri: str) -> str:
    """Bindings of the model's groups to materials, which this layer references."""
    body = ['over "skaarj"', "{", '    def Scope "Looks"', "    {"]
    for name, (path, uri) in materials.items():
        body += [f'        def Material "{name}" (',
                 f"            prepend references = @{path}@",
                 f'            customData = {{ string legos_uri = "{uri}" }}',
                 "        )", "        {", "        }"]
    body += ["    }", ""]
    for group, material in bindings.items():
        body += [f'    over "{group}" (', '        prepend apiSchemas = ["MaterialBindingAPI"]',
                 "    )", "    {", f"        rel material:binding = </skaarj/Looks/{material}>",
                 "    }"]
    body.append("}")
    return _layer("skaarj", "legos lookdev demo: skaarj material bindings", body,
                  [f'customLayerData = {{ string legos_model = "{model_uri}" }}'])


@dataclass(frozen=True)
class Light:
    name: str
    usd_type: str          # RectLight, DistantLight or DomeLight
    position: Vec          # where it sits; a distant light only uses the direction to it
    intensity: float
    colour: Vec

    def rotation(self) -> Vec:
        """rotateXYZ (degrees) aiming the light's -Z at the origin."""
        d = _unit(_mul(self.position, -1.0))
        return (math.degrees(math.asin(d[1])), math.degrees(math.atan2(-d[0], -d[2])), 0.0)


FOREST_SUN_AZIMUTH, FOREST_SUN_ELEVATION = 150.0, 35.0  # in front, to the right


def _sun_position() -> Vec:
    az, el = math.radians(FOREST_SUN_AZIMUTH), math.radians(FOREST_SUN_ELEVATION)
    # matches the HDR's latlong: azimuth 0 looks down -Z, increasing towards +X
    return (math.cos(el) * math.sin(az) * 10, math.sin(el) * 10, -math.cos(el) * math.cos(az) * 10)


STUDIO_RIG = [Light("key", "RectLight", (3.0, 4.0, 4.0), 1.3, (1.0, 0.95, 0.88)),
              Light("fill", "RectLight", (-4.0, 1.5, 3.0), 0.35, (0.8, 0.88, 1.0)),
              Light("rim", "RectLight", (0.5, 3.0, -4.0), 0.9, (1.0, 1.0, 1.0))]
FOREST_RIG = [Light("sun", "DistantLight", _sun_position(), 1.6, (1.0, 0.9, 0.75)),
              Light("sky", "DomeLight", (0.0, 10.0, 0.0), 1.0, (1.0, 1.0, 1.0))]


def light_rig_usda(name: str, rig: list[Light], hdr_path: str | None = None,
                   hdr_uri: str | None = None) -> str:
    body = [f'def Xform "{name}"', "{"]
    for light in rig:
        body += [f'    def {light.usd_type} "{light.name}"', "    {",
                 f"        float inputs:intensity = {_f(light.intensity)}",
                 f"        color3f inputs:color = {_t(light.colour)}"]
        if light.usd_type == "RectLight":
            body += ["        float inputs:width = 1.5", "        float inputs:height = 1.5",
                     f"        double3 xformOp:translate = {_t(light.position)}"]
        if light.usd_type == "DistantLight":
            body.append("        float inputs:angle = 0.53")
        if light.usd_type == "DomeLight":
            body += [f"        asset inputs:texture:file = @{hdr_path}@",
                     '        token inputs:texture:format = "latlong"',
                     f'        custom string legos:hdr = "{hdr_uri}"', "    }"]
            continue
        ops = (['"xformOp:translate", ' if light.usd_type == "RectLight" else ""]
               + ['"xformOp:rotateXYZ"'])
        body += [f"        float3 xformOp:rotateXYZ = {_t(light.rotation())}",
                 f"        uniform token[] xformOpOrder = [{''.join(ops)}]", "    }"]
    body.append("}")
    return _layer(name, f"legos lookdev demo: the {name} light rig", body)


@dataclass(frozen=True)
class CameraSpec:
    position: Vec = (0.0, 0.75, 7.0)
    target: Vec = (0.0, 0.6, 0.0)
    focal_length: float = 50.0
    horizontal_aperture: float = 36.0
    frames: int = 96


CAMERA = CameraSpec()


def camera_usda(cam: CameraSpec) -> str:
    body = ['def Xform "turntable"', "{",
            "    float3 xformOp:rotateXYZ.timeSamples = "
            f"{{ 1: (0, 0, 0), {cam.frames}: (0, 360, 0) }}",
            '    uniform token[] xformOpOrder = ["xformOp:rotateXYZ"]', "",
            '    def Camera "cam"', "    {",
            f"        float focalLength = {_f(cam.focal_length)}",
            f"        float horizontalAperture = {_f(cam.horizontal_aperture)}",
            f"        float verticalAperture = {_f(cam.horizontal_aperture * 9 / 16)}",
            "        float2 clippingRange = (0.1, 1000)",
            '        token projection = "perspective"',
            f"        double3 xformOp:translate = {_t(cam.position)}",
            '        uniform token[] xformOpOrder = ["xformOp:translate"]', "    }", "}"]
    return _layer("turntable", "legos lookdev demo: turntable camera rig", body,
                  ["startTimeCode = 1", f"endTimeCode = {cam.frames}"])


def render_settings_usda() -> str:
    body = ['def Scope "Render"', "{", '    def RenderSettings "qc"', "    {",
            "        int2 resolution = (1920, 1080)", "        float pixelAspectRatio = 1",
            "        rel camera = </turntable/cam>", "        rel products = </Render/qc/beauty>",
            '        uniform token[] includedPurposes = ["default", "render"]',
            "        custom int legos:qc:samples = 64",
            "        custom int legos:qc:maxBounces = 4",
            "",
            '        def RenderProduct "beauty"', "        {",
            '            token productName = "skaarj_qc.####.exr"',
            "            rel orderedVars = </Render/qc/beauty/color>", "",
            '            def RenderVar "color"', "            {",
            '                string sourceName = "Ci"',
            '                token dataType = "color3f"',
            "            }", "        }", "    }", "}"]
    return _layer("Render", "legos lookdev demo: QC turntable render settings", body)


# == a tiny ray tracer for the QC frame =======================================================

@dataclass
class Scene:
    spheres: list[tuple[Vec, float, str]]  # centre, radius, material
    textures: dict[str, Image]
    lights: list[tuple[Vec, Vec]]          # direction to the light, colour x intensity
    sky: Callable[[Vec], Vec]              # background radiance along a ray
    ambient: Callable[[Vec], Vec]          # irradiance-ish for a normal
    ground: Vec
    bound: tuple[Vec, float] = ((0.0, 0.0, 0.0), 0.0)  # one sphere around them all

    def __post_init__(self) -> None:
        n = len(self.spheres)
        xs, ys, zs = zip(*(c for c, _, _ in self.spheres), strict=True)
        centre = (sum(xs) / n, sum(ys) / n, sum(zs) / n)
        radius = max(math.dist(centre, c) + r for c, r, _ in self.spheres)
        self.bound = (centre, radius)


def scene_for(spec: ModelSpec, textures: dict[str, Image], rig_name: str,
              hdr: Image | None) -> Scene:
    """Sphere proxies of the model (horn length and tail follow the model version)."""
    spheres: list[tuple[Vec, float, str]] = [((0.0, 0.1, 0.0), 0.72, "skin"),
                                             ((0.0, 1.12, 0.1), 0.4, "skin")]
    for origin, axis in _horn_axes(spec):
        steps = max(2, round(spec.horn_length / 0.09))
        for k in range(steps):
            t = k / steps
            spheres.append((_add(origin, _mul(axis, spec.horn_length * t)), 0.09 * (1 - t) + 0.02,
                            "claws"))
    for side in (-1, 1):
        spheres.append(((side * 0.8, 0.05, 0.15), 0.2, "skin"))
    if spec.tail:
        for k in range(5):
            spheres.append(((0.0, -0.35 - 0.1 * k, -0.6 - 0.17 * k), 0.18 - 0.03 * k, "skin"))
    rig = STUDIO_RIG if rig_name == "studio" else FOREST_RIG
    lights = [(_unit(light.position), _mul(light.colour, light.intensity))
              for light in rig if light.usd_type != "DomeLight"]
    if hdr is not None:
        def sky(d: Vec) -> Vec:
            u = 0.5 + math.atan2(d[0], -d[2]) / (2 * math.pi)
            v = math.acos(max(-1.0, min(1.0, d[1]))) / math.pi
            r, g, b = hdr.sample(u, v)
            return (min(r, 4.0), min(g, 4.0), min(b, 4.0))  # the sun is a light, not sky

        def ambient(n: Vec) -> Vec:
            t = 0.5 + 0.5 * n[1]
            return _add(_mul((0.05, 0.06, 0.03), 1 - t), _mul((0.55, 0.75, 1.0), 0.45 * t))
        ground: Vec = (0.06, 0.05, 0.03)
    else:
        def sky(d: Vec) -> Vec:
            g = 0.05 + 0.07 * (0.5 + 0.5 * d[1])
            return (g, g, g)

        def ambient(n: Vec) -> Vec:
            return (0.05, 0.05, 0.055)
        ground = (0.16, 0.16, 0.16)
    return Scene(spheres, textures, lights, sky, ambient, ground)


def _hit(scene: Scene, origin: Vec, d: Vec) -> tuple[float, int]:
    best, index = math.inf, -1
    centre, radius = scene.bound
    oc = _sub(origin, centre)
    b = _dot(oc, d)
    if b * b - (_dot(oc, oc) - radius * radius) <= 0:
        return best, index  # the ray misses everything (most background pixels)
    for i, (centre, radius, _) in enumerate(scene.spheres):
        oc = _sub(origin, centre)
        b = _dot(oc, d)
        disc = b * b - (_dot(oc, oc) - radius * radius)
        if disc > 0:
            t = -b - math.sqrt(disc)
            if 1e-4 < t < best:
                best, index = t, i
    return best, index


def render(scene: Scene, cam: CameraSpec, width: int, height: int) -> Image:
    forward = _unit(_sub(cam.target, cam.position))
    right = _unit(_cross(forward, (0.0, 1.0, 0.0)))
    up = _cross(right, forward)
    half_w = cam.horizontal_aperture / 2 / cam.focal_length
    half_h = half_w * height / width
    ground_y = -0.62
    pixels = []
    for y in range(height):
        for x in range(width):
            sx = ((x + 0.5) / width * 2 - 1) * half_w
            sy = (1 - (y + 0.5) / height * 2) * half_h
            d = _unit(_add(forward, _add(_mul(right, sx), _mul(up, sy))))
            t, i = _hit(scene, cam.position, d)
            t_ground = (ground_y - cam.position[1]) / d[1] if d[1] < -1e-6 else math.inf
            if i < 0 and t_ground == math.inf:
                colour = scene.sky(d)
            elif i < 0 or t_ground < t:
                p = _add(cam.position, _mul(d, t_ground))
                colour = _mul(scene.ambient((0.0, 1.0, 0.0)), 1.0)
                for direction, light in scene.lights:
                    if _hit(scene, p, direction)[1] < 0:
                        colour = _add(colour, _mul(light, max(0.0, direction[1])))
                colour = (colour[0] * scene.ground[0], colour[1] * scene.ground[1],
                          colour[2] * scene.ground[2])
                fade = math.exp(-0.04 * t_ground * t_ground)
                colour = _add(_mul(colour, fade), _mul(scene.sky(d), 1 - fade))
            else:
                colour = _shade(scene, i, _add(cam.position, _mul(d, t)), d)
            pixels.append(tuple((1.0 - math.exp(-1.6 * c)) ** (1 / 2.2) for c in colour))
    return Image(width, height, 3, pixels)


def _shade(scene: Scene, index: int, p: Vec, d: Vec) -> Vec:
    centre, _, material = scene.spheres[index]
    n = _unit(_sub(p, centre))
    u = 0.5 + math.atan2(n[2], n[0]) / (2 * math.pi)
    v = 0.5 - math.asin(max(-1.0, min(1.0, n[1]))) / math.pi
    if material == "skin":
        base = tuple(c ** 2.2 for c in scene.textures["albedo"].sample(2 * u, v))
    else:
        base = (0.62, 0.56, 0.42)
    rough = scene.textures["roughness"].sample(2 * u, v)[0]
    f0 = scene.textures["reflectivity"].sample(2 * u, v)[0]
    shininess = max(2.0, 2.0 / max(rough, 0.05) ** 4 - 2.0)
    colour = tuple(b * a for b, a in zip(base, scene.ambient(n), strict=True))
    for direction, light in scene.lights:
        n_dot_l = _dot(n, direction)
        if n_dot_l <= 0 or _hit(scene, p, direction)[1] >= 0:
            continue
        h = _unit(_sub(direction, d))
        spec = f0 * (shininess + 2) / 8 * max(0.0, _dot(n, h)) ** shininess
        colour = tuple(c + (b * n_dot_l + spec * n_dot_l) * li
                       for c, b, li in zip(colour, base, light, strict=True))
    return colour  # type: ignore[return-value]
