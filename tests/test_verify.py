"""`legos verify` and `legos gc` on both backends: each kind of finding made real on disk or in
the graph, what --fix repairs (and what it never touches), exit codes and JSON records, and gc
beside a real publish in flight."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from legos.errors import InvalidNameError
from legos.operations.verify import KINDS

REPO = Path(__file__).resolve().parent.parent


def _kinds(findings) -> list[tuple[str, str]]:
    return sorted((f.kind, f.uri) for f in findings)


def _publish_pair(lg, make_file):
    """A texture and a material that depends on it (its entry is its .usda)."""
    tex = lg.publish("demo", "tex/a", kind="FileAsset", files=[make_file("a.png", b"P" * 300)])
    mtl = lg.publish("demo", "mtl/m", kind="FileAsset",
                     files=[make_file("m.usda", "#usda 1.0\n"), make_file("notes.txt", "n")],
                     dependencies=[tex.uri], entry="m.usda")
    return tex, mtl


def _path(version, name: str) -> Path:
    return Path(next(r.path for r in version.representations if r.name == name))


def _writable(path: Path):
    """Open a read-only published file (or folder) for a test's damage, and close it again."""
    class Opened:
        def __enter__(self):
            self.modes = {p: p.stat().st_mode for p in (path.parent, path)}
            for p in self.modes:
                os.chmod(p, self.modes[p] | stat.S_IWUSR)

        def __exit__(self, *exc):
            for p, mode in self.modes.items():
                if p.exists():
                    os.chmod(p, mode)
    return Opened()


def test_a_clean_root_has_no_findings(lg, make_file):
    _publish_pair(lg, make_file)
    assert lg.verify() == []
    assert lg.verify(quick=True) == []
    assert lg.verify("demo", jobs=1) == []


def test_a_writable_file_is_found_and_fix_makes_it_read_only(lg, make_file):
    tex, _ = _publish_pair(lg, make_file)
    path = _path(tex, "a.png")
    os.chmod(path, 0o664)
    found = lg.verify(quick=True)
    assert _kinds(found) == [("writable", tex.uri)]
    assert found[0].path == str(path)
    fixed = lg.verify(fix=True)
    assert fixed[0].fixed.startswith("made read-only")
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert lg.verify() == []


def test_a_writable_version_folder_is_found_and_fixed(lg, make_file):
    tex, _ = _publish_pair(lg, make_file)
    folder = _path(tex, "a.png").parent
    os.chmod(folder, 0o775)
    assert [(f.kind, f.path) for f in lg.verify()] == [("writable", str(folder))]
    lg.verify(fix=True)
    assert not folder.stat().st_mode & 0o222


def test_a_truncated_file_is_a_size_finding_that_fix_leaves_alone(lg, make_file):
    tex, _ = _publish_pair(lg, make_file)
    path = _path(tex, "a.png")
    with _writable(path):
        path.write_bytes(b"P" * 10)
    found = lg.verify(quick=True)
    assert _kinds(found) == [("edge", "legos:/demo/mtl/m?version=1"), ("size", tex.uri)]
    assert "10 bytes, recorded 300" in next(f.detail for f in found if f.kind == "size")
    lg.verify(fix=True)
    assert path.read_bytes() == b"P" * 10  # never rewritten
    assert _kinds(lg.verify()) == _kinds(found)


def test_a_changed_byte_is_a_hash_finding_never_fixed_and_not_seen_by_quick(lg, make_file):
    tex, _ = _publish_pair(lg, make_file)
    path = _path(tex, "a.png")
    with _writable(path):
        path.write_bytes(b"P" * 299 + b"Q")
    assert lg.verify(quick=True) == []
    found = lg.verify(jobs=2)
    assert _kinds(found) == [("edge", "legos:/demo/mtl/m?version=1"), ("hash", tex.uri)]
    assert "restore it from a backup" in next(f.detail for f in found if f.kind == "hash")
    fixed = lg.verify(fix=True)
    assert all(not f.fixed for f in fixed)
    assert path.read_bytes().endswith(b"Q")


