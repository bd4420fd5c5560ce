"""What goes into a version, on both backends: symlinks in a published folder are followed
inside it and refused outside it, nothing is skipped without a word, empty files and kinds
without their files are refused."""

from __future__ import annotations

import json
import os
import shutil
import socket
from pathlib import Path

import pytest

from legos.errors import PublishFileError

STOOL = "polyhaven_painted_wooden_stool_gltf"


def _versions(lg) -> int:
    return lg.store.read(lambda tx: tx.run("MATCH (v:Version) RETURN count(v) AS n"))[0]["n"]


def _stool_with_linked_textures(shared_assets: Path, tmp_path: Path, target: str) -> Path:
    """The real glTF stool copied to tmp, its textures/ folder moved and replaced by a link."""
    stool = tmp_path / "stool"
    shutil.copytree(shared_assets / STOOL, stool)
    for path in [stool, *stool.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)  # the shared copy is read-only
    moved = stool / target if not target.startswith("../") else tmp_path / target[3:]
    moved.parent.mkdir(parents=True, exist_ok=True)
    (stool / "textures").rename(moved)
    (stool / "textures").symlink_to(os.path.relpath(moved, stool))
    return stool


def test_a_linked_folder_inside_the_published_folder_is_copied(lg, shared_assets, tmp_path):
    stool = _stool_with_linked_textures(shared_assets, tmp_path, "_maps/1k")
    version = lg.publish("demo", "prop/stool", kind="ModelAsset", files=[stool])
    names = {r.name for r in version.representations}
    gltf = json.loads((stool / "painted_wooden_stool_1k.gltf").read_text())
    wanted = {image["uri"] for image in gltf["images"]}
    assert wanted and wanted <= names  # the textures the glTF names travel with it
    folder = lg.root / "demo/prop/stool/v001"
    assert not (folder / "textures").is_symlink() and (folder / "textures").is_dir()
    for uri in wanted:
        assert not (folder / uri).is_symlink()
        assert (folder / uri).read_bytes() == (shared_assets / STOOL / uri).read_bytes()
    # a linked file is copied as a file too
    (stool / "preview.jpg").symlink_to("_maps/1k/painted_wooden_stool_diff_1k.jpg")
    second = lg.publish("demo", "prop/stool", kind="ModelAsset", files=[stool])
    preview = Path(next(r.path for r in second.representations if r.name == "preview.jpg"))
    assert not preview.is_symlink() and preview.stat().st_size > 0


@pytest.mark.parametrize("case", ["outside", "dangling", "loop", "self"])
def test_a_link_leading_outside_nowhere_or_round_is_refused_by_name(lg, shared_assets, tmp_path,
                                                                    case):
    if case == "outside":
        stool = _stool_with_linked_textures(shared_assets, tmp_path, "../library/textures")
        link, match = stool / "textures", "points outside the folder being published"
    else:
        stool = _stool_with_linked_textures(shared_assets, tmp_path, "_maps")
        link = stool / "_maps" / "again"
        if case == "dangling":
            link.symlink_to("../nothing_here")
            match = "which does not exist"
        elif case == "loop":
            link.symlink_to("..")  # back up to the stool itself
            match = "so it loops"
        else:
            link.symlink_to("again")
            match = "loops"
    with pytest.raises(PublishFileError, match=match) as caught:
        lg.publish("demo", "prop/stool", kind="ModelAsset", files=[stool])
    assert str(link) in str(caught.value)
    assert _versions(lg) == 0
    assert not (lg.root / "demo").exists()


def test_a_fifo_or_socket_in_a_folder_is_an_error_not_skipped(lg, make_file, tmp_path):
    folder = make_file("rook/Rook.usda", "#usda 1.0\n").parent
    os.mkfifo(folder / "pipe")
    with pytest.raises(PublishFileError, match=r"pipe.*is a fifo"):
        lg.publish("demo", "prop/rook", kind="ModelAsset", files=[folder])
    (folder / "pipe").unlink()
    short = Path("/tmp") / f"legos-sock-{os.getpid()}"  # AF_UNIX paths are short
    short.mkdir(exist_ok=True)
    try:
        (short / "Rook.usda").write_text("#usda 1.0\n")
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(short / "s"))
        with pytest.raises(PublishFileError, match=r"is a socket"):
            lg.publish("demo", "prop/rook", kind="ModelAsset", files=[short])
        server.close()
    finally:
        shutil.rmtree(short)
    assert _versions(lg) == 0


def test_an_empty_file_is_refused_unless_allowed(lg, make_file):
    empty = make_file("albedo.png", b"")
    with pytest.raises(PublishFileError, match=r"empty \(0 bytes\).*albedo.png.*--allow-empty"):
        lg.publish("demo", "tex/albedo", kind="TextureAsset", files=[empty])
    folder = make_file("rook/Rook.usda", "#usda 1.0\n").parent
    make_file("rook/tex/.keep", b"")
    with pytest.raises(PublishFileError, match=r"\.keep"):
        lg.publish("demo", "prop/rook", kind="ModelAsset", files=[folder])
    assert _versions(lg) == 0
    kept = lg.publish("demo", "prop/rook", kind="ModelAsset", files=[folder], allow_empty=True)
    assert {r.name: r.size for r in kept.representations}["tex/.keep"] == 0


def test_cli_refuses_an_empty_file_or_none_in_one_line(run, make_file):
    empty = make_file("albedo.png", b"")
    failed = run("publish", "demo/tex/albedo", "--kind", "TextureAsset", "--file", str(empty),
                 ok=False)
    assert failed.exit_code == 1 and "--allow-empty" in failed.stderr
    assert "Traceback" not in failed.output
    run("publish", "demo/tex/albedo", "--kind", "TextureAsset", "--file", str(empty),
        "--allow-empty")
    failed = run("publish", "demo/tex/albedo", "--kind", "TextureAsset", ok=False)
    assert failed.exit_code == 1 and "needs files" in failed.stderr


def test_a_kind_whose_content_is_files_needs_files(lg, make_file):
    for kind in ("TextureAsset", "ModelAsset", "FileAsset"):
        with pytest.raises(PublishFileError, match=f"a {kind} version needs files"):
            lg.publish("demo", f"x/{kind.lower()}", kind=kind)
    assert _versions(lg) == 0
    model = lg.publish("demo", "prop/chair", kind="ModelAsset", files=[make_file("c.usda", "#usda 1.0\n")])
    package = lg.publish("demo", "prop/set", kind="AssetPackage", members=[model.uri])
    assert not package.representations  # a package's content is its members


def test_kinds_say_whether_they_need_files():
    from legos.kinds import AssetKind, registry

    assert registry.get("TextureAsset").needs_files is True
    assert registry.get("ShotPackage").needs_files is False
    assert AssetKind("GroomAsset", "hair", "groom").needs_files is True
    assert AssetKind("NoteAsset", "a note", "note", needs_files=False).needs_files is False
