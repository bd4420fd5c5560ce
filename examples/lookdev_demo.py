"""The legos lookdev demo: a character look built by five artists, QC'd, and its lineage asked for.

It generates its own small but real content (PNG textures, an OBJ model, USDA materials, look
bindings, light rigs, camera and render settings, a Radiance HDR, a rendered QC frame) with the
standard library only, and publishes it through the legos Python API into a fresh store:

- ana models `chr/skaarj/model`, ben paints five textures, cleo builds the materials, the
  look bindings and the `chr/skaarj/lookdev` LookDevPackage, dev lights (a studio rig and a
  forest rig built on an HDR), sets up the turntable camera and the QC render settings;
- cleo renders QC v1, the supervisor asks for changes; the model, the albedo and roughness
  textures get a v2, everything above them is republished, QC v2 is submitted and approved;
- it prints what the approved QC render was made from (every exact version, found by walking
  the graph), what uses the albedo v2 texture (down to the approved QC revision), and the CLI
  commands to explore the demo store yourself.

    python examples/lookdev_demo.py                 # into ./demo-out (wiped first)
    python examples/lookdev_demo.py --out /tmp/lg   # elsewhere
    python examples/lookdev_demo.py --store bolt://localhost:7687 --project demo2
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shlex
import shutil
import stat
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import legos
from legos.errors import AssetNotFoundError, LegosError
from legos.layout import version_folder
from legos.model import LineageRow, Version
from legos.store.connect import is_neo4j_uri
from lookdev_content import (
    CAMERA,
    FOREST_RIG,
    MODEL_SPECS,
    MTL,
    STUDIO_RIG,
    Image,
    ModelSpec,
    camera_usda,
    hdr_bytes,
    light_rig_usda,
    look_usda,
    make_forest_hdr,
    make_model,
    make_texture,
    material_usda,
    png_bytes,
    render,
    render_settings_usda,
    scene_for,
)

MARKER = ".legos-demo"  # only a folder carrying this marker is ever wiped
TEXTURES = ("albedo", "bump", "normal", "roughness", "reflectivity")
RENDER_SIZE = (160, 90)  # a 1/12 proxy of the 1920x1080 QC render settings


# == the story: who published what ============================================================

@dataclass
class Story:
    lg: legos.Legos
    project: str
    work: Path
    say: Callable[[str, str, str], None]
    published: list[Version] = field(default_factory=list)

    def uri(self, asset: str) -> str:
        return f"legos:/{self.project}/{asset}"

    def next_folder(self, asset: str, kind: str) -> tuple[Path, int]:
        """Where the next version of `asset` will land, so its files can point at others
        relatively. The number is only final at publish, so `publish(expect=...)` checks it."""
        try:
            number = max(r.version for r in self.lg.history(self.uri(asset))) + 1
        except AssetNotFoundError:
            number = 1
        folder = version_folder(self.lg.template, self.lg.root, self.project, asset, kind, number)
        return folder, number

    def workdir(self, user: str, asset: str, take: int) -> Path:
        folder = self.work / user / asset.replace("/", "_") / f"v{take:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def publish(self, user: str, asset: str, kind: str, files: Sequence[Path], comment: str,
                deps: Sequence[Any] = (), members: Sequence[Any] = (),
                expect: int | None = None) -> Version:
        version = self.lg.publish(self.project, asset, kind=kind, files=files,
                                  dependencies=deps, members=members, comment=comment, user=user)
        if expect is not None and version.number != expect:
            raise RuntimeError(f"{version.uri} was expected as v{expect}: someone else is "
                               f"publishing {asset}, so its relative file paths are wrong")
        self.published.append(version)
        self.say(user, version.uri, comment)
        return version


def _file(version: Version, name: str) -> str:
    return next(r.path for r in version.representations if r.name == name)


def _rel(folder: Path, target: str) -> str:
    return Path(os.path.relpath(target, folder)).as_posix()


def _write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def tell(story: Story, on_event: Callable[[str], None]) -> dict[str, Any]:
    """Publish the whole lookdev history; returns the versions and revisions worth asking about."""
    s = story

    def publish_model(spec: ModelSpec, comment: str) -> Version:
        folder = s.workdir("ana", "chr/skaarj/model", spec.version)
        obj = make_model(spec).obj("skaarj.mtl", f"skaarj v{spec.version}, legos lookdev demo")
        return s.publish("ana", "chr/skaarj/model", "ModelAsset",
                         [_write(folder, "skaarj.obj", obj), _write(folder, "skaarj.mtl", MTL)],
                         comment)

    def publish_texture(name: str, version: int, comment: str) -> tuple[Version, Image]:
        image = make_texture(name, version)
        folder = s.workdir("ben", f"chr/skaarj/tex/{name}", version)
        path = _write(folder, f"{name}.png", png_bytes(image, f"skaarj {name} v{version}"))
        return s.publish("ben", f"chr/skaarj/tex/{name}", "TextureAsset", [path], comment), image

    def publish_material(name: str, channels: Sequence[str], constants: dict[str, str],
                         comment: str) -> Version:
        asset = f"chr/skaarj/mtl/{name}"
        target, number = s.next_folder(asset, "MaterialAsset")
        links = {c: (_rel(target, _file(tex[c], f"{c}.png")), tex[c].uri) for c in channels}
        folder = s.workdir("cleo", asset, number)
        path = _write(folder, f"{name}.usda", material_usda(name, links, constants))
        return s.publish("cleo", asset, "MaterialAsset", [path], comment,
                         deps=[tex[c].uri for c in channels], expect=number)

    def publish_look(model: Version, spec: ModelSpec, materials: dict[str, Version],
                     comment: str) -> Version:
        target, number = s.next_folder("chr/skaarj/look", "LookBindingAsset")
        refs = {n: (_rel(target, _file(v, f"{n}.usda")), v.uri) for n, v in materials.items()}
        bindings = {"body": "skin", "arms": "skin", "horns": "claws", "claws": "claws"}
        if spec.tail:
            bindings["tail"] = "skin"
        folder = s.workdir("cleo", "chr/skaarj/look", number)
        path = _write(folder, "look.usda", look_usda(refs, bindings, model.uri))
        return s.publish("cleo", "chr/skaarj/look", "LookBindingAsset", [path], comment,
                         deps=[model.uri, *(v.uri for v in materials.values())], expect=number)

    def publish_lookdev(comment: str) -> Version:
        members = [cur["model"].uri, cur["look"].uri, cur["skin"].uri, cur["claws"].uri,
                   *(tex[t].uri for t in TEXTURES), studio.uri, forest.uri,
                   ("camera", cam.uri), ("render_settings", rs.uri)]
        return s.publish("cleo", "chr/skaarj/lookdev", "LookDevPackage", [], comment,
                         members=members)

    def publish_qc(lookdev: Version, spec: ModelSpec, rig: Version, rig_name: str,
                   comment: str) -> Version:
        scene = scene_for(spec, images, rig_name, hdr_image if rig_name == "forest" else None)
        frame = render(scene, CAMERA, *RENDER_SIZE)
        folder = s.workdir("cleo", "chr/skaarj/qc_render", lookdev.number)
        path = _write(folder, "skaarj_qc.0001.png", png_bytes(frame, f"QC of {lookdev.uri}"))
        return s.publish("cleo", "chr/skaarj/qc_render", "RenderAsset", [path], comment,
                         deps=[lookdev.uri, rig.uri, cam.uri, rs.uri])

    skin_constants = {"metallic": "float inputs:metallic = 0"}
    claw_constants = {"colour": "color3f inputs:diffuseColor = (0.62, 0.56, 0.42)",
                      "metallic": "float inputs:metallic = 0"}

    on_event("first pass")
    cur: dict[str, Version] = {}
    cur["model"] = publish_model(MODEL_SPECS[1],
                                 "blockout: body, arms, claws, short horns; UVs laid out")
    tex: dict[str, Version] = {}
    images: dict[str, Image] = {}
    first_comments = {"albedo": "scales, olive green", "bump": "scale grooves",
                      "normal": "baked from the bump", "roughness": "glossy skin",
                      "reflectivity": "wet scale tops"}
    for name in TEXTURES:
        tex[name], images[name] = publish_texture(name, 1, first_comments[name])

    hdr_image = make_forest_hdr()
    hdr_folder = s.workdir("dev", "env/forest_hdr", 1)
    hdr = s.publish("dev", "env/forest_hdr", "HdrAsset",
                    [_write(hdr_folder, "forest.hdr", hdr_bytes(hdr_image))],
                    "forest clearing latlong, sun at 35 degrees")
    folder = s.workdir("dev", "lgt/studio", 1)
    studio = s.publish("dev", "lgt/studio", "LightRigAsset",
                       [_write(folder, "studio.usda", light_rig_usda("studio", STUDIO_RIG))],
                       "key, fill and rim for turntables")
    target, number = s.next_folder("lgt/forest", "LightRigAsset")
    folder = s.workdir("dev", "lgt/forest", number)
    rig = light_rig_usda("forest", FOREST_RIG, _rel(target, _file(hdr, "forest.hdr")), hdr.uri)
    forest = s.publish("dev", "lgt/forest", "LightRigAsset", [_write(folder, "forest.usda", rig)],
                       "dome on the forest HDR plus a matching sun", deps=[hdr.uri], expect=number)
    folder = s.workdir("dev", "cam/turntable", 1)
    cam = s.publish("dev", "cam/turntable", "CameraAsset",
                    [_write(folder, "turntable.usda", camera_usda(CAMERA))],
                    "50mm, 96-frame turntable")
    folder = s.workdir("dev", "rs/qc", 1)
    rs = s.publish("dev", "rs/qc", "RenderSettingsAsset",
                   [_write(folder, "qc.usda", render_settings_usda())],
                   "1920x1080, 64 samples", deps=[cam.uri])

    cur["skin"] = publish_material("skin", TEXTURES, skin_constants, "first skin shader")
    cur["claws"] = publish_material("claws", ("roughness", "reflectivity"), claw_constants,
                                    "bone-coloured claws and horns")
    cur["look"] = publish_look(cur["model"], MODEL_SPECS[1],
                               {"skin": cur["skin"], "claws": cur["claws"]},
                               "skin on body and arms, claws on horns and claws")
    lookdev1 = publish_lookdev("first lookdev for QC")
    qc1 = publish_qc(lookdev1, MODEL_SPECS[1], studio, "studio", "QC turntable, studio light")
    rev1 = s.lg.submit(qc1.uri, note="first look at the skaarj", user="cleo")
    on_event(f"cleo submits {qc1.uri} as {rev1.uid}")
    notes1 = "too green and plastic; horns too short"
    s.lg.review(rev1.uid, "needs_changes", note=notes1, user="sup")
    on_event(f"sup reviews {rev1.uid}: needs_changes ({notes1})")

    on_event("second pass")
    cur["model"] = publish_model(MODEL_SPECS[2], "longer horns, tail added; UVs unchanged")
    tex["albedo"], images["albedo"] = publish_texture("albedo", 2, "desaturated, browner scales")
    tex["roughness"], images["roughness"] = publish_texture("roughness", 2, "rougher, drier skin")
    cur["skin"] = publish_material("skin", TEXTURES, skin_constants, "new albedo and roughness")
    cur["claws"] = publish_material("claws", ("roughness", "reflectivity"), claw_constants,
                                    "new roughness")
    cur["look"] = publish_look(cur["model"], MODEL_SPECS[2],
                               {"skin": cur["skin"], "claws": cur["claws"]},
                               "bindings for the v2 model (tail gets skin)")
    lookdev2 = publish_lookdev("QC notes addressed")
    qc2 = publish_qc(lookdev2, MODEL_SPECS[2], forest, "forest", "QC turntable, forest light")
    rev2 = s.lg.submit(qc2.uri, note="notes addressed, now in forest light", user="cleo")
    on_event(f"cleo submits {qc2.uri} as {rev2.uid}")
    s.lg.review(rev2.uid, "approved", note="approved for shots", user="sup")
    on_event(f"sup reviews {rev2.uid}: approved")
    s.lg.set_status(lookdev2.uri, "approved", user="sup", note=f"QC {rev2.uid} approved")
    on_event(f"sup approves {lookdev2.uri}")
    return {"qc": [qc1, qc2], "revisions": [rev1, rev2], "lookdev": [lookdev1, lookdev2],
            "albedo": tex["albedo"]}


# == running it ===============================================================================

def prepare_out(out: Path) -> None:
    """Empty `out`, but only when it is missing, empty or a previous demo's output."""
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise FileExistsError(f"{out} is not empty and was not made by this demo: "
                              "choose another --out")
    if out.exists():
        for dirpath, _dirs, _files in os.walk(out):  # published versions are read-only
            os.chmod(dirpath, stat.S_IRWXU)
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / MARKER).write_text("made by examples/lookdev_demo.py; wiped by its next run\n")


