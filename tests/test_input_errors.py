"""What a new user gets wrong first: clashing member slots, over-long names, a leading '/',
Ctrl-C. Each gets one message about the real problem, and nothing is left behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from legos.errors import InvalidInputError, InvalidNameError, InvalidURIError


def _version_count(lg) -> int:
    return lg.store.read(lambda tx: tx.run("MATCH (v:Version) RETURN count(v) AS n"))[0]["n"]


# -- package members: one per slot --------------------------------------------------------


def test_members_that_would_share_a_default_slot_are_refused_with_the_fix(lg, make_file):
    body = lg.publish("demo", "chr/a/model", kind="ModelAsset", files=[make_file("a.obj")])
    cloth = lg.publish("demo", "chr/b/model", kind="ModelAsset", files=[make_file("b.obj")])
    with pytest.raises(InvalidInputError, match=(
            r"members legos:/demo/chr/a/model and legos:/demo/chr/b/model both take the slot "
            r"'model'.*SLOT=URI, e.g. b_model=legos:/demo/chr/b/model")):
        lg.publish("demo", "chr/pkg", kind="LookDevPackage",
                   members=["legos:/demo/chr/a/model", "legos:/demo/chr/b/model"])
    with pytest.raises(InvalidInputError, match="both take the slot 'geo'"):
        lg.publish("demo", "chr/pkg", kind="LookDevPackage",
                   members=[("geo", body.uri), ("geo", cloth.uri)])
    with pytest.raises(InvalidInputError, match="both take the slot 'model'"):
        lg.publish("demo", "chr/pkg", kind="LookDevPackage",
                   members=[("model", body.uri), cloth.uri])
    assert _version_count(lg) == 2
    # named apart, both are members
    pkg = lg.publish("demo", "chr/pkg", kind="LookDevPackage",
                     members=["legos:/demo/chr/a/model", ("cloth", cloth.uri)])
    assert sorted((m.asset, m.role) for m in lg.contents(pkg.uri)) == [
        ("chr/a/model", "model"), ("chr/b/model", "cloth")]


def test_dependencies_may_share_a_role(lg, make_file):
    # a material made from two textures: both are its `texture` inputs, unlike package slots
    lg.publish("demo", "tex/a", kind="TextureAsset", files=[make_file("a.png")])
    lg.publish("demo", "tex/b", kind="TextureAsset", files=[make_file("b.png")])
    mat = lg.publish("demo", "mtl/m", kind="MaterialAsset", files=[make_file("m.usda")],
                     dependencies=["legos:/demo/tex/a", "legos:/demo/tex/b"])
    assert sorted((d.asset, d.role) for d in lg.dependencies(mat.uri)) == [
        ("tex/a", "texture"), ("tex/b", "texture")]


def test_the_cli_names_the_slot_clash(run, make_file):
    for asset in ("chr/a/model", "chr/b/model"):
        run("publish", f"demo/{asset}", "--kind", "ModelAsset", "--file", str(make_file("m.obj")))
    result = run("publish", "demo/chr/pkg", "--kind", "LookDevPackage",
                 "--member", "legos:/demo/chr/a/model", "--member", "legos:/demo/chr/b/model",
                 ok=False)
    assert result.exit_code == 1
    assert "both take the slot 'model'" in result.stderr and "SLOT=URI" in result.stderr


# -- names over their length limit say so -------------------------------------------------


def test_an_over_long_name_is_refused_for_its_length(lg, make_file):
    src = make_file("a.png")
    with pytest.raises(InvalidNameError, match=r"asset name segment 'a{24}'\.\.\. is 300 "
                                               r"characters long: at most 128"):
        lg.publish("demo", "a" * 300, kind="TextureAsset", files=[src])
    with pytest.raises(InvalidNameError, match=r"is 129 characters long: at most 128"):
        lg.publish("demo", "chr/" + "b" * 129, kind="TextureAsset", files=[src])
    with pytest.raises(InvalidNameError, match=r"project code 'p{24}'\.\.\. is 300 characters "
                                               r"long: at most 64"):
        lg.publish("p" * 300, "tex/a", kind="TextureAsset", files=[src])
    assert _version_count(lg) == 0
    # at the limits they are fine
    longest = lg.publish("p" * 64, "chr/" + "b" * 128, kind="TextureAsset", files=[src])
    assert longest.number == 1
    with pytest.raises(InvalidInputError, match=r"tag 't{24}'\.\.\. is 100 characters long: "
                                                r"at most 64"):
        lg.tag(longest.uri, "t" * 100)
    with pytest.raises(InvalidInputError, match=r"user name 'u{24}'\.\.\. is 100 characters "
                                                r"long: at most 64"):
        lg.set_status(longest.uri, "approved", user="u" * 100)
    with pytest.raises(InvalidInputError, match=r"dependency role 'r{24}'\.\.\. of .* is 100 "
                                                r"characters long: at most 64"):
        lg.publish("demo", "mtl/a", kind="MaterialAsset", files=[make_file("m.usda")],
                   dependencies=[("r" * 100, longest.uri)])


def test_the_cli_reports_the_length_of_an_over_long_name(run, make_file):
    result = run("publish", "demo/chr/" + "x" * 300, "--kind", "TextureAsset",
                 "--file", str(make_file("a.png")), ok=False)
    assert result.exit_code == 1
    assert "is 300 characters long: at most 128" in result.stderr
    assert "not valid at" not in result.stderr  # not the character rules: the length


# -- a leading '/' ------------------------------------------------------------------------


def test_a_leading_slash_is_refused_with_the_fix(run, make_file):
    result = run("publish", "/demo/x", "--kind", "TextureAsset",
                 "--file", str(make_file("a.png")), ok=False)
    assert result.exit_code == 1
    assert "'/'" in result.stderr and "without" in result.stderr  # says to drop it
    assert "project code ''" not in result.stderr
    run("publish", "demo/x", "--kind", "TextureAsset", "--file", str(make_file("a.png")))
    result = run("select", "/demo/x", ok=False)
    assert result.exit_code == 1 and "'/'" in result.stderr and "without" in result.stderr


def test_a_uri_with_two_slashes_says_so(lg, make_file):
    with pytest.raises(InvalidURIError, match="more than one '/' after 'legos:'"):
        lg.show("legos://demo/x")
    with pytest.raises(InvalidNameError, match="without a leading '/'"):
        lg.publish("", "x", kind="FileAsset", files=[make_file("x.txt")])


# -- Ctrl-C -------------------------------------------------------------------------------


def test_ctrl_c_in_any_command_is_one_line_and_status_130(run, monkeypatch):
    import legos.api
    import legos.kinds

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(legos.api.Legos, "assets", interrupted)
    monkeypatch.setattr(legos.kinds.registry, "all", interrupted)
    for args in (["ls"], ["kinds"]):
        result = run(*args, ok=False)
        assert (result.exit_code, result.stderr) == (130, "legos: interrupted\n"), args
        assert result.stdout == ""


# A real SIGINT, delivered while the publish has its folder in place and its transaction open.
_INTERRUPTED_PUBLISH = """
import os, signal, sys
from legos import files
from legos.cli.main import main

