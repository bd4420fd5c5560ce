"""Projects as data (legos.projects): the project file, loads recorded as a merge, --as-of,
per-project publish templates, work areas and shot timing, on both backends."""

from __future__ import annotations

import itertools
import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from legos.errors import (
    ConfigError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    ProjectFileError,
)
from legos.projects import ProjectDefinition, shot_timing
from legos.projects.toml_file import dumps, read_text

DEMO = """\
schema = "legos.project"
version = 1

[metadata]
label = "Demo show"
fps = 24
resolution = [1920, 1080]
frame_in = 1001
frame_out = 1100

[tasks.model]
label = "Modelling"

[tasks.anim]

[apps.blender]
executable = "blender"

[assets."chr/skaarj"]
label = "Skaarj"
kind = "character"
due = "2026-05-01"

[assets."prop/stool"]
kind = "prop"

[shots."seq010/sh0040"]
frame_in = 1001
frame_out = 1120
fps = 25.0
"""


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "demo.toml"
    path.write_text(DEMO)
    return path


def _edited(old: str, new: str, text: str = DEMO) -> str:
    assert old in text
    return text.replace(old, new)


# -- create, show, load, save, history, as-of ------------------------------------------------
def test_create_show_save_roundtrip(lg, demo_file, tmp_path):
    report = lg.create_project("demo", demo_file, user="ana")
    assert report.number == 1 and report.created
    assert "assets.chr/skaarj" in report.diff.added
    shown = lg.project("demo")
    assert shown == read_text(DEMO)
    assert shown.metadata.fps == 24.0 and shown.metadata.resolution == [1920, 1080]
    assert shown.assets["chr/skaarj"].extra == {"due": "2026-05-01"}
    saved = lg.save_project("demo", tmp_path / "saved.toml")
    assert read_text(saved.read_text()) == shown
    assert 'due = "2026-05-01"' in saved.read_text()


def test_create_refuses_a_defined_project_and_load_needs_one(lg, demo_file):
    lg.create_project("demo", user="ana")
    with pytest.raises(ConflictError, match=r"already defined.*project load demo"):
        lg.create_project("demo", demo_file, user="ana")
    with pytest.raises(NotFoundError, match=r"no project 'other'.*project create other"):
        lg.load_project("other", demo_file, user="ana")


def test_a_project_made_by_publish_has_an_empty_definition_and_can_be_created(lg, make_file):
    lg.publish("demo", "chr/skaarj/model", kind="ModelAsset", files=[make_file("m.usd")])
    assert lg.project("demo") == ProjectDefinition()
    assert lg.create_project("demo", user="ana").number == 1
    with pytest.raises(NotFoundError, match="no project 'nope'"):
        lg.project("nope")


def test_each_load_is_recorded_and_as_of_gives_the_definition_then(lg, demo_file, tmp_path):
    lg.create_project("demo", demo_file, user="ana")
    second = tmp_path / "second.toml"
    second.write_text(_edited("frame_out = 1120", "frame_out = 1140"))
    report = lg.load_project("demo", second, user="ben")
    assert report.number == 2
    assert [(c.path, c.fields) for c in report.diff.changed] == [
        ("shots.seq010/sh0040", {"frame_out": (1120, 1140)})]
    loads = lg.project_history("demo")
    assert [(r.number, r.created_by) for r in loads] == [(1, "ana"), (2, "ben")]
    assert loads[1].diff.changed[0].path == "shots.seq010/sh0040"
    then = lg.project("demo", as_of=loads[0].created_at)
    assert then.shots["seq010/sh0040"].frame_out == 1120
    assert lg.project("demo").shots["seq010/sh0040"].frame_out == 1140
    with pytest.raises(NotFoundError, match="no definition at"):
        lg.project("demo", as_of=datetime(2000, 1, 1).astimezone())
    with pytest.raises(InvalidInputError, match="no time zone"):
        lg.project("demo", as_of=datetime(2030, 1, 1))


