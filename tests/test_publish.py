"""Publish on both backends: files, hashes, numbering, dependencies, all-or-nothing."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest

from legos.errors import (
    InvalidInputError,
    InvalidNameError,
    KindMismatchError,
    PublishFileError,
    UnknownKindError,
    VersionNotFoundError,
)


def _final_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and ".legos" not in p.parts)


def _version_count(lg) -> int:
    return lg.store.read(lambda tx: tx.run("MATCH (v:Version) RETURN count(v) AS n"))[0]["n"]


def test_publish_copies_hashes_and_freezes_files(lg, make_file):
    src = make_file("albedo.png", b"\x89PNG fake but bytes" * 100)
    version = lg.publish("demo", "chr/skaarj/tex/albedo", kind="TextureAsset", files=[src],
                         comment="first", user="ana")
    assert version.number == 1 and version.status.value == "published"
    assert version.created_by == "ana" and version.comment == "first"
    [rep] = version.representations
    published = Path(rep.path)
    assert published == lg.root / "demo/chr/skaarj/tex/albedo/v001/albedo.png"
    assert published.read_bytes() == src.read_bytes()
    assert rep.sha256 == hashlib.sha256(src.read_bytes()).hexdigest()
    assert rep.size == src.stat().st_size and rep.format == "png"
    assert not published.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert not published.parent.stat().st_mode & stat.S_IWUSR
    assert lg.show("legos:/demo/chr/skaarj/tex/albedo?version=1") == version


def test_publish_numbers_versions_one_after_another(lg, make_file):
    src = make_file("m.obj", "v 0 0 0\n")
    numbers = [lg.publish("demo", "prop/chair", kind="ModelAsset", files=[src]).number
               for _ in range(4)]
    assert numbers == [1, 2, 3, 4]
    assert [h.version for h in lg.history("legos:/demo/prop/chair")] == [4, 3, 2, 1]
    assert lg.show("legos:/demo/prop/chair").number == 4


def test_publish_folder_keeps_its_layout(lg, make_file, tmp_path):
    make_file("rook/Rook.usda", "#usda 1.0\n")
    make_file("rook/tex/base.jpg", b"jpg")
    version = lg.publish("demo", "prop/rook", kind="ModelAsset", files=[tmp_path / "src/rook"])
    names = sorted(r.name for r in version.representations)
    assert names == ["Rook.usda", "tex/base.jpg"]
    folder = lg.root / "demo/prop/rook/v001"
    assert (folder / "tex/base.jpg").read_bytes() == b"jpg"
    assert {r.format for r in version.representations} == {"usd", "jpg"}


def test_identical_content_gives_identical_content_hash(lg, make_file):
    src = make_file("a.txt", "same")
    first = lg.publish("demo", "x/a", kind="FileAsset", files=[src])
    second = lg.publish("demo", "x/a", kind="FileAsset", files=[src])
    other = lg.publish("demo", "x/a", kind="FileAsset", files=[make_file("a.txt", "different")])
    assert first.content_hash == second.content_hash != other.content_hash


def test_dependency_on_missing_version_is_refused_and_leaves_nothing(lg, make_file):
    lg.publish("demo", "tex/a", kind="TextureAsset", files=[make_file("a.png")])
    with pytest.raises(VersionNotFoundError, match=r"tex/a\?version=7.*latest is v1"):
        lg.publish("demo", "mtl/skin", kind="MaterialAsset", files=[make_file("skin.usda")],
                   dependencies=["legos:/demo/tex/a?version=7"])
    with pytest.raises(VersionNotFoundError, match="no asset legos:/demo/tex/none"):
        lg.publish("demo", "mtl/skin", kind="MaterialAsset", files=[make_file("skin.usda")],
                   dependencies=["legos:/demo/tex/none"])
    assert _version_count(lg) == 1
    assert not (lg.root / "demo/mtl").exists()


def test_bad_input_is_refused_before_anything_is_written(lg, make_file):
    with pytest.raises(PublishFileError, match="does not exist"):
        lg.publish("demo", "tex/a", kind="TextureAsset", files=["/no/such/file.png"])
    with pytest.raises(UnknownKindError, match="unknown asset kind 'Texture'"):
        lg.publish("demo", "tex/a", kind="Texture", files=[make_file("a.png")])
    with pytest.raises(InvalidNameError):
        lg.publish("demo", "tex/../etc", kind="TextureAsset")
    with pytest.raises(InvalidNameError):
        lg.publish("Demo!", "tex/a", kind="TextureAsset")
    with pytest.raises(InvalidInputError, match="not a package kind"):
        lg.publish("demo", "tex/a", kind="TextureAsset", files=[make_file("a.png")],
                   members=["legos:/demo/x"])
    assert _version_count(lg) == 0
    assert _final_files(lg.root) == []


def test_an_invalid_role_names_the_input_and_the_fix(lg, make_file):
    tex = lg.publish("demo", "tex/a", kind="TextureAsset", files=[make_file("a.png")])
    with pytest.raises(InvalidInputError, match=r"dependency role 'Base Color' of .*tex/a.*role=texture"):
        lg.publish("demo", "mtl/a", kind="MaterialAsset", files=[make_file("a.usda")],
                   dependencies=[("Base Color", tex.uri)])
    assert _version_count(lg) == 1


def test_publishing_an_asset_under_another_kind_is_refused(lg, make_file):
    lg.publish("demo", "chr/a", kind="ModelAsset", files=[make_file("a.obj")])
    with pytest.raises(KindMismatchError, match="is a ModelAsset, not a TextureAsset"):
        lg.publish("demo", "chr/a", kind="TextureAsset", files=[make_file("b.png")])
    assert _version_count(lg) == 1
    assert [p.name for p in _final_files(lg.root)] == ["a.obj"]


def test_a_failure_inside_the_transaction_rolls_back_files_and_nodes(lg, make_file, monkeypatch):
    """A fault after the files were placed (here: the database refusing the last statement)
    leaves neither the version node nor its folder."""
    from legos import files as filestore

    real_freeze = filestore.freeze_folders

    def freeze_then_fail(folder):
        real_freeze(folder)
        raise OSError("disk went away")

    monkeypatch.setattr(filestore, "freeze_folders", freeze_then_fail)
    with pytest.raises(OSError, match="disk went away"):
        lg.publish("demo", "tex/a", kind="TextureAsset", files=[make_file("a.png")])
    monkeypatch.undo()
    assert _version_count(lg) == 0
    assert _final_files(lg.root) == []
    assert not list((lg.root / ".legos/staging").iterdir())
    # and the number was not burnt: the next publish is v1
    assert lg.publish("demo", "tex/a", kind="TextureAsset", files=[make_file("a.png")]).number == 1


def test_folder_left_by_a_killed_publish_is_set_aside(lg, make_file):
    orphan = lg.root / "demo/tex/a/v001"
    orphan.mkdir(parents=True)
    (orphan / "half.png").write_bytes(b"half")
    version = lg.publish("demo", "tex/a", kind="TextureAsset", files=[make_file("a.png", b"ok")])
    assert [r.name for r in version.representations] == ["a.png"]
    assert sorted(p.name for p in orphan.iterdir()) == ["a.png"]
    assert any((lg.root / ".legos/orphans").rglob("half.png"))


def test_packages_contain_exact_member_versions(lg, make_file):
    model = lg.publish("demo", "chr/a/model", kind="ModelAsset", files=[make_file("a.obj")])
    lg.publish("demo", "chr/a/model", kind="ModelAsset", files=[make_file("a.obj", "v2")])
    pkg = lg.publish("demo", "chr/a/lookdev", kind="LookDevPackage",
                     members=[("geo", model.uri)])
    [member] = lg.contents(pkg.uri)
    assert (member.asset, member.version, member.role) == ("chr/a/model", 1, "geo")


def test_bare_dependency_takes_the_role_of_its_kind_and_the_latest_version(lg, make_file):
    lg.publish("demo", "tex/a", kind="TextureAsset", files=[make_file("a.png")])
    lg.publish("demo", "tex/a", kind="TextureAsset", files=[make_file("a.png", "2")])
    mat = lg.publish("demo", "mtl/a", kind="MaterialAsset", files=[make_file("a.usda")],
                     dependencies=["legos:/demo/tex/a"])
    [dep] = lg.dependencies(mat.uri)
    assert (dep.role, dep.version, dep.relation) == ("texture", 2, "depends_on")


def test_published_versions_keep_their_content_when_the_asset_moves_on(lg, make_file):
    src = make_file("a.png", b"one")
    first = lg.publish("demo", "tex/a", kind="TextureAsset", files=[src])
    src.write_bytes(b"two")
    lg.publish("demo", "tex/a", kind="TextureAsset", files=[src])
    again = lg.show(first.uri)
    assert again.content_hash == first.content_hash
    assert Path(again.representations[0].path).read_bytes() == b"one"


def test_large_file_is_streamed_not_read_whole(tmp_path):
    """Hashing and copying go through a fixed buffer: a 512 MiB sparse file is published by a
    process whose peak memory stays far below the file's size."""
    import subprocess
    import sys

    big = tmp_path / "big.exr"
    with open(big, "wb") as handle:
        handle.truncate(512 * 1024 * 1024)
    # ru_maxrss counts KiB on Linux and bytes on macOS: the script reports bytes
    script = f"""
import resource, sys, legos
unit = 1 if sys.platform == 'darwin' else 1024
lg = legos.open({str(tmp_path / 'store')!r}, create=True); lg.configure(root={str(tmp_path / 'root')!r})
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
v = lg.publish('demo', 'plate/big', kind='FileAsset', files=[{str(big)!r}])
grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * unit
print(v.representations[0].size, grown)
lg.close()
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout.split()
    assert int(out[0]) == 512 * 1024 * 1024
    assert int(out[1]) < 128 * 1024 * 1024  # peak growth: a whole read would add 512 MiB