def test_a_removed_entry_file_is_missing_and_its_dependents_edges_are_named(lg, make_file):
    _, mtl = _publish_pair(lg, make_file)
    user = lg.publish("demo", "shot/s", kind="FileAsset", files=[make_file("s.txt", "s")],
                      dependencies=[mtl.uri])
    path = _path(mtl, "m.usda")
    with _writable(path):
        path.unlink()
    found = lg.verify()
    assert _kinds(found) == [("edge", user.uri), ("entry", mtl.uri), ("missing", mtl.uri)]
    edge = next(f for f in found if f.kind == "edge")
    assert mtl.uri in edge.detail


def test_files_and_folders_nobody_owns_are_found_and_quarantined_beside_the_root(lg, make_file):
    tex, _ = _publish_pair(lg, make_file)
    root = lg.root
    (root / "stray.txt").write_text("left here")
    inside = _path(tex, "a.png").parent / "extra.txt"
    with _writable(inside.parent / "a.png"):
        inside.write_text("added later")
    left = root / "demo" / "tex" / "b" / "v001"
    left.mkdir(parents=True)
    (left / "half.exr").write_bytes(b"half")
    (root / "demo" / "empty" / "dir").mkdir(parents=True)  # empty: harmless, not reported
    aside = root / ".legos" / "orphans" / "demo__x__v001-20260101T000000-abc123"
    aside.mkdir(parents=True)
    (aside / "kept.txt").write_text("kept")
    found = lg.verify()
    assert sorted((f.kind, f.path) for f in found) == sorted([
        ("stray", str(root / "stray.txt")), ("stray", str(inside)),
        ("orphan", str(root / "demo/tex/b")), ("orphan", str(aside))])
    assert all(f.uri == "" for f in found)
    fixed = lg.verify(fix=True)
    assert all(f.fixed.startswith("moved to ") for f in fixed), fixed
    quarantine = root.parent / f"{root.name}.quarantine"
    moved = {p.relative_to(quarantine).as_posix().split("/", 1)[1]: p.read_text()
             for p in quarantine.rglob("*") if p.is_file()}
    assert moved == {"stray.txt": "left here", "demo/tex/a/v001/extra.txt": "added later",
                     "demo/tex/b/v001/half.exr": "half",
                     f".legos/orphans/{aside.name}/kept.txt": "kept"}
    assert lg.verify() == []
    # the version folder the stray file was taken out of is read-only again
    assert not inside.parent.stat().st_mode & 0o222


def test_a_dead_staging_area_is_found_and_removed_by_gc(lg, make_file):
    _publish_pair(lg, make_file)
    base = lg.root / ".legos" / "staging"
    name = uuid.uuid4().hex
    (base / name).mkdir(parents=True)
    (base / name / "half.exr").write_bytes(b"half")
    (base / f"{name}.lock").write_text("12345\n")  # nobody holds it: its publish died
    found = lg.verify()
    assert [(f.kind, f.path) for f in found] == [("staging", str(base / name))]
    assert "legos gc" in found[0].detail
    assert lg.verify(fix=True)[0].fixed == ""  # staging is gc's, not --fix's
    assert [(r.kind, r.removed) for r in lg.gc(dry_run=True)] == [("staging", False),
                                                                    ("lock", False)]
    assert (base / name / "half.exr").exists()
    assert lg.gc(older_than_hours=1) == []  # too young
    removed = lg.gc()
    assert sorted((r.kind, r.path, r.files) for r in removed) == [
        ("lock", str(base / f"{name}.lock"), 0), ("staging", str(base / name), 1)]
    assert lg.verify() == []
    assert lg.gc() == []


def test_a_version_no_asset_holds_is_partial_and_so_are_edges_into_it(lg, make_file):
    tex, mtl = _publish_pair(lg, make_file)
    lg.store.write(lambda tx: tx.run(
        "MATCH (v:Version {uid: $uid})-[r:VERSION_OF]->(:Asset) DELETE r", {"uid": tex.uid}))
    found = lg.verify()
    assert _kinds(found) == [("edge", mtl.uri), ("partial", tex.uri)]
    assert "VERSION_OF" in next(f.detail for f in found if f.kind == "partial")


def test_a_lost_file_record_is_partial_and_its_file_stray(lg, make_file):
    _, mtl = _publish_pair(lg, make_file)
    lg.store.write(lambda tx: tx.run(
        "MATCH (v:Version {uid: $uid})-[:HAS_REPRESENTATION]->(r:Representation "
        "{name: 'notes.txt'}) DETACH DELETE r", {"uid": mtl.uid}))
    found = lg.verify()
    assert sorted((f.kind, f.uri) for f in found) == [("partial", mtl.uri), ("stray", "")]
    assert next(f.path for f in found if f.kind == "stray").endswith("mtl/m/v001/notes.txt")


