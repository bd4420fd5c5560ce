"""Every example in README.md runs, as written, on both backends; so does every shell idiom
of the commands' help (examples chaining commands, or feeding one's output to another).

The fenced bash blocks run through bash (`set -euo pipefail`, `legos` of this environment on
PATH) and the Python blocks through python, in document order, in one work folder against
one fresh store: the README reads as one session. What the test changes, and why:

- the files the examples name (`model.usd`, `albedo.png`, `qc.exr`, `shot.usda`, ...) are
  small generated files or real ones from the shared third-party assets;
- absolute example paths (`/mnt/...`, `/farm/...`, `/shots/...`) move under the test's
  temporary folder, and HOME too (`~/publish`); `/mnt/publish`, the Python example's mount
  of the publish root, is a symlink to it: the same storage under another mount;
- the Python example's `bolt://db.studio:7687` becomes the test store (a folder, or the
  test Neo4j: no README command is skipped for naming a bolt URL);
- the questions' `--as-of` instant becomes one inside the session (the README's date is
  before any test ran);
- NOT_RUN lists the lines not run, with the reason;
- before the "Selection" section, STUDIO publishes what the later sections talk about and
  the first ones do not make (a second round of the look, a shot with three versions).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
BIN = Path(sys.executable).parent  # the environment's bin, holding `legos`

NOT_RUN = {
    "pip install -e .": "the suite runs in the installed package",
    "bash scripts/demo.sh": "tests/test_demo.py runs the demo",
    "bash scripts/test.sh": "it is this test suite",
    "python blender/build_extension.py --platform linux-x64 --platform windows-x64":
        "it fetches wheels from PyPI; tests/test_blender_extension.py checks the manifest it writes",
    "blender --command extension validate blender/dist/legos-0.1.0.zip":
        "there is no Blender binary here (the bpy module has no command line)",
    "blender --command extension install-file -r user_default -e blender/dist/legos-0.1.0.zip":
        "there is no Blender binary here (the bpy module has no command line)",
}
EXAMPLE_ROOTS = ("mnt", "farm", "shots", "old")
README_BOLT = "bolt://db.studio:7687"
README_AS_OF = "2026-03-01T18:00:00Z"

# What the later sections assume a studio has, beyond what "Using it" and the Python example
# made: the warmer albedo carried up to a second look and QC render (QC v2 approved in
# dailies, the look's inputs approved), and shot seq010/sh0040 in three versions on the first
# look, each with its camera version (the last ones approved), and the skaarj's character
# package. Split where the `--as-of` instant is taken.
STUDIO_ROUND_TWO = """
legos publish demo/chr/skaarj/mtl/skin --kind MaterialAsset --file v2/skin.usda \\
      --dep legos:/demo/chr/skaarj/tex/albedo --dep bump=legos:/demo/chr/skaarj/tex/bump \\
      --comment "warmer albedo"
legos publish demo/chr/skaarj/lookdev --kind LookDevPackage \\
      --member legos:/demo/chr/skaarj/model --member skin=legos:/demo/chr/skaarj/mtl/skin
legos publish demo/chr/skaarj/qc --kind RenderAsset --file v2/qc.exr \\
      --dep legos:/demo/chr/skaarj/lookdev
"""
STUDIO_APPROVALS_AND_SHOT = """
legos review "$(legos submit 'legos:/demo/chr/skaarj/qc?version=2')" approved
for asset in model tex/albedo tex/bump mtl/skin lookdev; do
  legos status "legos:/demo/chr/skaarj/$asset" approved --note "look approved in QC"
done
for n in 1 2 3; do
  legos publish demo/seq010/cam --kind CameraAsset --file "layout/v$n/cam.usda"
  legos publish demo/seq010/sh0040 --kind ShotPackage --comment "layout $n" \\
        --member 'skaarj=legos:/demo/chr/skaarj/lookdev?version=1' \\
        --member camera=legos:/demo/seq010/cam