def test_load_reports_adds_changes_removes_and_dry_run_writes_nothing(lg, demo_file, tmp_path):
    lg.create_project("demo", demo_file, user="ana")
    text = _edited('[assets."prop/stool"]\nkind = "prop"\n', '[assets."prop/chair"]\n')
    text = _edited("fps = 24\n", "fps = 25\n", text)
    changed = tmp_path / "changed.toml"
    changed.write_text(text)
    before = lg.project("demo")
    dry = lg.load_project("demo", changed, dry_run=True, user="ana")
    assert dry.dry_run and dry.number is None
    assert dry.diff.added == ["assets.prop/chair"] and dry.diff.removed == ["assets.prop/stool"]
    assert [(c.path, c.fields) for c in dry.diff.changed] == [
        ("metadata", {"fps": (24.0, 25.0)})]
    assert lg.project("demo") == before and len(lg.project_history("demo")) == 1
    done = lg.load_project("demo", changed, user="ana")
    assert done.diff == dry.diff and done.number == 2
    assert set(lg.project("demo").assets) == {"chr/skaarj", "prop/chair"}


def test_removing_an_entry_that_versions_use_is_refused_naming_them(lg, demo_file, tmp_path,
                                                                       make_file):
    lg.create_project("demo", demo_file, user="ana")
    lg.publish("demo", "chr/skaarj/model", kind="ModelAsset", files=[make_file("m.usd")])
    lg.publish("demo", "chr/skaarj/model", kind="ModelAsset", files=[make_file("m.usd", "2")])
    gone = tmp_path / "gone.toml"
    gone.write_text(_edited('[assets."chr/skaarj"]\nlabel = "Skaarj"\nkind = "character"\n'
                            'due = "2026-05-01"\n', ""))
    before = lg.project("demo")
    for dry_run in (True, False):
        with pytest.raises(ConflictError, match=r"entry 'chr/skaarj'.*legos:/demo/chr/skaarj/"
                                                r"model\?version=1, .*version=2"):
            lg.load_project("demo", gone, dry_run=dry_run, user="ana")
    assert lg.project("demo") == before and len(lg.project_history("demo")) == 1
    # an entry nobody published under goes
    unused = tmp_path / "unused.toml"
    unused.write_text(_edited('[assets."prop/stool"]\nkind = "prop"\n', ""))
    assert lg.load_project("demo", unused, user="ana").diff.removed == ["assets.prop/stool"]


# -- the project file: bad files are one line naming the line or key, and change nothing -----
BAD_FILES = [
    ("syntax", _edited("fps = 24", "fps = = 24"), r"not valid TOML: .*line 6"),
    ("no schema", _edited('schema = "legos.project"\n', ""), r"has no schema key.*schema = "),
    ("wrong schema", _edited('"legos.project"', '"mindbender.config"'),
     r"schema = 'mindbender.config' \(line 1\)"),
    ("newer version", _edited("version = 1", "version = 2"), r"version 2 \(line 2\).*newer"),
    ("wrong type", _edited("fps = 24", 'fps = "24"'), r"metadata.fps \(line 6\).*number.*'24'"),
    ("unknown metadata key", _edited("fps = 24", "fsp = 24"),
     r"unknown key metadata.fsp \(line 6\): use label, fps"),
    ("unknown top key", DEMO + "\n[colour]\nconfig = 1\n", r"unknown key colour \(line \d+\)"),
    ("unknown task key", _edited('label = "Modelling"', 'lable = "Modelling"'),
     r"unknown key tasks.model.lable \(line 12\)"),
    ("entry range", _edited("frame_out = 1120", "frame_out = 900"),
     r'shots."seq010/sh0040" \(line \d+\).*frame_out 900 is before frame_in 1001'),
    ("entry frame type", _edited("frame_in = 1001\nframe_out = 1120",
                                 "frame_in = 1001.5\nframe_out = 1120"),
     r'shots."seq010/sh0040".frame_in \(line 28\).*integer.*1001.5'),
    ("bad entry name", _edited('[assets."prop/stool"]', '[assets."prop//stool"]'),
     r"asset name 'prop//stool' is not valid"),
    ("date in extra", _edited('due = "2026-05-01"', "due = 2026-05-01"),
     r'assets."chr/skaarj".*due is a date.*as text'),
    ("sharing template", DEMO + '\n[template]\npublish = "{root}/{project}/{asset}_v{version}/'
     '{file}"\n', r"\{version\}|folder"),
]


