"""Publish hooks (legos.hooks): validators stop a publish before anything is written, warnings
reach the caller and the CLI, after_publish runs on the committed version, and a broken or
crashing plugin is named instead of breaking legos. Built-in validators on real files."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from legos import hooks
from legos.errors import AssetNotFoundError, ConfigError, PublishValidationError

PYTHON = Path(sys.executable)


@pytest.fixture(autouse=True)
def fresh_hooks(monkeypatch):
    """Every test starts from the built-ins and the installed entry points only."""
    monkeypatch.setattr(hooks, "manager", hooks.HookManager())
    monkeypatch.delenv("LEGOS_VALIDATORS", raising=False)


def _state(lg) -> tuple[dict[str, tuple[int, int]], dict]:
    """Every path under the root (size, mtime) and the store's counts: what 'untouched' means."""
    root = lg.root
    files = {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns)
             for p in sorted(root.rglob("*"))}
    return files, lg.store.query("store/counts")[0]


class Refuses:
    @hooks.hookimpl
    def validate_publish(self, request):
        if "no comment" in request.comment:
            yield hooks.Finding("error", "say what changed", str(request.files[0]))
        yield {"level": "warning", "message": f"{request.kind} {request.asset} by {request.user}"}


def test_an_error_finding_stops_the_publish_before_anything_is_written(lg, make_file):
    hooks.register(Refuses(), "studio")
    lg.publish("demo", "other", kind="FileAsset", files=[make_file("o.txt")])  # a root in use
    before = _state(lg)
    with pytest.raises(PublishValidationError) as caught:
        lg.publish("demo", "prop/chair", kind="ModelAsset", files=[make_file("c.obj", "v 1")],
                   comment="no comment", user="ana")
    error = caught.value
    assert "studio: say what changed" in str(error) and "legos:/demo/prop/chair" in str(error)
    assert [(f.level, f.plugin, f.message) for f in error.findings] == [
        ("error", "studio", "say what changed"),
        ("warning", "studio", "ModelAsset prop/chair by ana")]
    assert [f.file for f in error.errors] == [str(make_file("c.obj", "v 1"))]
    assert _state(lg) == before  # no staging folder, no version folder, no node
    with pytest.raises(AssetNotFoundError):
        lg.history("demo/prop/chair")


def test_warnings_reach_collect_and_the_version_is_published(lg, make_file, caplog):
    hooks.register(Refuses(), "studio")
    with hooks.collect() as findings:
        version = lg.publish("demo", "prop/chair", kind="ModelAsset",
                             files=[make_file("c.obj", "v 1")], comment="rounder", user="ana")
    assert [(f.level, f.plugin, f.message) for f in findings] == [
        ("warning", "studio", "ModelAsset prop/chair by ana")]
    assert lg.show(version.uri).comment == "rounder"
    assert "legos: warning: studio: ModelAsset prop/chair by ana" in caplog.messages


class Records:
    def __init__(self) -> None:
        self.seen: list[tuple[str, str, bool, bool]] = []

    @hooks.hookimpl
    def after_publish(self, version, request):
        # committed: another reader sees it, and its files are in place
        shown = request.lg.show(version.uri)
        self.seen.append((version.uri, shown.uid, Path(shown.representations[0].path).is_file(),
                          request.comment == version.comment))


def test_after_publish_sees_the_committed_version(lg, make_file):
    plugin = Records()
    hooks.register(plugin, "tracker")
    version = lg.publish("demo", "tex/a", kind="FileAsset", files=[make_file("a.txt")],
                         comment="first")
    assert plugin.seen == [(version.uri, version.uid, True, True)]
    # a publish that publishes nothing (skip_unchanged) tells no tracker
    again = lg.publish("demo", "tex/a", kind="FileAsset", files=[make_file("a.txt")],
                       comment="first", skip_unchanged=True)
    assert again.uid == version.uid and len(plugin.seen) == 1


class CrashesAfter:
    @hooks.hookimpl
    def after_publish(self, version):
        raise ConnectionError("tracker.studio:443 refused the connection")


def test_a_crashing_after_publish_is_named_and_the_version_stays(lg, make_file):
    hooks.register(CrashesAfter(), "shotgrid")
    plugin = Records()
    hooks.register(plugin, "tracker")
    with hooks.collect() as findings:
        version = lg.publish("demo", "tex/a", kind="FileAsset", files=[make_file("a.txt")])
    assert [(f.level, f.plugin) for f in findings] == [("warning", "shotgrid")]
    assert "ConnectionError: tracker.studio:443 refused" in findings[0].message
    assert version.uri in findings[0].message
    assert lg.show(version.uri).uid == version.uid  # committed, not undone
    assert Path(version.representations[0].path).is_file()
    assert len(plugin.seen) == 1  # the other plugins still ran