done
legos status legos:/demo/seq010/cam approved
legos status legos:/demo/seq010/sh0040 approved --note "layout approved"
legos publish demo/chr/skaarj --kind CharacterPackage \
      --member legos:/demo/chr/skaarj/model --member legos:/demo/chr/skaarj/lookdev
"""


# The questions section says: "Each prints a table, or with --json a list of objects; a row
# about a version or an asset has its uri, asset and version (rows of analytics users are
# users, of query --list questions, and of lineage/path the chain's uris)".
NOT_VERSION_ROWS = ("legos analytics users", "legos query")
EMPTY_IN_THIS_SESSION = ("legos analytics iteration",)  # its example window ends before it


@dataclass(frozen=True)
class Block:
    section: str
    lang: str
    code: str


def readme_blocks(text: str) -> list[Block]:
    blocks, section = [], ""
    for match in re.finditer(r"^## ([^\n]+)$|^```(\w+)\n(.*?)^```", text, re.M | re.S):
        if match.group(1):
            section = match.group(1).strip()
        elif match.group(2) in ("bash", "python"):
            blocks.append(Block(section, match.group(2), match.group(3)))
    return blocks


def runnable(code: str) -> str:
    """The block without the NOT_RUN lines (each a whole command on one line)."""
    return "".join(line for line in code.splitlines(keepends=True)
                   if line.split("#", 1)[0].strip() not in NOT_RUN)


def substitute(code: str, tmp: Path, store: str, as_of: str) -> str:
    code = re.sub(rf"(?<![\w.~/])/({'|'.join(EXAMPLE_ROOTS)})/", rf"{tmp}/\1/", code)
    return code.replace(README_BOLT, store).replace(README_AS_OF, as_of)


def commands(code: str) -> list[str]:
    """The commands of a bash block, one per entry: continuations joined, comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", code)
    return [re.sub(r"\s+#.*$", "", line).strip() for line in joined.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    rows = b"".join(b"\0" + bytes(rgb) * width for _ in range(height))
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def _usda(body: str, doc: str) -> str:
    return f'#usda 1.0\n(\n    doc = "{doc}"\n)\n\n{body}\n'


MODEL = _usda('def Xform "skaarj" (\n    kind = "component"\n)\n{\n    def Mesh "body"\n    {\n'
              '        int[] faceVertexCounts = [3]\n        int[] faceVertexIndices = [0, 1, 2]\n'
              '        point3f[] points = [(0, 0, 0), (1, 0, 0), (0, 1, 0)]\n    }\n}',
              "skaarj blockout").replace("(\n", '(\n    defaultPrim = "skaarj"\n', 1)
# the layout: the camera layer by its published path (under the mount, as a studio's files
# name it), the model by a search path that pins resolve
SHOT = _usda('def Xform "sh0040"\n{\n    def "skaarj" (\n'
             '        references = @chr/skaarj/model/model.usd@\n    )\n    {\n    }\n}',
             "seq010/sh0040 layout").replace(
    ")\n", "    subLayers = [@/mnt/publish/demo/seq010/cam/v001/cam.usda@]\n)\n", 1)


def _material(name: str, roughness: float) -> str:
    return _usda(f'def Material "{name}"\n{{\n    def Shader "surface"\n    {{\n'
                 '        uniform token info:id = "UsdPreviewSurface"\n'
                 f'        float inputs:roughness = {roughness}\n    }}\n}}', f"{name} material")


def _camera(n: int) -> str:
    return _usda(f'def Camera "cam"\n{{\n    float focalLength = {35 + n}\n}}', f"sh0040 cam {n}")


def write_inputs(work: Path, shared: Path | None, tmp: Path) -> None:
    """The files the examples publish: real images and an EXR from the shared assets when
    they are there, else generated ones; small USD layers written here. A later version of a
    file keeps its name, in another folder (`paint/`, `v2/`, `layout/vN/`)."""
    exr_maps = shared / "usdwg_standard_shader_ball_exr_maps" / "maps" if shared else None
    exrs = sorted(exr_maps.rglob("*.exr"))[:2] if exr_maps and exr_maps.is_dir() else []
    box = shared / "cesium_obj_box_complex_material" if shared else None
    for name, fallback, real in [
            ("albedo.png", _png(8, 8, (180, 120, 90)), box / "diffuse.png" if box else None),
            ("paint/albedo.png", _png(8, 8, (200, 120, 80)), None),
            ("bump.png", _png(8, 8, (128, 128, 128)), box / "bump.png" if box else None),
            ("qc.exr", b"v1 " + _png(16, 9, (40, 40, 40)), exrs[0] if exrs else None),
            ("v2/qc.exr", b"v2 " + _png(16, 9, (60, 50, 40)), exrs[-1] if exrs else None),
            ("model.usd", MODEL.encode(), None),
            ("skin.usda", _material("skin", 0.6).encode(), None),
            ("v2/skin.usda", _material("skin", 0.45).encode(), None),
            ("shot.usda", substitute(SHOT, tmp, "", "").encode(), None),
            *((f"layout/v{n}/cam.usda", _camera(n).encode(), None) for n in (1, 2, 3))]:
        path = work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if real is not None and real.is_file():
            shutil.copyfile(real, path)
        else:
            path.write_bytes(fallback)


@dataclass
class Session:
    work: Path
    env: dict[str, str]

    def bash(self, code: str) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", "-c", "set -euxo pipefail\n" + code], cwd=self.work,
                              env=self.env, capture_output=True, text=True)

    def python(self, code: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", code], cwd=self.work, env=self.env,
                              capture_output=True, text=True)

    def legos_json(self, *args: str) -> Any:
        done = subprocess.run(["legos", *args, "--json"], cwd=self.work, env=self.env,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)