@pytest.mark.parametrize("text, message", [(t, m) for _, t, m in BAD_FILES],
                         ids=[name for name, _, _ in BAD_FILES])
def test_a_bad_project_file_is_one_line_and_changes_nothing(run, tmp_path, demo_file, text,
                                                            message):
    run("project", "create", "demo", "--from", str(demo_file))
    before = run("project", "show", "demo", "--toml").stdout
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    result = run("project", "load", "demo", str(bad), ok=False)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("legos: error: "), result.stderr
    assert re.search(message, lines[0]), lines[0]
    assert run("project", "show", "demo", "--toml").stdout == before
    assert len(json.loads(run("project", "history", "demo", "--json").stdout)) == 1


def test_read_text_names_the_key_of_an_unknown_app_field():
    with pytest.raises(ProjectFileError, match=r"unknown key apps.blender.exe \(line 4\)"):
        read_text('schema = "legos.project"\nversion = 1\n[apps.blender]\nexe = "b"\n')


# -- save -> load -> save is a fixed point ----------------------------------------------------
_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_name = st.from_regex(r"[a-z][a-z0-9_]{0,7}", fullmatch=True)
_entry_name = st.lists(_name, min_size=1, max_size=3).map("/".join)
_fps = st.floats(min_value=1.0, max_value=240.0, allow_nan=False, allow_infinity=False)
_scalar = st.one_of(_text, st.integers(-2**40, 2**40), st.booleans(),
                    st.floats(allow_nan=False, allow_infinity=False))
_extra_value = st.recursive(_scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(_text, inner, max_size=3)), max_leaves=6)


@st.composite
def _entries(draw):
    frame_in = draw(st.none() | st.integers(0, 5000))
    frame_out = draw(st.none() | st.integers(frame_in or 0, 6000))
    extra = draw(st.dictionaries(_text.filter(lambda k: k not in (
        "label", "kind", "frame_in", "frame_out", "fps")), _extra_value, max_size=3))
    return {"label": draw(_text), "kind": draw(st.sampled_from(["", "character", "prop"])),
            "frame_in": frame_in, "frame_out": frame_out, "fps": draw(st.none() | _fps),
            "extra": extra}


@st.composite
def definitions(draw):
    assets = draw(st.dictionaries(_entry_name, _entries(), max_size=4))
    shots = draw(st.dictionaries(_entry_name.filter(lambda n: n not in assets), _entries(),
                                 max_size=4))
    return ProjectDefinition.model_validate({
        "metadata": {"label": draw(_text), "fps": draw(st.none() | _fps),
                     "resolution": draw(st.none() | st.tuples(st.integers(1, 8192),
                                                              st.integers(1, 8192)).map(list)),
                     "ocio_config": draw(_text)},
        "template": {"publish": draw(st.sampled_from(
            ["", "{root}/{project}/{silo}/{asset}/publish/v{version:03}/{file}"]))},
        "tasks": {n: {"label": draw(_text)} for n in draw(st.lists(_name, max_size=3))},
        "apps": {n: {"executable": draw(_text), "args": draw(st.lists(_text, max_size=2)),
                     "env": draw(st.dictionaries(_name, _text, max_size=2))}
                 for n in draw(st.lists(_name, max_size=2))},
        "assets": assets, "shots": shots})


@settings(max_examples=150, deadline=None)
@given(definition=definitions())
def test_project_file_save_load_save_is_a_fixed_point(definition):
    text = dumps(definition)
    again = read_text(text)
    assert again == definition
    assert dumps(again) == text