def _console() -> Any:
    from rich.console import Console

    console = Console(highlight=False)
    return console if console.is_terminal else Console(highlight=False, width=200)


def _lineage_table(title: str, rows: list[LineageRow], caption: str) -> Any:
    from rich.table import Table

    table = Table(title=title, caption=caption, header_style="bold", title_justify="left")
    for column in ("depth", "URI", "kind", "role", "via", "status", "created by", "created at"):
        table.add_column(column, no_wrap=column in ("URI", "kind", "created at"))
    for r in rows:
        status = r.status if r.revision is None else f"{r.revision}: {r.status}"
        style = {"approved": "green", "needs_changes": "yellow"}.get(r.status)
        table.add_row(str(r.depth), r.uri, r.kind, r.role or "", r.relation, status,
                      r.created_by, f"{r.created_at:%Y-%m-%d %H:%M:%S}", style=style)
    return table


def _questions(first_qc: str, qc: str, albedo: str, changed: list[Any], chain: list[Any],
               rebuild: list[Any], behind: list[Any]) -> Any:
    """Four of the questions (legos.questions), one short line per answer row."""
    from rich.console import Group
    from rich.text import Text

    lines = [Text(f"What changed between {first_qc} and {qc}:", style="bold")]
    lines += [Text(f"  {d.change:<8} {d.asset:<28} "
                   f"{', '.join(f'v{v}' for v in d.from_versions) or '-':>6} -> "
                   f"{', '.join(f'v{v}' for v in d.to_versions) or '-'}") for d in changed]
    lines.append(Text(f"How {qc} came to use {albedo}:", style="bold"))
    lines.append(Text("  " + " ".join(
        (f"--{s.role}--> " if s.relation else "") + f"{s.asset} v{s.version}" for s in chain)))
    lines.append(Text(f"If {albedo} changes, rebuild in waves:", style="bold"))
    for wave in sorted({r.wave for r in rebuild}):
        lines.append(Text(f"  wave {wave}: " + ", ".join(
            f"{r.asset} v{r.version}" for r in rebuild if r.wave == wave)))
    lines.append(Text(f"Out of date in {first_qc} (a newer version is approved):", style="bold"))
    lines += [Text(f"  {r.asset} v{r.version} -> v{r.newer_version}") for r in behind]
    return Group(*lines)