def new_session(tmp: Path, store: str, mount: bool = True) -> Session:
    """A work folder, HOME and environment; with `mount`, /mnt/publish (under tmp) is the
    publish root ~/publish seen under another path."""
    home = tmp / "home"
    home.mkdir()
    if mount:
        (tmp / "mnt").mkdir()
        (tmp / "mnt" / "publish").symlink_to(home / "publish", target_is_directory=True)
    env = {k: v for k, v in os.environ.items()
           if k not in ("LEGOS_ROOT", "LEGOS_PIN_OVERRIDES", "PXR_AR_DEFAULT_SEARCH_PATH")}
    env.update(PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}", HOME=str(home),
               LEGOS_STORE=store, LEGOS_USER="ana")
    return Session(tmp / "work", env)


def _failed(block: Block, done: subprocess.CompletedProcess) -> str:
    return (f"README section {block.section!r}, {block.lang} block, exit {done.returncode}:\n"
            f"{done.stderr[-3000:]}")


def test_every_readme_line_that_is_not_run_is_still_in_the_readme():
    text = README.read_text()
    for line in NOT_RUN:
        assert re.search(rf"^{re.escape(line)}(\s|$)", text, re.M), line


def test_every_readme_example_runs(store_location, tmp_path):
    shared = REPO.parent / "shared" / "assets"
    session = new_session(tmp_path, store_location)
    write_inputs(session.work, shared if shared.is_dir() else None, tmp_path)
    blocks = readme_blocks(README.read_text())
    assert {b.section for b in blocks} >= {"Using it", "Selection, pin sets and the render farm",
                                           "Questions, analytics and pictures", "USD"}
    as_of = ""
    failures = []
    for block in blocks:
        if block.section.startswith("Selection") and not as_of:
            assert failures == [], "\n\n".join(failures)  # the studio builds on them
            done = session.bash(STUDIO_ROUND_TWO)
            assert done.returncode == 0, done.stderr
            # after QC v2 was published, before it was approved
            as_of = datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")
            done = session.bash(STUDIO_APPROVALS_AND_SHOT)
            assert done.returncode == 0, done.stderr
        code = substitute(runnable(block.code), tmp_path, store_location, as_of)
        if not code.strip():
            continue
        done = session.bash(code) if block.lang == "bash" else session.python(code)
        if done.returncode != 0:
            failures.append(_failed(block, done))
        elif block.lang == "python":
            assert "legos:/demo/chr/skaarj/tex/albedo?version=2" in done.stdout, done.stdout
    assert failures == [], "\n\n".join(failures)

    # the questions' --json rows are what the README says they are
    questions = next(b for b in blocks if b.section.startswith("Questions"))
    for command in commands(substitute(questions.code, tmp_path, store_location, as_of)):
        if " -o " in command or command.startswith(NOT_VERSION_ROWS):  # -o: a picture
            continue
        done = session.bash(command if "--json" in command else f"{command} --json")
        assert done.returncode == 0, done.stderr
        rows = json.loads(done.stdout)
        assert isinstance(rows, list), command
        assert rows or command.startswith(EMPTY_IN_THIS_SESSION), command
        for row in rows:
            assert {"uri", "asset", "version"} <= row.keys(), (command, row)

    # what the examples claim, checked from the store and the disk
    qc1 = session.legos_json("show", "legos:/demo/chr/skaarj/qc?version=1")
    assert qc1["status"] == "approved"  # `legos review "$rev" approved`
    made_from = session.legos_json("deps", "legos:/demo/chr/skaarj/qc?version=1")
    assert {d["asset"] for d in made_from} >= {"chr/skaarj/lookdev", "chr/skaarj/model",
                                               "chr/skaarj/mtl/skin", "chr/skaarj/tex/albedo",
                                               "chr/skaarj/tex/bump"}
    for picture in ("qc.svg", "impact.png"):
        assert (session.work / picture).stat().st_size > 0
    bundled = tmp_path / "mnt" / "vendor" / "sh0040"
    assert any(bundled.rglob("*.json")) and any(bundled.rglob("skin*.usda"))
    assert (tmp_path / "farm" / "sh0040" / "shot.usda").is_file()
    assert (tmp_path / "shots" / "sh0040" / "pins" / "chr" / "skaarj" / "model").is_dir()