_codes = itertools.count()


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(definition=definitions())
def test_store_save_load_save_is_a_fixed_point(lg, tmp_path, definition):
    code = f"p{next(_codes)}"
    first = tmp_path / f"{code}.toml"
    first.write_text(dumps(definition))
    lg.create_project(code, first, user="ana")
    saved = lg.save_project(code, tmp_path / f"{code}_saved.toml")
    assert saved.read_text() == first.read_text()
    lg.load_project(code, saved, user="ana")
    assert lg.project(code) == definition
    history = lg.project_history(code)
    assert history[-1].diff.empty
    assert lg.project(code, as_of=history[0].created_at) == definition


# -- per-project publish templates ------------------------------------------------------------
def test_publish_uses_the_project_template_and_old_versions_stay(lg, demo_file, tmp_path,
                                                                 make_file):
    lg.create_project("demo", demo_file, user="ana")
    first = lg.publish("demo", "chr/skaarj/model", kind="ModelAsset", files=[make_file("m.usd")])
    old_path = first.representations[0].path
    assert old_path == str(lg.root / "demo/chr/skaarj/model/v001/m.usd")
    with_template = tmp_path / "t.toml"
    with_template.write_text(DEMO + '\n[template]\npublish = "{root}/{project}/{silo}/{asset}/'
                             'publish/v{version:03}/{file}"\n')
    lg.load_project("demo", with_template, user="ana")
    second = lg.publish("demo", "chr/skaarj/model", kind="ModelAsset",
                        files=[make_file("m.usd", "v2")])
    assert second.representations[0].path == str(
        lg.root / "demo/character/chr/skaarj/model/publish/v002/m.usd")
    unlisted = lg.publish("demo", "fx/smoke", kind="FileAsset", files=[make_file("s.vdb")])
    assert unlisted.representations[0].path == str(lg.root / "demo/misc/fx/smoke/publish/v001/"
                                                               "s.vdb")
    shot = lg.publish("demo", "seq010/sh0040/layout", kind="FileAsset",
                      files=[make_file("l.usd")])
    assert "/demo/shots/seq010/sh0040/layout/publish/v001/" in shot.representations[0].path
    assert lg.resolve("legos:/demo/chr/skaarj/model?version=1").path == old_path
    assert Path(old_path).read_bytes() == b"data"
    lg.publish("other", "chr/skaarj/model", kind="ModelAsset", files=[make_file("m.usd")])
    assert (lg.root / "other/chr/skaarj/model/v001/m.usd").is_file()  # the store's template


@pytest.mark.parametrize("template, message", [
    ("{root}/{project}/{asset}/{file}", "must contain"),
    ("{root}/{project}/{asset}_v{version}/{file}", "fields in the folder name"),
    ("{root}/{project}/v{version}/{asset}/{file}", "above {asset}"),
    ("{root}/{project}/{asset}/{silo}/v{version}/{file}", "below {asset}"),
    ("{root}/{project}{silo}/{asset}/v{version}/{file}", "fields in the folder name"),
    ("{root}/{project}/{shelf}/{asset}/v{version}/{file}", "unknown field"),
])
def test_a_template_that_lets_versions_share_a_folder_is_refused(lg, template, message):
    lg.create_project("demo", user="ana")
    definition = ProjectDefinition.model_validate({"template": {"publish": template}})
    with pytest.raises(ConfigError, match=message):
        lg.load_project("demo", definition, user="ana")
    assert lg.project("demo") == ProjectDefinition()


def test_a_template_existing_assets_do_not_fit_is_refused(lg, make_file):
    lg.publish("demo", "chr/publish/x", kind="FileAsset", files=[make_file("a.txt")])
    lg.create_project("demo", user="ana")
    definition = ProjectDefinition.model_validate(
        {"template": {"publish": "{root}/{project}/{asset}/publish/v{version:03}/{file}"}})
    with pytest.raises(Exception, match="chr/publish/x"):
        lg.load_project("demo", definition, user="ana")


