"""What a publish must never do: move, overwrite or nest inside another version's files, write
where the store will not look, or leave anything half-made behind. On both backends."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import legos
from legos.errors import ConfigError, InvalidNameError, PublishFolderError
from legos.store.schema import load as load_schema

REPO = Path(__file__).resolve().parent.parent


def _files_of(lg: legos.Legos, uri: str) -> dict[str, bytes]:
    return {r.name: Path(r.path).read_bytes() for r in lg.show(uri).representations}


def test_an_asset_named_like_a_version_folder_is_refused_in_either_order(lg, make_file):
    lg.publish("trial", "bad/rev", kind="FileAsset", files=[make_file("a.txt", "first")])
    with pytest.raises(InvalidNameError, match="'v001' that looks like a version folder"):
        lg.publish("trial", "bad/rev/v001", kind="FileAsset", files=[make_file("b.txt", "x")])
    assert _files_of(lg, "legos:/trial/bad/rev?version=1") == {"a.txt": b"first"}
    with pytest.raises(InvalidNameError, match="looks like a version folder"):
        lg.publish("trial", "other/V12", kind="FileAsset", files=[make_file("c.txt", "y")])
    assert [a.path for a in lg.assets()] == ["trial/bad/rev"]


def test_a_version_folder_holding_another_version_is_refused_and_left_alone(lg, make_file):
    # Under an older template, asset `a/v001` was legal; the store check stops the nesting
    # that the name rule cannot see across a template change.
    lg.configure(template="{root}/{project}/{asset}/r{version}/{file}")
    older = lg.publish("p", "a/v001", kind="FileAsset", files=[make_file("old.txt", "keep me")])
    lg.configure(template="{root}/{project}/{asset}/v{version:03}/{file}")
    with pytest.raises(PublishFolderError, match=r"'p/a/v001'.*'p/a/v001/r1'.*legos:/p/a/v001"):
        lg.publish("p", "a", kind="FileAsset", files=[make_file("new.txt", "new")])
    assert Path(older.representations[0].path).read_text() == "keep me"
    assert lg.resolve("legos:/p/a/v001").path == older.representations[0].path
    assert not list(lg.root.glob(".legos/orphans/*"))
    assert [a.path for a in lg.assets()] == ["p/a/v001"]


def test_a_version_folder_inside_another_version_is_refused(lg, make_file):
    lg.publish("p", "a", kind="FileAsset", files=[make_file("a.txt", "a1")])
    lg.configure(template="{root}/{project}/{asset}/r{version}/{file}")
    with pytest.raises(PublishFolderError, match=r"'p/a/v001/r1'.*'p/a/v001'"):
        lg.publish("p", "a/v001", kind="FileAsset", files=[make_file("b.txt", "b")])
    assert sorted(p.name for p in (lg.root / "p/a/v001").iterdir()) == ["a.txt"]


def test_a_leftover_folder_nobody_owns_is_kept_aside_and_reported(lg, make_file):
    leftover = lg.root / "p" / "a" / "v001"
    leftover.mkdir(parents=True)
    (leftover / "half.exr").write_text("from a publish killed after its rename")
    version = lg.publish("p", "a", kind="FileAsset", files=[make_file("a.txt", "real")])
    assert version.number == 1
    assert _files_of(lg, "legos:/p/a?version=1") == {"a.txt": b"real"}
    info = lg.info()
    orphans = [x for x in info.leftovers if x.kind == "orphan"]
    assert len(orphans) == 1 and (orphans[0].path / "half.exr").read_text().startswith("from")


def test_assets_differing_only_by_case_are_refused(lg, make_file):
    lg.publish("p", "chr/Case", kind="FileAsset", files=[make_file("a.txt")])
    with pytest.raises(InvalidNameError, match="differs from the existing legos:/p/chr/Case only"):
        lg.publish("p", "chr/case", kind="FileAsset", files=[make_file("a.txt")])
    assert lg.publish("p", "chr/Case", kind="FileAsset",
                      files=[make_file("b.txt")]).number == 2


def test_republishing_identical_content_warns_or_is_skipped(lg, make_file, caplog):
    src = make_file("a.txt", "same")
    first = lg.publish("p", "a", kind="FileAsset", files=[src])
    with caplog.at_level("WARNING", logger="legos"):
        second = lg.publish("p", "a", kind="FileAsset", files=[src])
    assert second.number == 2
    assert any("repeats version 1" in r.getMessage() for r in caplog.records)
    skipped = lg.publish("p", "a", kind="FileAsset", files=[src], skip_unchanged=True)
    assert skipped.uid == second.uid
    changed = lg.publish("p", "a", kind="FileAsset", files=[make_file("a.txt", "new")],
                         skip_unchanged=True)
    assert changed.number == 3
    # the same files with other inputs are a new version, not a repeat
    dep = lg.publish("p", "tex", kind="TextureAsset", files=[make_file("t.png", "t")])
    with_dep = lg.publish("p", "a", kind="FileAsset", files=[make_file("a.txt", "new")],
                          dependencies=[dep.uri], skip_unchanged=True)
    assert with_dep.number == 4
    assert first.number == 1


def test_a_publish_reports_its_copy_progress(lg, make_file):
    seen: list[tuple[int, int]] = []
    big = make_file("plate.bin", b"x" * (3 << 20) + b"y")
    lg.publish("p", "plate", kind="FileAsset", files=[big, make_file("small.txt", "s")],
               progress=lambda done, total: seen.append((done, total)))
    assert len(seen) >= 4  # per MiB, not per file
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert seen[-1] == ((3 << 20) + 2, (3 << 20) + 2)


# -- the publish root is one storage ---------------------------------------------------------

def test_reinitialising_with_another_root_is_refused_once_versions_exist(lg, make_file,
                                                                        store_location,
                                                                        tmp_path):
    lg.configure(root=tmp_path / "elsewhere")  # no versions yet: a new root is fine
    lg.publish("p", "a", kind="FileAsset", files=[make_file("a.txt", "a")])
    with pytest.raises(ConfigError, match="legos relocate"):
        lg.configure(root=tmp_path / "third")
    assert lg.root == (tmp_path / "elsewhere").resolve()
    assert not (tmp_path / "third").exists()


def test_a_root_override_must_be_the_same_storage(lg, make_file, store_location, tmp_path):
    version = lg.publish("p", "a", kind="FileAsset", files=[make_file("a.txt", "a")])
    stranger = tmp_path / "not-the-root"
    stranger.mkdir()
    with legos.open(store_location, root=stranger) as other:
        for call in (lambda: other.show(version.uri), lambda: other.resolve(version.uri),
                     lambda: other.publish("p", "a", kind="FileAsset",
                                           files=[make_file("b.txt", "b")])):
            with pytest.raises(ConfigError, match="not this store's publish root"):
                call()
    assert not list(stranger.iterdir())
    # the same storage seen elsewhere (here: a copy with its marker) maps every path
    mount = tmp_path / "mount"
    shutil.copytree(lg.root, mount)
    with legos.open(store_location, root=mount) as mounted:
        assert mounted.resolve(version.uri).path == str(mount / "p/a/v001/a.txt")
        again = mounted.publish("p", "a", kind="FileAsset", files=[make_file("b.txt", "b")])
        assert again.representations[0].path == str(mount / "p/a/v002/b.txt")
        assert (mount / "p/a/v002/b.txt").read_text() == "b"


def test_relocate_checks_the_files_are_there(lg, make_file, tmp_path):
    version = lg.publish("p", "a", kind="FileAsset", files=[make_file("a.txt", "a")])
    old_root = lg.root
    with pytest.raises(ConfigError, match=r"1 of 1 published files are not at .*nothing was"):
        lg.relocate(tmp_path / "empty")
    assert lg.root == old_root
    shutil.copytree(old_root, tmp_path / "moved")
    assert lg.relocate(tmp_path / "moved") == 1
    assert lg.resolve(version.uri).path == str((tmp_path / "moved/p/a/v001/a.txt").resolve())


def test_two_stores_cannot_share_one_root(lg, tmp_path):
    with legos.open(str(tmp_path / "second-store"), create=True) as second, \
            pytest.raises(ConfigError, match="already the publish root of another legos store"):
        second.configure(root=lg.root)


# -- init: clear errors, nothing left behind --------------------------------------------------

@pytest.mark.parametrize("root", ["/proc/nope", "/sys/legos-root"])
def test_init_with_an_unusable_root_says_so_and_leaves_no_store(root, tmp_path):
    from click.testing import CliRunner

    from legos.cli.main import cli

    store = tmp_path / "store"
    result = CliRunner().invoke(cli, ["init", "--store", str(store), "--root", root])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"legos: error: cannot use {root} as the publish root")
    assert "Traceback" not in result.output
    assert not store.exists()


def test_init_on_a_store_path_that_is_a_file_says_so(tmp_path):
    from click.testing import CliRunner

    from legos.cli.main import cli

    file = tmp_path / "notes.txt"
    file.write_text("mine")
    result = CliRunner().invoke(cli, ["init", "--store", str(file)])
    assert result.exit_code == 1
    assert "is a file, not a store folder" in result.stderr
    assert file.read_text() == "mine"


def test_init_where_no_folder_can_be_made_says_so(tmp_path):
    from click.testing import CliRunner

    from legos.cli.main import cli

    result = CliRunner().invoke(cli, ["init", "--store", "/proc/legos-store"])
    assert result.exit_code == 1
    assert result.stderr.startswith("legos: error: cannot create a store at /proc/legos-store")
    assert "Traceback" not in result.output


# -- a store written by the release before schema 2 ------------------------------------------

_OLD_RELEASE = "44e73fa"  # the last commit with schema 1

_OLD_PUBLISHES = """
import sys, legos
from pathlib import Path
lg = legos.open(sys.argv[1], root=sys.argv[2]) if "://" in sys.argv[1] else legos.open(sys.argv[1])
lg.configure(root=sys.argv[2])
src = Path(sys.argv[3])
(src / "tex").mkdir(parents=True)
(src / "tex" / "albedo.png").write_bytes(b"albedo")
(src / "model.usda").write_text("#usda 1.0")
tex = lg.publish("show", "chr/Knight/tex", kind="TextureAsset", files=[src / "tex"])
lg.publish("show", "chr/Knight/model", kind="ModelAsset", files=[src / "model.usda"],
           dependencies=[tex.uri])