def test_an_entry_naming_no_file_is_found(lg, make_file):
    _, mtl = _publish_pair(lg, make_file)
    lg.store.write(lambda tx: tx.run("MATCH (v:Version {uid: $uid}) SET v.entry = 'gone.usda'",
                                     {"uid": mtl.uid}))
    found = lg.verify(quick=True)
    assert _kinds(found) == [("entry", mtl.uri)]
    assert "'gone.usda' is not one of its files" in found[0].detail


def test_verify_of_one_project_sees_only_that_project(lg, make_file):
    _publish_pair(lg, make_file)
    other = lg.publish("other", "x", kind="FileAsset", files=[make_file("x.txt", "x")])
    os.chmod(_path(other, "x.txt"), 0o644)
    (lg.root / "other" / "stray.txt").write_text("s")
    (lg.root / "demo" / "stray.txt").write_text("s")
    assert sorted(f.kind for f in lg.verify("other")) == ["stray", "writable"]
    assert [(f.kind, f.path) for f in lg.verify("demo")] == [
        ("stray", str(lg.root / "demo" / "stray.txt"))]
    with pytest.raises(InvalidNameError):
        lg.verify("../etc")


def test_the_cli_exits_1_with_findings_and_0_with_a_one_line_summary(run, make_file, tmp_path):
    run("publish", "demo/tex/a", "--kind", "FileAsset", "--file", str(make_file("a.png", "abc")))
    clean = run("verify")
    assert clean.stdout.strip().splitlines() == [
        "verify: 1 files (3 bytes) of 1 versions checked: nothing wrong"]
    assert json.loads(run("verify", "--json").stdout) == []
    path = tmp_path / "publish" / "demo/tex/a/v001/a.png"
    os.chmod(path, 0o644)
    (tmp_path / "publish" / "stray.bin").write_bytes(b"x")
    dirty = run("verify", "--quick", ok=False)
    assert dirty.exit_code == 1
    assert "writable legos:/demo/tex/a?version=1" in dirty.stdout
    assert "2 problem(s)" in dirty.stderr
    records = json.loads(run("verify", "--json", ok=False).stdout)
    assert sorted(r["kind"] for r in records) == ["stray", "writable"]
    assert all(set(r) == {"kind", "uri", "path", "detail"} for r in records)
    fixed = run("verify", "--fix", "--json", "--jobs", "2")  # everything fixable: exit 0
    assert sorted(r["fixed"].split()[0] for r in json.loads(fixed.stdout)) == ["made", "moved"]
    assert run("verify").exit_code == 0


def test_the_gc_cli_lists_and_removes(run, tmp_path):
    base = tmp_path / "publish" / ".legos" / "staging"
    base.mkdir(parents=True, exist_ok=True)
    (base / "dead").mkdir()
    (base / "dead" / "f.bin").write_bytes(b"1234")
    (base / "dead.lock").write_text("1\n")
    listed = run("gc", "--dry-run", "--json")
    assert [(r["kind"], r["removed"]) for r in json.loads(listed.stdout)] == [
        ("staging", False), ("lock", False)]
    done = run("gc")
    assert "gc: removed 2 leftover(s), 4 bytes" in done.stdout
    assert run("gc").stdout.strip() == "gc: nothing to remove"
    assert not (base / "dead").exists()


def test_every_finding_kind_is_documented():
    assert set(KINDS) == {"missing", "size", "hash", "writable", "partial", "entry", "edge",
                          "stray", "orphan", "staging"}


# -- beside real publishes ---------------------------------------------------------------------

def _publisher(store: str, root: Path, src: Path, env: dict[str, str],
               asset: str = "plate/big") -> tuple[subprocess.Popen, int]:
    """`legos publish` in its own process, reporting the points it reaches on a pipe."""
    read, write = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from legos.cli.main import main; main()", "--store", store,
         "--root", str(root), "publish", f"demo/{asset}", "--kind", "FileAsset", "--file", str(src)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, **env, "LEGOS_TEST_PHASE_FD": str(write)}, pass_fds=(write,))
    os.close(write)
    return proc, read