# -- work areas ------------------------------------------------------------------------------
def test_workdir_and_context(run, demo_file, tmp_path, monkeypatch):
    run("project", "create", "demo", "--from", str(demo_file))
    root = tmp_path / "publish"
    path = run("workdir", "demo/chr/skaarj", "--task", "model", "--app", "blender").stdout
    assert path.strip() == str(tmp_path / "work/demo/chr/skaarj/model/blender/ana")
    assert not Path(path.strip()).exists()
    created = run("workdir", "demo/chr/skaarj", "--task", "anim", "--user", "ben",
                  "--create").stdout.strip()
    assert created == str(tmp_path / "work/demo/chr/skaarj/anim/ben") and Path(created).is_dir()
    env = json.loads(run("context", "demo/chr/skaarj", "--task", "model", "--app", "blender",
                         "--shell", "json").stdout)
    assert env == {"LEGOS_PROJECT": "demo", "LEGOS_ASSET": "chr/skaarj", "LEGOS_TASK": "model",
                   "LEGOS_APP": "blender", "LEGOS_USER": "ana",
                   "LEGOS_STORE": str(env["LEGOS_STORE"]), "LEGOS_ROOT": str(root),
                   "LEGOS_WORKDIR": str(tmp_path / "work/demo/chr/skaarj/model/blender/ana")}
    sh = run("context", "demo/chr/skaarj", "--task", "model").stdout
    assert "export LEGOS_TASK=model\n" in sh and "LEGOS_APP" not in sh
    assert f"export LEGOS_ROOT={root}\n" in sh
    bad = run("workdir", "demo/chr/skaarj", "--task", "comp", ok=False)
    assert bad.exit_code == 1 and "no task 'comp': use one of anim, model" in bad.stderr
    bad = run("workdir", "nope/chr/skaarj", "--task", "model", ok=False)
    assert "no project 'nope'" in bad.stderr
    monkeypatch.setenv("LEGOS_WORK_ROOT", str(tmp_path / "elsewhere"))
    assert run("workdir", "demo/chr/skaarj", "--task", "model").stdout.strip() == str(
        tmp_path / "elsewhere/demo/chr/skaarj/model/ana")


def test_the_project_work_template_is_used(lg, tmp_path):
    definition = ProjectDefinition.model_validate({
        "template": {"work": "{root}/../shows/{project}/{silo}/{asset}/work/{task}/{user}"},
        "assets": {"chr/skaarj": {"kind": "character"}}})
    lg.create_project("demo", definition, user="ana")
    area = lg.workdir("demo/chr/skaarj", task="model", user="ana", create=True)
    assert area.path == tmp_path / "shows/demo/character/chr/skaarj/work/model/ana"
    assert area.path.is_dir() and area.environment()["LEGOS_WORKDIR"] == str(area.path)
    with pytest.raises(ConfigError, match="lacks"):
        lg.load_project("demo", ProjectDefinition.model_validate(
            {"template": {"work": "{work}/{project}/{asset}"}}), user="ana")


# -- shot timing -----------------------------------------------------------------------------
def test_shot_timing(lg, demo_file):
    assert shot_timing(lg, "demo", "seq010/sh0040") is None   # no project yet
    lg.create_project("demo", demo_file, user="ana")
    timing = shot_timing(lg, "demo", "seq010/sh0040")
    assert (timing.frame_in, timing.frame_out, timing.fps) == (1001, 1120, 25.0)
    assert shot_timing(lg, "demo", "seq010/sh0040/layout") == timing  # a shot's package
    assert shot_timing(lg, "demo", "seq010/sh0050") is None
    assert shot_timing(lg, "demo", "chr/skaarj") is None               # an asset, not a shot
    lg.load_project("demo", read_text(DEMO + '\n[shots."seq010/sh0050"]\nlabel = "x"\n'),
                    user="ana")
    fallback = shot_timing(lg, "demo", "seq010/sh0050")                # the project's range
    assert (fallback.frame_in, fallback.frame_out, fallback.fps) == (1001, 1100, 24.0)