lg.publish("show", "chr/Knight/model", kind="ModelAsset", files=[src / "model.usda"],
           dependencies=[tex.uri], comment="second")
lg.publish("show", "chr/Knight/look", kind="LookDevPackage",
           members=["legos:/show/chr/Knight/model?version=2"])
"""


def _old_release(tmp_path: Path) -> Path:
    where = tmp_path / "old-release"
    where.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", _OLD_RELEASE, "legos",
                              "cypher", "schema"], capture_output=True)
    if archive.returncode != 0:
        pytest.fail(f"the old release {_OLD_RELEASE} is not in this clone's history: "
                    f"{archive.stderr.decode()[-300:]}")
    subprocess.run(["tar", "-x", "-C", str(where)], input=archive.stdout, check=True)
    return where


def test_a_store_written_by_the_previous_release_is_upgraded(store_location, tmp_path):
    old = _old_release(tmp_path)
    root = tmp_path / "publish"
    done = subprocess.run([sys.executable, "-c", _OLD_PUBLISHES, store_location, str(root),
                           str(tmp_path / "src")], capture_output=True, text=True, cwd=old,
                          env={**os.environ, "PYTHONPATH": str(old)})
    assert done.returncode == 0, done.stderr[-2000:]
    with legos.open(store_location) as lg:
        assert lg.info().schema_version == load_schema().version  # upgraded through every step
        assert lg.store.get_meta("root_id")
        model = lg.show("legos:/show/chr/Knight/model?version=2")
        assert Path(model.representations[0].path).read_text() == "#usda 1.0"
        assert model.entry == "model.usda"  # schema 2 chose each old version's entry
        assert lg.show("legos:/show/chr/Knight/tex?version=1").entry == "albedo.png"
        assert lg.resolve("legos:/show/chr/Knight/tex").path.endswith("/v001/albedo.png")
        assert [r.uri for r in lg.dependencies(model.uri)] == ["legos:/show/chr/Knight/tex?version=1"]
        # every version got its folder
        assert lg.store.query("migrations/v2_versions_without_folder", limit=10) == []
        # the upgraded facts work: the folder check, the case check, the next number
        with pytest.raises(InvalidNameError, match="only by case"):
            lg.publish("show", "chr/knight/tex", kind="TextureAsset",
                       files=[tmp_path / "src" / "tex"])
        nxt = lg.publish("show", "chr/Knight/look", kind="LookDevPackage",
                         members=["legos:/show/chr/Knight/model?version=1"])
        assert nxt.number == 2
        assert (lg.root / "show/chr/Knight/look/v002").is_dir()
        # schema 4: the Folder index holds the old versions' folders, so nesting is refused
        lg.configure(template="{root}/{project}/{asset}/r{version}/{file}")
        with pytest.raises(PublishFolderError, match=r"legos:/show/chr/Knight/tex\?version=1"):
            lg.publish("show", "chr/Knight/tex/v001", kind="FileAsset",
                       files=[tmp_path / "src" / "tex"])
        lg.configure(template="{root}/{project}/{asset}/v{version:03}/{file}")
        # schema 3: metadata on an old asset and an old version, each change recorded (on
        # LadybugDB the upgrade had to add Change -> Asset to CHANGE_OF with an ALTER)
        lg.set_meta("legos:/show/chr/Knight/model", {"fps": 24}, user="ana")
        lg.set_meta(model.uri, {"qc": True}, user="ana")
        assert lg.meta("show/chr/Knight/model") == {"fps": 24}
        assert lg.show(model.uri).meta == {"qc": True}
        assert [c.field for c in lg.meta_changes("show/chr/Knight/model").changes] == ["meta:fps"]
        assert [c.field for c in lg.changes(model.uri)][-1] == "meta:qc"
        assert [a.path for a in lg.assets(where=["fps=24"])] == ["show/chr/Knight/model"]
    with legos.open(store_location) as again:  # opening an upgraded store changes nothing
        assert again.info().versions == 5