real = files.freeze_folders

def freeze_then_ctrl_c(folder):
    real(folder)
    os.kill(os.getpid(), signal.SIGINT)

files.freeze_folders = freeze_then_ctrl_c
sys.argv = ["legos", *sys.argv[1:]]
main()
"""


def test_ctrl_c_during_a_publish_leaves_nothing_behind(store_location, tmp_path, make_file):
    root = tmp_path / "publish"
    # a bare PNG has no recorded colour space, which warns (docs/hooks.md): stderr is read whole
    env = {**os.environ, "LEGOS_STORE": store_location, "LEGOS_USER": "ana",
           "LEGOS_VALIDATORS": "texture_colorspace=off"}
    env.pop("LEGOS_ROOT", None)
    legos_exe = str(Path(sys.executable).parent / "legos")
    subprocess.run([legos_exe, "init", "--root", str(root)], env=env, check=True,
                   capture_output=True)
    src = make_file("tex/a.png", b"png" * 1000)
    result = subprocess.run([sys.executable, "-c", _INTERRUPTED_PUBLISH, "publish", "demo/tex/a",
                             "--kind", "TextureAsset", "--file", str(src)],
                            env=env, capture_output=True, text=True)
    assert (result.returncode, result.stderr, result.stdout) == (130, "legos: interrupted\n", "")
    listed = subprocess.run([legos_exe, "ls", "--json"], env=env, capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == []  # the asset's creation was rolled back too
    published = [p for p in root.rglob("*") if p.is_file() and ".legos" not in p.parts]
    assert published == []
    staging = root / ".legos" / "staging"
    assert not staging.exists() or not any(staging.iterdir())
    # and the number was not burnt
    again = subprocess.run([legos_exe, "publish", "demo/tex/a", "--kind", "TextureAsset",
                            "--file", str(src)], env=env, capture_output=True, text=True)
    assert again.stdout.strip() == "legos:/demo/tex/a?version=1", again.stderr