# -- migration: `legos ingest project --project-file`, `legos ingest apply --project-file` ----
def _old_show(root: Path) -> Path:
    for relative in ("chr/hero/model/v001/hero.obj", "chr/hero/model/v002/hero.obj",
                     "chr/hero/tex/albedo/v001/albedo.png", "prop/stool/v001/stool.obj",
                     "seq010/sh0040/anim/v001/anim.abc", "library/v001/readme.bin"):
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(relative.encode())
    return root


def test_ingest_writes_the_project_file_and_apply_defines_the_project(run, tmp_path):
    show = _old_show(tmp_path / "old")
    plan, project_file = tmp_path / "plan.json", tmp_path / "demo.toml"
    run("ingest", "project", str(show), "--template", "{asset}/v{version:03}/{file}",
        "--project", "demo", "-o", str(plan), "--project-file", str(project_file))
    definition = read_text(project_file.read_text())
    assert {name: e.kind for name, e in definition.assets.items()} == {
        "chr/hero": "chr", "prop/stool": "prop", "library": "FileAsset"}
    assert {name: e.kind for name, e in definition.shots.items()} == {"seq010/sh0040": "shot"}
    # the TD edits it (a label, a frame range, a template); a re-scan keeps the edits
    project_file.write_text(project_file.read_text().replace(
        '[shots."seq010/sh0040"]\n', '[shots."seq010/sh0040"]\nframe_in = 1001\n'
        'frame_out = 1050\n') + '\n[template]\npublish = "{root}/{project}/{silo}/{asset}/'
        'v{version:03}/{file}"\n')
    run("ingest", "project", str(show), "--template", "{asset}/v{version:03}/{file}",
        "--project", "demo", "-o", str(plan), "--project-file", str(project_file))
    kept = read_text(project_file.read_text())
    assert kept.shots["seq010/sh0040"].frame_out == 1050 and kept.template.publish
    dry = run("ingest", "apply", str(plan), "--dry-run", "--project-file", str(project_file))
    assert "+ shots.seq010/sh0040" in dry.stderr and "would define" in dry.stderr
    assert run("project", "show", "demo", "--json", ok=False).exit_code == 1
    run("ingest", "apply", str(plan), "--project-file", str(project_file))
    shown = json.loads(run("project", "show", "demo", "--json").stdout)
    assert shown["shots"]["seq010/sh0040"]["frame_out"] == 1050
    assert (tmp_path / "publish/demo/chr/chr/hero/model/v002/hero.obj").is_file()
    assert (tmp_path / "publish/demo/shot/seq010/sh0040/anim/v001/anim.abc").is_file()
    # applied again: nothing new is published, the load is recorded as a merge
    run("ingest", "apply", str(plan), "--project-file", str(project_file))
    assert len(json.loads(run("project", "history", "demo", "--json").stdout)) == 2


def test_the_documented_project_file_loads(lg):
    doc = (Path(__file__).resolve().parents[1] / "docs/projects.md").read_text()
    text = re.search(r"```toml\n(.*?)```", doc, re.S).group(1)
    definition = read_text(text)
    assert definition.assets["chr/skaarj"].extra == {"due": "2026-05-01"}
    assert read_text(dumps(definition)) == definition
    lg.create_project("demo", definition, user="ana")
    assert lg.workdir("demo/chr/skaarj", task="model", app="blender", user="ana").path == (
        lg.root.parent / "work/demo/character/chr/skaarj/model/blender/ana")


def test_a_name_ending_in_a_newline_is_refused_and_a_key_with_one_is_quoted():
    """`$` matches before a final newline: "model\\n" must not pass as a folder name, and a key
    holding one must be written as a quoted TOML key, not a bare one."""
    from legos.projects.definition import check_simple_name
    from legos.projects.toml_file import _key

    with pytest.raises(ValueError, match="not valid"):
        check_simple_name("task", "model\n")
    assert _key("note\n") != "note\n" and _key("note\n").startswith('"')