# -- the commands' help: examples that chain commands run in bash too ----------------------

# a help example line that is a shell idiom: command substitution, a chain, a pipe, or an
# environment variable set for one command
SHELL_IDIOM = re.compile(r"\$\(|&&|\|\||\s\|\s|;\s|^[A-Z_][A-Z0-9_]*=\S+\s+\S")

# Tools the idioms name that this machine may lack, as shell functions doing the same:
# rsync -a SRC/ DST/ copies SRC's contents into DST; usdview opens the stage and prints the
# prims it composed (the pinned model's mesh shows that the search path found it).
STAND_INS = f"""
command -v rsync >/dev/null || rsync() {{ mkdir -p "$3"; cp -a "$2". "$3"; }}
usdview() {{ "{sys.executable}" -c 'import sys
from pxr import Usd
stage = Usd.Stage.Open(sys.argv[1])
print("\\n".join(str(p.GetPath()) for p in stage.Traverse()))' "$@"; }}
"""

# what the idioms need: an old publish root with a model, a QC render of it and a shot on it,
# a manifest of the shot and its pins directory
HELP_SETUP = """
legos init --root /old/publish
legos publish demo/chr/skaarj/model --kind ModelAsset --file model.usd
legos publish demo/chr/skaarj/qc --kind RenderAsset --file qc.exr \\
      --dep legos:/demo/chr/skaarj/model
legos publish demo/seq010/sh0040 --kind ShotPackage --member legos:/demo/chr/skaarj/model
legos pin 'legos:/demo/seq010/sh0040?version=1' -o sh0040.json
legos usd pins sh0040.json --dir /shots/sh0040/pins
"""