class CrashesInValidation:
    @hooks.hookimpl
    def validate_publish(self, request):
        return {"level": "error"}["message"]  # a KeyError, as a buggy plugin would


def test_a_crashing_validator_is_a_failed_validation_naming_it(lg, make_file):
    hooks.register(CrashesInValidation(), "naming_rules")
    before = _state(lg)
    with pytest.raises(PublishValidationError) as caught:
        lg.publish("demo", "tex/a", kind="FileAsset", files=[make_file("a.txt")])
    assert [(f.level, f.plugin) for f in caught.value.findings] == [("error", "naming_rules")]
    assert "naming_rules: validate_publish failed: KeyError: 'message'" in str(caught.value)
    assert _state(lg) == before


def test_a_validator_may_return_one_finding_alone(lg, make_file):
    class One:
        @hooks.hookimpl
        def validate_publish(self):
            return {"level": "warning", "message": "one"}

    hooks.register(One(), "one")
    with hooks.collect() as findings:
        lg.publish("demo", "tex/a", kind="FileAsset", files=[make_file("a.txt")])
    assert [(f.level, f.plugin, f.message) for f in findings] == [("warning", "one", "one")]


def test_a_plugin_implementing_no_known_hook_is_refused_at_registration():
    class Misspelt:
        @hooks.hookimpl
        def validate_publsh(self, request):
            return []

    with pytest.raises(ValueError, match="unknown hooks validate_publsh"):
        hooks.register(Misspelt(), "misspelt")
    assert "misspelt" not in [p.name for p in hooks.plugins()]