def _legos_executable() -> str:
    """`legos` if the shell finds it, else the one beside this Python (scripts/demo.sh's venv)."""
    beside = Path(sys.executable).parent / "legos"
    if shutil.which("legos") or not beside.exists():
        return "legos"
    return shlex.quote(str(beside))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="lookdev_demo.py", description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="demo-out", metavar="DIR",
                        help="work folder, wiped first (default: ./demo-out)")
    parser.add_argument("--store", metavar="S",
                        help="store: default DIR/store (embedded); or a bolt:// or neo4j:// URI")
    parser.add_argument("--project", default="demo",
                        help="project code (default: demo); on Neo4j it must be unused")
    args = parser.parse_args(argv)

    from rich.markup import escape

    console = _console()
    started = time.perf_counter()
    out = Path(args.out)
    store = args.store or str(out / "store")
    on_neo4j = is_neo4j_uri(store)
    root = out / "publish"

    def say(user: str, uri: str, comment: str) -> None:
        console.print(f"  [cyan]{user:<5}[/] [bold]{escape(uri):<48}[/] {escape(comment)}")

    def on_event(text: str) -> None:
        if text in ("first pass", "second pass"):
            console.print(f"\n[bold underline]{text}[/]")
        else:
            console.print(f"  [magenta]{escape(text)}[/]")

    if on_neo4j:
        # Neo4j warns on every query naming a relationship type no data has yet (TAGGED here);
        # the legos Neo4j backend does not silence that yet, so the demo does.
        logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    console.print(f"[bold]legos lookdev demo[/]: store {escape(store)}, "
                  f"files under {escape(str(out))}")
    try:
        with contextlib.ExitStack() as stack:
            if on_neo4j:  # check before wiping: the files of an earlier run may be in use
                lg = stack.enter_context(legos.open(store, create=True))
                if lg.assets(args.project):
                    console.print(f"[red]project {args.project!r} already has assets in "
                                  f"{escape(store)}: pass --project with an unused code[/]")
                    return 1
            try:
                prepare_out(out)
            except FileExistsError as exc:
                console.print(f"[red]lookdev_demo: {escape(str(exc))}[/]")
                return 2
            if not on_neo4j:
                lg = stack.enter_context(legos.open(store, create=True))
                lg.configure(root=root)
            elif lg.root_or_none is None:  # a Neo4j store keeps the root it has
                lg.configure(root=root)
            story = Story(lg, args.project, out / "work", say)
            result = tell(story, on_event)
            qc_uri = f"legos:/{args.project}/chr/skaarj/qc_render?status=approved"
            qc = lg.show(qc_uri)
            made_from = lg.dependencies(qc_uri)
            albedo = result["albedo"].uri
            used_by = lg.dependents(albedo)
            first_qc = result["qc"][0].uri
            changed = lg.diff(first_qc, qc.uri)
            chain = lg.path(qc.uri, albedo)
            rebuild = lg.impact(albedo, revisions=False)
            behind = lg.stale(first_qc)
    except LegosError as exc:
        console.print(f"[red]legos: error: {escape(str(exc))}[/]")
        return 1

    console.print()
    console.print(_lineage_table(
        f"What the approved QC render {qc.uri} was made from",
        made_from, "depth: shortest number of hops from the QC render; via: the edge that "
        "reached it (depends_on, or contains for package members)"))
    console.print()
    console.print(_lineage_table(
        f"Everything that used {albedo}", used_by,
        "rows with a revision id are dailies submissions of the version on that row"))

    console.print()
    console.print(_questions(first_qc, qc.uri, albedo, changed, chain, rebuild, behind))

    # absolute paths: the commands work from any folder (options follow the command name)
    where = (["--store", store, "--root", str(root.resolve())] if on_neo4j
             else ["--store", str(Path(store).resolve())])
    flags = " ".join(shlex.quote(w) for w in where)
    p, exe = args.project, _legos_executable()
    commands = [
        f"{exe} deps {flags} '{qc_uri}'",
        f"{exe} deps {flags} '{albedo}' --reverse",
        f"{exe} contents {flags} 'legos:/{p}/chr/skaarj/lookdev?status=approved'",
        f"{exe} history {flags} legos:/{p}/chr/skaarj/qc_render",
        f"{exe} changes {flags} '{qc.uri}'",
        f"{exe} show {flags} 'legos:/{p}/chr/skaarj/mtl/skin?version=2'",
        f"{exe} ls {flags} {p} --kind TextureAsset",
        f"{exe} impact {flags} '{albedo}'",
        f"{exe} stale {flags} '{first_qc}' --any-newer",
        f"{exe} diff {flags} '{first_qc}' '{qc.uri}'",
        f"{exe} evolution {flags} legos:/{p}/chr/skaarj/mtl/skin",
        f"{exe} deps {flags} '{qc.uri}' --format svg -o qc.svg",
        f"{exe} analytics users {flags}",
        f"{exe} query {flags} --list",
    ]
    console.print("\n[bold]Try next[/] (the published files are under "
                  f"{escape(str(root.resolve()))}, read-only):")
    for line in commands:
        console.print(f"  {escape(line)}", soft_wrap=True)
    users = {v.created_by for v in story.published} | {"sup"}
    console.print(f"\n{len(story.published)} versions and {len(result['revisions'])} QC revisions "
                  f"by {len(users)} users, in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