# each idiom of the help, in the order they run (relocating the root comes last), with what
# its output must show
HELP_IDIOMS = {
    "legos review \"$(legos submit 'legos:/demo/chr/skaarj/qc?version=1')\" approved":
        "approved",
    "PXR_AR_DEFAULT_SEARCH_PATH=/shots/sh0040/pins usdview shot.usda": "/sh0040/skaarj/body",
    "rsync -a /old/publish/ /mnt/publish/ && legos relocate /mnt/publish": "mnt/publish",
    'eval "$(legos context demo/chr/skaarj --task model --app blender)"':
        "LEGOS_ASSET=chr/skaarj",
}


def help_idioms() -> set[str]:
    import click

    from legos.cli.main import cli

    def walk(group: click.Group):
        for command in group.commands.values():
            yield command
            if isinstance(command, click.Group):
                yield from walk(command)

    found = set()
    for command in walk(cli):
        # the example lines: from "Example:" to the first blank line (prose may follow)
        example = (command.help or "").partition("Example:")[2].strip().split("\n\n")[0]
        found |= {line.strip() for line in example.splitlines()
                  if SHELL_IDIOM.search(line.strip())}
    return found


def test_every_shell_idiom_of_the_help_is_one_this_module_runs():
    assert help_idioms() == set(HELP_IDIOMS)


def test_the_shell_idioms_of_the_help_run_in_bash(store_location, tmp_path):
    session = new_session(tmp_path, store_location, mount=False)
    write_inputs(session.work, None, tmp_path)
    done = session.bash(substitute(HELP_SETUP, tmp_path, store_location, ""))
    assert done.returncode == 0, done.stderr
    for idiom, shows in HELP_IDIOMS.items():
        # an idiom that exports (eval of `legos context`) shows what it exported
        done = session.bash(STAND_INS + substitute(idiom, tmp_path, store_location, "")
                            + '\necho "LEGOS_ASSET=${LEGOS_ASSET:-}"')
        assert done.returncode == 0, f"{idiom}\n{done.stderr}"
        assert shows in done.stdout, f"{idiom}\n{done.stdout}"
    assert session.legos_json("show", "legos:/demo/chr/skaarj/qc?version=1")["status"] == "approved"
    resolved = session.legos_json("resolve", "legos:/demo/chr/skaarj/model")
    assert resolved["path"] == str(tmp_path / "mnt/publish/demo/chr/skaarj/model/v001/model.usd")


# -- what the help says a command prints ----------------------------------------------------


def test_commands_print_what_their_help_says(run, make_file):
    from legos.cli.main import cli

    helps = {name: " ".join(cli.commands[name].help.split()) for name in
             ("publish", "select", "submit", "resolve")}
    assert "prints its URI" in helps["publish"] and "prints its URI" in helps["select"]
    assert "prints the revision id alone" in helps["submit"]
    assert "into a file path" in helps["resolve"]

    published = run("publish", "demo/chr/s/qc", "--kind", "RenderAsset",
                    "--file", str(make_file("qc.exr", b"exr"))).stdout
    assert published == "legos:/demo/chr/s/qc?version=1\n"
    assert run("select", "demo/chr/s/qc").stdout == published
    path = run("resolve", published.strip()).stdout
    assert path.endswith("/demo/chr/s/qc/v001/qc.exr\n") and Path(path.strip()).is_file()
    revision = run("submit", published.strip(), "--note", "turntable").stdout
    assert re.fullmatch(r"rev-[0-9a-f]{10}\n", revision), revision
    document = json.loads(run("submit", published.strip(), "--json").stdout)
    assert document["revision"].startswith("rev-") and document["uri"] == published.strip()
    run("review", revision.strip(), "approved")
    assert json.loads(run("show", published.strip(), "--json").stdout)["status"] == "approved"