# -- entry points: a real distribution in a site folder -------------------------------------
PLUGIN = '''
import os
from legos.hooks import Finding, hookimpl

@hookimpl
def validate_publish(request):
    if "refuse" in request.comment:
        return [Finding("error", "the turntable is missing", str(request.files[0]))]
    if "warn" in request.comment:
        return [Finding("warning", "no turntable yet")]
    return None

@hookimpl
def after_publish(version):
    with open(os.environ["STUDIO_HOOK_LOG"], "a") as log:
        log.write(version.uri + "\\n")
'''


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site folder holding an installed distribution with two `legos.hooks` entry points:
    `studio` (works) and `broken` (its module does not exist)."""
    folder = tmp_path / "site"
    (folder / "studio_hooks-1.0.dist-info").mkdir(parents=True)
    (folder / "studio_hooks.py").write_text(PLUGIN)
    (folder / "studio_hooks-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: studio-hooks\nVersion: 1.0\n")
    (folder / "studio_hooks-1.0.dist-info" / "entry_points.txt").write_text(
        "[legos.hooks]\nstudio = studio_hooks\nbroken = studio_hooks_gone.plugin\n")
    return folder


def test_entry_points_load_and_a_broken_one_is_listed_not_raised(lg, make_file, site,
                                                                 monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("STUDIO_HOOK_LOG", str(tmp_path / "hook.log"))
    names = {p.name: p for p in hooks.plugins()}
    assert names["studio"].hooks == ("after_publish", "validate_publish")
    assert names["studio"].source == "entry point studio_hooks"
    assert "broken" not in names
    assert "ModuleNotFoundError" in hooks.failures()["broken"]
    version = lg.publish("demo", "tex/a", kind="FileAsset", files=[make_file("a.txt")])
    assert (tmp_path / "hook.log").read_text() == version.uri + "\n"


def _cli(*args: str, site: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **env, "PYTHONPATH": str(site)}
    return subprocess.run([str(PYTHON.parent / "legos"), *args], capture_output=True,
                          text=True, env=environment, timeout=300)


def test_the_cli_prints_warnings_refuses_on_errors_and_lists_broken_plugins(
        store_location, tmp_path, site, make_file):
    env = {"LEGOS_STORE": store_location, "LEGOS_USER": "ana",
           "STUDIO_HOOK_LOG": str(tmp_path / "hook.log")}
    made = _cli("init", "--root", str(tmp_path / "publish"), site=site, env=env)
    assert made.returncode == 0, made.stderr
    model = str(make_file("chair.obj", "v 1"))

    warned = _cli("publish", "demo/prop/chair", "--kind", "ModelAsset", "--file", model,
                  "--comment", "warn me", site=site, env=env)
    assert warned.returncode == 0, warned.stderr
    assert warned.stdout.strip() == "legos:/demo/prop/chair?version=1"
    assert "legos: warning: studio: no turntable yet" in warned.stderr
    assert (tmp_path / "hook.log").read_text() == "legos:/demo/prop/chair?version=1\n"

    refused = _cli("publish", "demo/prop/chair", "--kind", "ModelAsset", "--file", model,
                   "--comment", "refuse it", site=site, env=env)
    assert refused.returncode == 1
    assert refused.stderr.startswith("legos: error: publish of legos:/demo/prop/chair refused "
                                     "by validation: studio: the turntable is missing")
    assert "Traceback" not in refused.stderr
    shown = _cli("history", "demo/prop/chair", "--json", site=site, env=env)
    assert shown.returncode == 0, shown.stderr
    assert '"number": 2' not in shown.stdout  # nothing was published

    listed = _cli("hooks", site=site, env=env)
    assert listed.returncode == 0, listed.stderr
    assert "studio" in listed.stdout and "legos.referenced_files" in listed.stdout
    assert "plugin 'broken' failed to load: ModuleNotFoundError" in listed.stderr


def test_help_does_not_import_pluggy():
    code = ("import sys; from legos.cli.main import cli\n"
            "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
            "print('PLUGGY', 'pluggy' in sys.modules)")
    out = subprocess.run([str(PYTHON), "-c", code], capture_output=True, text=True, check=True)
    assert "PLUGGY False" in out.stdout


# -- the built-in validators, on real USD layers and images ---------------------------------
def _layer(path: Path, *assets: str) -> Path:
    """A USD layer with a shader whose file inputs name `assets`."""
    inputs = "\n".join(f"        asset inputs:file{i} = @{a}@" for i, a in enumerate(assets))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent('''\
        #usda 1.0
        def Material "look"
        {
            def Shader "tex"
            {
                uniform token info:id = "UsdUVTexture"
        %s
            }
        }
        ''') % inputs)
    return path


@pytest.fixture
def png(shared_assets: Path) -> Path:
    return shared_assets / "cesium_obj_box_complex_material" / "diffuse.png"


def _checks(findings) -> list[tuple[str, str]]:
    return [(f.level, f.check) for f in findings]


def test_a_layer_naming_a_missing_file_is_refused(lg, tmp_path, monkeypatch):
    pytest.importorskip("pxr")
    layer = _layer(tmp_path / "work/look.usda", "./tex/albedo.png")
    before = _state(lg)
    with pytest.raises(PublishValidationError) as caught:
        lg.publish("demo", "mtl/look", kind="MaterialAsset", files=[layer])
    [error] = caught.value.errors
    assert (error.plugin, error.check, error.file) == ("legos.referenced_files",
                                                        "referenced_files", str(layer))
    assert "@./tex/albedo.png@ in look.usda names a file that does not exist" in error.message
    assert _state(lg) == before
    # a studio that wants such layers anyway switches the check off
    monkeypatch.setenv("LEGOS_VALIDATORS", "referenced_files=off")
    assert lg.publish("demo", "mtl/look", kind="MaterialAsset", files=[layer]).number == 1


def test_a_layer_whose_file_is_published_beside_it_passes(lg, tmp_path, png):
    pytest.importorskip("pxr")
    layer = _layer(tmp_path / "work/look/look.usda", "./tex/albedo.png", "./tex/albedo.png")
    (layer.parent / "tex").mkdir()
    (layer.parent / "tex/albedo.png").write_bytes(png.read_bytes())
    with hooks.collect() as findings:  # the folder keeps its layout: the path resolves
        lg.publish("demo", "mtl/look", kind="MaterialAsset", files=[layer.parent],
                   facts={"tex/albedo.png": _facts("sRGB - Texture")})
    assert findings == []
    with hooks.collect() as findings:  # the layer alone: the texture stays behind
        lg.publish("demo", "mtl/look2", kind="MaterialAsset", files=[layer])
    assert _checks(findings) == [("warning", "unpublished_files")]
    assert "this version publishes no tex/albedo.png" in findings[0].message


def test_an_absolute_path_outside_the_root_warns_and_a_studio_can_refuse_it(lg, tmp_path, png, monkeypatch):
    pytest.importorskip("pxr")
    texture = lg.publish("demo", "tex/albedo", kind="TextureAsset", files=[png],
                         facts={"diffuse.png": _facts("sRGB - Texture")})
    inside = texture.representations[0].path  # an absolute path into the root: fine
    layer = _layer(tmp_path / "work/look.usda", str(png), inside)
    with hooks.collect() as findings:
        version = lg.publish("demo", "mtl/look", kind="MaterialAsset", files=[layer])
    assert _checks(findings) == [("warning", "absolute_paths")]
    assert f"@{png}@ in look.usda is an absolute path outside the publish root" in \
        findings[0].message
    assert version.number == 1
    monkeypatch.setenv("LEGOS_VALIDATORS", "absolute_paths=error")
    with pytest.raises(PublishValidationError, match=r"legos\.absolute_paths"):
        lg.publish("demo", "mtl/look", kind="MaterialAsset", files=[layer], comment="again")
    assert [r.version for r in lg.history("demo/mtl/look")] == [1]


def _facts(colorspace: str | None) -> dict:
    return {"width": 2048, "height": 2048, "channels": 3, "pixel_type": "uint8",
            "colorspace": colorspace, "mip_levels": 1, "tiled": False}


def test_a_texture_without_a_colour_space_warns_wherever_it_is_used(lg, tmp_path, png, monkeypatch):
    pytest.importorskip("pxr")
    with hooks.collect() as findings:
        bare = lg.publish("demo", "tex/bare", kind="TextureAsset", files=[png])
    assert _checks(findings) == [("warning", "texture_colorspace")]
    assert "texture diffuse.png of legos:/demo/tex/bare has no recorded colour space" in \
        findings[0].message
    with hooks.collect() as findings:
        known = lg.publish("demo", "tex/known", kind="TextureAsset", files=[png],
                           facts={"diffuse.png": _facts("sRGB - Texture")})
    assert findings == []

    # used as a dependency, and named by a layer through the publish root
    work = tmp_path / "work" / "look.usda"
    bare_path = os.path.relpath(bare.representations[0].path, lg.root / "demo/mtl/look/v001")
    known_path = os.path.relpath(known.representations[0].path, lg.root / "demo/mtl/look/v001")
    _layer(work, bare_path, known_path)
    with hooks.collect() as findings:
        lg.publish("demo", "mtl/look", kind="MaterialAsset", files=[work],
                   dependencies=[bare.uri, known.uri])
    assert _checks(findings) == [("warning", "texture_colorspace")]  # said once, not twice
    assert f"dependency {bare.uri} has no recorded colour space for diffuse.png" in \
        findings[0].message
    with hooks.collect() as findings:  # named by the layer only
        lg.publish("demo", "mtl/look", kind="MaterialAsset", files=[work], comment="2")
    assert _checks(findings) == [("warning", "texture_colorspace")]
    assert f"uses diffuse.png of {bare.uri}, which has no recorded colour space" in \
        findings[0].message

    monkeypatch.setenv("LEGOS_VALIDATORS", "texture_colorspace=error")
    before = _state(lg)
    with pytest.raises(PublishValidationError, match=r"legos\.texture_colorspace"):
        lg.publish("demo", "tex/bare", kind="TextureAsset", files=[png], comment="again")
    assert _state(lg) == before


def test_a_search_path_nothing_resolves_is_a_warning_never_an_error(lg, tmp_path):
    pytest.importorskip("pxr")
    layer = _layer(tmp_path / "work/shot.usda", "chr/skaarj/model/model.usd",
                   "legos:/demo/chr/skaarj/model")
    with hooks.collect() as findings:
        lg.publish("demo", "shot/layout", kind="FileAsset", files=[layer])
    assert _checks(findings) == [("warning", "referenced_files")]
    assert "@chr/skaarj/model/model.usd@" in findings[0].message


def test_a_layer_usd_cannot_read_is_published_with_a_note(lg, make_file):
    with hooks.collect() as findings:
        lg.publish("demo", "a", kind="FileAsset", files=[make_file("a.usda", "not usd")])
    assert _checks(findings) == [("info", "referenced_files")]


def test_a_bad_validators_setting_is_one_clear_error(lg, make_file, monkeypatch):
    monkeypatch.setenv("LEGOS_VALIDATORS", "absolute_path=error")
    with pytest.raises(ConfigError, match=r"LEGOS_VALIDATORS=.*absolute_paths"):
        lg.publish("demo", "a", kind="FileAsset", files=[make_file("a.txt")])


def test_a_batch_warns_of_a_texture_input_without_a_colour_space_as_a_publish_does(lg, png):
    # a batch answers the check from the inputs it looked up once (no read per version)
    from legos.batch import PublishItem

    bare = lg.publish("demo", "tex/bare", kind="TextureAsset", files=[png])
    known = lg.publish("demo", "tex/known", kind="TextureAsset", files=[png],
                       facts={"diffuse.png": _facts("sRGB - Texture")})
    with hooks.collect() as findings:
        results = lg.publish_many([
            PublishItem("demo", "fx/a", "FileAsset", files=[png], dependencies=[bare.uri]),
            PublishItem("demo", "fx/b", "FileAsset", files=[png], dependencies=[known.uri]),
            PublishItem("demo", "fx/c", "FileAsset", files=[png],
                        dependencies=[known.uri, "legos:/demo/tex/bare"]),
            PublishItem("demo", "fx/d", "FileAsset", files=[png],  # on an earlier item too
                        dependencies=["legos:/demo/fx/a?version=1", bare.uri])])
    assert all(r.ok for r in results)
    said = [f.message for f in findings if f.check == "texture_colorspace"]
    assert said == [f"dependency {bare.uri} has no recorded colour space for diffuse.png: "
                    "ingest it with `legos ingest texture` (it records one)"] * 3
