"""The legos CLI: every command documented with an example, JSON shapes, clean errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from legos.cli.main import cli


def _json(result):
    return json.loads(result.stdout)


def _commands(group: click.Group, prefix: str = "legos"):
    for name, command in group.commands.items():
        yield f"{prefix} {name}", command
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix} {name}")


def test_every_command_has_help_with_an_example():
    for path, command in _commands(cli):
        assert command.help, f"`{path}` has no help"
        assert "Example:" in command.help and path in command.help, path
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"`{path} {param.opts[0]}` has no help"
    assert {"legos usd deps", "legos pins diff", "legos alias"} <= dict(_commands(cli)).keys()


def test_publish_show_history_ls_json_shapes(run, make_file):
    tex = make_file("albedo.png", b"png")
    published = _json(run("publish", "demo/chr/skaarj/tex/albedo", "--kind", "TextureAsset",
                          "--file", str(tex), "--comment", "first", "--json"))
    for key in ("uri", "asset", "kind", "version", "status", "created_by", "created_at",
                "comment", "representations"):
        assert key in published
    assert published["uri"] == "legos:/demo/chr/skaarj/tex/albedo?version=1"
    [rep] = published["representations"]
    assert set(rep) >= {"name", "path", "size", "sha256", "format"}
    assert Path(rep["path"]).is_absolute() and Path(rep["path"]).read_bytes() == b"png"
    assert run("publish", "demo/chr/skaarj/tex/albedo", "--kind", "TextureAsset",
               "--file", str(tex)).stdout.strip() == "legos:/demo/chr/skaarj/tex/albedo?version=2"
    shown = _json(run("show", "legos:/demo/chr/skaarj/tex/albedo?version=1", "--json"))
    assert shown["version"] == 1 and shown["comment"] == "first" and shown["created_by"] == "ana"
    history = _json(run("history", "legos:/demo/chr/skaarj/tex/albedo", "--json"))
    assert [h["version"] for h in history] == [2, 1]
    assert set(history[0]) >= {"version", "status", "created_by", "created_at", "comment"}
    assets = _json(run("ls", "--json"))
    assert assets == [{"uri": "legos:/demo/chr/skaarj/tex/albedo", "project": "demo",
                       "asset": "chr/skaarj/tex/albedo", "kind": "TextureAsset", "latest": 2}]
    assert _json(run("ls", "other", "--json")) == []


def test_deps_contents_and_review_flow(run, make_file):
    run("publish", "demo/tex/a", "--kind", "TextureAsset", "--file", str(make_file("a.png")))
    run("publish", "demo/mtl/a", "--kind", "MaterialAsset", "--dep", "legos:/demo/tex/a",
        "--dep", "bump=legos:/demo/tex/a?version=1", "--file", str(make_file("a.usda")))
    run("publish", "demo/look", "--kind", "LookDevPackage", "--member", "skin=legos:/demo/mtl/a")
    run("publish", "demo/qc", "--kind", "RenderAsset", "--dep", "lookdev=legos:/demo/look",
        "--file", str(make_file("qc.png")))
    deps = _json(run("deps", "legos:/demo/qc", "--json"))
    assert [(d["asset"], d["version"], d["role"], d["depth"]) for d in deps] == [
        ("look", 1, "lookdev", 1), ("mtl/a", 1, "skin", 2), ("tex/a", 1, "bump", 3)]
    assert deps[-1]["roles"] == ["bump", "texture"]  # one texture, used in two roles
    for d in deps:
        assert set(d) >= {"uri", "asset", "kind", "version", "role", "depth", "created_by",
                          "created_at"}
    assert [d["asset"] for d in _json(run("deps", "legos:/demo/qc", "--depth", "1", "--json"))] == ["look"]
    rev = _json(run("submit", "legos:/demo/qc", "--note", "turntable", "--json"))
    run("review", rev["revision"], "approved", "--user", "sup")
    assert _json(run("show", "legos:/demo/qc", "--json"))["status"] == "approved"
    reverse = _json(run("deps", "legos:/demo/tex/a", "--reverse", "--json"))
    assert [(d["asset"], d["revision"]) for d in reverse][-1] == ("qc", rev["revision"])
    contents = _json(run("contents", "legos:/demo/look", "--json"))
    assert [(c["asset"], c["role"]) for c in contents] == [("mtl/a", "skin")]
    run("status", "legos:/demo/tex/a", "deprecated", "--note", "old")
    run("tag", "legos:/demo/look", "hero", "--colour", "red")
    changes = _json(run("changes", "legos:/demo/qc", "--json"))
    assert [c["to_value"] for c in changes] == ["review", "approved", "approved"]
    assert "legos:/demo/look" in run("ls").stdout  # the human table


def test_every_command_takes_an_asset_as_a_uri_or_as_project_slash_asset(run, make_file):
    tex = make_file("albedo.png", b"png")
    run("publish", "legos:/demo/tex/albedo", "--kind", "TextureAsset", "--file", str(tex))
    skin = str(make_file("skin.usda"))
    run("publish", "demo/mtl/skin", "--kind", "MaterialAsset", "--dep", "demo/tex/albedo",
        "--file", skin)
    run("publish", "demo/mtl/skin", "--kind", "MaterialAsset", "--dep", "texture=demo/tex/albedo",
        "--file", skin)
    for form in ("demo/mtl/skin", "legos:/demo/mtl/skin"):
        assert [r["version"] for r in _json(run("history", form, "--json"))] == [2, 1]
        assert [s["version"] for s in _json(run("evolution", form, "--json"))] == [1, 2]
        assert _json(run("select", form, "latest", "--json"))["version"] == 2
        assert _json(run("show", form, "--json"))["version"] == 2
        assert [r["uri"] for r in _json(run("deps", form, "--json"))] == [
            "legos:/demo/tex/albedo?version=1"]
        run("alias", form, "hero")
        assert _json(run("alias-history", form, "--json"))[0]["to_version"] == 2
        assert _json(run("changes", form, "--json"))[-1]["to_value"].startswith("hero")


def test_ls_filters_by_glob_pattern_tag_and_status(run, make_file):
    for path in ("demo/chr/a/tex/albedo", "demo/chr/b/tex/albedo", "demo/chr/a/model",
                 "other/chr/a/tex/albedo"):
        run("publish", path, "--kind", "FileAsset", "--file", str(make_file(f"{path}.txt", path)))
    run("publish", "demo/chr/a/model", "--kind", "FileAsset", "--file",
        str(make_file("m2.txt", "m2")))

    def ls(*args):
        return [a["uri"] for a in _json(run("ls", *args, "--json"))]

    assert ls("demo/chr/*/tex/*") == ["legos:/demo/chr/a/tex/albedo", "legos:/demo/chr/b/tex/albedo"]
    assert ls("*/albedo") == ["legos:/demo/chr/a/tex/albedo", "legos:/demo/chr/b/tex/albedo",
                              "legos:/other/chr/a/tex/albedo"]
    assert ls("demo") == ["legos:/demo/chr/a/model", "legos:/demo/chr/a/tex/albedo",
                          "legos:/demo/chr/b/tex/albedo"]
    run("status", "legos:/demo/chr/a/model?version=1", "approved")
    run("tag", "legos:/other/chr/a/tex/albedo?version=1", "hero")
    assert ls("--status", "approved") == ["legos:/demo/chr/a/model"]
    assert ls("--tag", "hero") == ["legos:/other/chr/a/tex/albedo"]
    assert ls("demo", "--tag", "hero") == []
    assert ls("*/model", "--status", "published") == ["legos:/demo/chr/a/model"]
    bad = run("ls", "--status", "done", ok=False)
    assert bad.exit_code == 1 and "unknown status 'done'" in bad.stderr


@pytest.mark.parametrize("args, message", [
    (["show", "legos:/demo/nope"], "no asset legos:/demo/nope"),
    (["show", "demo/nope"], "no asset legos:/demo/nope"),
    (["show", "/demo/nope"], "starts with '/'"),
    (["history", "demo/x?version=2"], "rules need the URI form"),
    (["publish", "legos:/demo/x?version=2", "--kind", "FileAsset"],
     "publish takes an asset"),
    (["publish", "demo/x", "--kind", "Texture"], "unknown asset kind 'Texture'"),
    (["publish", "demo/x", "--kind", "FileAsset", "--file", "/no/such.png"], "does not exist"),
    (["publish", "demo/x", "--kind", "FileAsset", "--dep", "legos:/demo/y?version=2",
      "--file", __file__], "no asset legos:/demo/y"),
    (["publish", "demo/x", "--kind", "FileAsset", "--dep", "texture:legos:/demo/y",
      "--file", __file__], "is not PROJECT/ASSET"),
    (["publish", "demo/x", "--kind", "FileAsset"], "a FileAsset version needs files"),
    (["review", "rev-123", "approved"], "no revision 'rev-123'"),
    (["status", "legos:/demo/x", "done"], "unknown status 'done'"),
])
def test_errors_are_one_clear_line_without_traceback(run, args, message):
    result = run(*args, ok=False)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert result.stderr.startswith("legos: error: ") and result.stderr.count("\n") == 1


def test_help_is_instant_because_nothing_heavy_is_imported():
    code = ("import sys; from legos.cli.main import cli\n"
            "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('ladybug', 'neo4j', 'pydantic', 'rich', 'pxr', 'bpy', "
            "'OpenImageIO') if m in sys.modules]\nprint('HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout


def test_the_installed_legos_command_runs(tmp_path):
    exe = Path(sys.executable).parent / "legos"
    made = subprocess.run([str(exe), "init", "--store", str(tmp_path / "s")],
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    result = subprocess.run([str(exe), "ls", "--store", str(tmp_path / "s"), "--json"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_an_option_typed_before_the_command_beats_the_environment(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from legos.cli.main import cli

    runner = CliRunner()
    real = str(tmp_path / "real")
    assert runner.invoke(cli, ["init", "--store", real]).exit_code == 0
    monkeypatch.setenv("LEGOS_STORE", str(tmp_path / "typo"))
    assert runner.invoke(cli, ["--store", real, "ls"]).exit_code == 0
    assert runner.invoke(cli, ["ls", "--store", real]).exit_code == 0
    wrong = runner.invoke(cli, ["ls"])
    assert wrong.exit_code == 1 and "no legos store at" in wrong.stderr