def _wait_for(read_fd: int, point: str) -> None:
    seen = b""
    deadline = time.monotonic() + 120
    while f"{point}\n".encode() not in seen:
        chunk = os.read(read_fd, 1024)
        assert chunk and time.monotonic() < deadline, f"never reached {point}: {seen!r}"
        seen += chunk


def test_gc_and_verify_leave_a_live_publish_alone(lg, store_location, make_file):
    src = make_file("big.exr", os.urandom(1 << 20))
    proc, read = _publisher(store_location, lg.root, src, {"LEGOS_TEST_PAUSE_AT": "hash"})
    try:
        _wait_for(read, "hash")  # copied and hashed, its lock held, not yet in the store
        area = [p for p in (lg.root / ".legos/staging").iterdir() if p.is_dir()]
        assert len(area) == 1 and (area[0] / "big.exr").stat().st_size == 1 << 20
        assert lg.gc() == []
        assert lg.verify() == []  # a publish in flight is not a leftover
        assert (area[0] / "big.exr").exists()
    finally:
        _, err = proc.communicate(timeout=120)  # closes its stdin: it goes on
        os.close(read)
    assert proc.returncode == 0, err
    assert lg.show("legos:/demo/plate/big?version=1").representations[0].size == 1 << 20
    assert lg.verify() == []


def test_gc_leaves_a_live_publish_between_its_rename_and_its_commit_alone(lg, store_location,
                                                                          make_file):
    src = make_file("big.exr", os.urandom(1 << 16))
    proc, read = _publisher(store_location, lg.root, src, {"LEGOS_TEST_PAUSE_AT": "rename"})
    try:
        _wait_for(read, "rename")  # its folder is in place, its transaction open
        folder = lg.root / "demo/plate/big/v001"
        assert (folder / "big.exr").exists()
        assert lg.gc() == []  # its lock is live: not even the store is asked
        assert (folder / "big.exr").exists()
    finally:
        _, err = proc.communicate(timeout=120)  # closes its stdin: it goes on
        os.close(read)
    assert proc.returncode == 0, err
    assert lg.verify() == []


@pytest.mark.parametrize("point", ["copy", "hash", "rename", "commit"])
def test_a_publish_killed_at_each_point_leaves_what_gc_clears(lg, store_location, make_file,
                                                             point):
    src = make_file("big.exr", os.urandom(3 << 20))
    proc, read = _publisher(store_location, lg.root, src, {"LEGOS_TEST_KILL_AT": point})
    proc.communicate(timeout=120)
    os.close(read)
    assert proc.returncode == -9
    committed = point == "commit"
    if committed:
        assert [h.version for h in lg.history("legos:/demo/plate/big")] == [1]
    else:
        assert lg.assets() == []  # the asset came in the same transaction: rolled back
    before = lg.verify()
    # nothing half is visible: only leftovers gc knows, never a damaged version
    assert {f.kind for f in before} <= {"staging", "orphan"}, before
    if point == "rename":
        assert any(f.kind == "orphan" and "killed before its commit" in f.detail for f in before)
    removed = lg.gc()
    assert {r.kind for r in removed} == {"copy": {"staging", "lock"}, "hash": {"staging", "lock"},
                                         "rename": {"target", "lock"}, "commit": {"lock"}}[point]
    assert lg.verify() == []
    # and the next publish of the same asset goes through
    number = lg.publish("demo", "plate/big", kind="FileAsset", files=[src]).number
    assert number == (2 if committed else 1)
    assert lg.verify() == []


def test_the_next_publish_clears_a_dead_publishs_uncommitted_folder(lg, store_location,
                                                                   make_file):
    src = make_file("big.exr", os.urandom(1 << 16))
    proc, read = _publisher(store_location, lg.root, src, {"LEGOS_TEST_KILL_AT": "rename"})
    proc.communicate(timeout=120)
    os.close(read)
    assert (lg.root / "demo/plate/big/v001/big.exr").exists()
    version = lg.publish("demo", "plate/big", kind="FileAsset", files=[make_file("n.txt", "n")])
    assert version.number == 1
    assert sorted(p.name for p in (lg.root / "demo/plate/big/v001").iterdir()) == ["n.txt"]
    assert not (lg.root / ".legos/orphans").exists()  # a dead publish's copy is not work
    assert [f.kind for f in lg.verify()] == ["staging"]  # its lock, until gc
    assert [r.kind for r in lg.gc()] == ["lock"]
    assert lg.verify() == []

