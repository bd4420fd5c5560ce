"""Reading while others write: a store opened read-only (`legos.open(read_only=True)`,
`legos --read-only`, LEGOS_READ_ONLY=1) refuses every write with one message naming it, and a
reader in another process never sees half of a publish (docs/reading-while-writing.md)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

import legos
from legos.errors import ReadOnlyStoreError, StoreError


def _snapshot(lg: legos.Legos, root: Path) -> tuple:
    counts = lg.store.query("store/counts")[0]
    changes = lg.store.read(lambda tx: tx.run("MATCH (c:Change) RETURN count(c) AS n"))[0]["n"]
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*"))
    return counts["assets"], counts["versions"], changes, files


def test_a_read_only_store_refuses_every_write_naming_it(lg, store_location, make_file,
                                                        tmp_path):
    v1 = lg.publish("demo", "chr/a", kind="TextureAsset", files=[make_file("a.png", b"a")])
    revision = lg.submit(v1.uri, note="look")
    root = tmp_path / "publish"
    before = _snapshot(lg, root)
    with legos.open(store_location, read_only=True) as ro:
        writes = {
            "publish": lambda: ro.publish("demo", "chr/b", kind="TextureAsset",
                                          files=[make_file("b.png", b"b")]),
            "set_status": lambda: ro.set_status(v1.uri, "approved"),
            "tag": lambda: ro.tag(v1.uri, "hero"),
            "set_alias": lambda: ro.set_alias(v1.uri, "final"),
            "set_meta": lambda: ro.set_meta(v1.uri, {"lod": 2}),
            "submit": lambda: ro.submit(v1.uri),
            "review": lambda: ro.review(revision.uid, "approved"),
            "pin": lambda: ro.pin(v1.uri, output=tmp_path / "pins.json"),
            "create_project": lambda: ro.create_project("other"),
            "configure": lambda: ro.configure(template="{root}/{project}/{asset}/{version}/{file}"),
            "relocate": lambda: ro.relocate(tmp_path / "elsewhere"),
            # these two change the root, not the graph
            "verify --fix": lambda: ro.verify(fix=True),
            "gc": lambda: ro.gc(),
        }
        for name, call in writes.items():
            with pytest.raises(ReadOnlyStoreError) as caught:
                call()
            message = str(caught.value)
            assert message.startswith(f"{name} writes to the store"), message
            assert "read-only" in message and "\n" not in message
        # and reads work as ever
        assert [a.path for a in ro.assets()] == ["demo/chr/a"]
        assert ro.show(v1.uri).number == 1
    assert _snapshot(lg, root) == before
    assert not (tmp_path / "pins.json").exists() and not (tmp_path / "elsewhere").exists()


def test_a_write_statement_in_a_read_only_store_is_refused_by_the_engine(lg, store_location):
    with legos.open(store_location, read_only=True) as ro:
        with pytest.raises(StoreError):
            ro.store.read(lambda tx: tx.run("CREATE (:Tag {name: 'sneaky', colour: ''})"))
        with pytest.raises(ReadOnlyStoreError):
            ro.store.write(lambda tx: tx.run("CREATE (:Tag {name: 'sneaky', colour: ''})"))
    assert not lg.store.read(lambda tx: tx.run("MATCH (t:Tag {name: 'sneaky'}) RETURN t.name"))


def test_read_only_cannot_create_a_store(tmp_path):
    with pytest.raises(ReadOnlyStoreError, match="legos init"):
        legos.open(tmp_path / "new", create=True, read_only=True)
    assert not (tmp_path / "new").exists()


def test_the_read_only_option_and_variable_refuse_writes_on_the_command_line(
        run, make_file, monkeypatch):
    png = str(make_file("a.png", b"a"))
    run("publish", "demo/a", "--kind", "TextureAsset", "--file", png)
    for args in (["--read-only", "publish", "demo/a", "--kind", "TextureAsset", "--file", png],
                 ["publish", "demo/a", "--kind", "TextureAsset", "--file", png, "--read-only"],
                 ["--read-only", "tag", "legos:/demo/a?version=1", "hero"]):
        result = run(*args, ok=False)
        assert result.exit_code == 1
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "open read-only" in lines[0], result.stderr
        assert lines[0].startswith(f"legos: error: {args[1] if args[0] == '--read-only' else args[0]}")
    assert "hero" not in run("show", "legos:/demo/a?version=1").output
    assert "demo/a" in run("--read-only", "ls").output
    monkeypatch.setenv("LEGOS_READ_ONLY", "1")
    result = run("status", "legos:/demo/a?version=1", "approved", ok=False)
    assert result.exit_code == 1 and "open read-only" in result.stderr
    result = run("init", ok=False)
    assert result.exit_code == 1 and "legos init" in result.stderr
    monkeypatch.setenv("LEGOS_READ_ONLY", "0")
    run("tag", "legos:/demo/a?version=1", "hero")


# The writer publishes package versions of many files and inputs; the reader, read-only in
# another process, checks every version it sees is whole (each file recorded and in place,
# numbers gap-free) until the writer is done. It prints what it saw as JSON.
_WRITER = """
import sys, legos
from pathlib import Path
lg = legos.open(sys.argv[1])
src = Path(sys.argv[2])
for i in range(int(sys.argv[3])):
    files = []
    for j in range(12):
        f = src / f"f{i}" / f"part{j}.bin"
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_bytes(bytes([i % 256]) * (1000 + j))
        files.append(f)
    dep = lg.publish("demo", f"src/s{i}", kind="FileAsset", files=[files[0]])
    lg.publish("demo", "pkg/look", kind="FileAsset", files=files[1:], entry="part1.bin",
               dependencies=[dep.uri])
print("done", flush=True)
"""

_READER = """
import json, os, sys, time, legos
from pathlib import Path
from legos.errors import NotFoundError
lg = legos.open(sys.argv[1], read_only=True)
done_flag = Path(sys.argv[2])
seen, problems, reads = set(), [], 0
while True:
    finished = done_flag.exists()
    try:
        history = lg.history("legos:/demo/pkg/look")
    except NotFoundError:  # not published yet
        time.sleep(0.01)
        continue
    reads += 1
    numbers = sorted(row.version for row in history)
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append(f"numbers {numbers}")
    for n in numbers:
        v = lg.show(f"legos:/demo/pkg/look?version={n}")
        files = [r for r in v.representations if r.name.startswith("part")]
        if len(files) != 11:
            problems.append(f"v{n} has {len(files)} files")
        for r in files:
            if not os.path.isfile(r.path) or os.path.getsize(r.path) != r.size:
                problems.append(f"v{n} file {r.path} missing or short")
        deps = lg.dependencies(v.uri, depth=1)
        if len(deps) != 1:
            problems.append(f"v{n} has {len(deps)} dependencies")
        seen.add(n)
    if finished:
        break
print(json.dumps({"seen": sorted(seen), "reads": reads, "problems": problems[:20]}))
"""


def test_a_read_only_reader_in_another_process_never_sees_half_a_publish(store_location,
                                                                        tmp_path):
    with legos.open(store_location, create=True) as lg:
        lg.configure(root=tmp_path / "publish")
    done_flag = tmp_path / "writer.done"
    reader = subprocess.Popen([sys.executable, "-c", _READER, store_location, str(done_flag)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        writer = subprocess.run([sys.executable, "-c", _WRITER, store_location,
                                 str(tmp_path / "src"), "15"],
                                capture_output=True, text=True, timeout=600)
        assert writer.returncode == 0, writer.stderr
        done_flag.write_text("1")
        out, err = reader.communicate(timeout=600)
    finally:
        if reader.poll() is None:
            reader.kill()
    assert reader.returncode == 0, err
    report = json.loads(out)
    assert report["problems"] == []
    assert report["seen"] == list(range(1, 16))  # its last read, after the writer, saw all
    assert report["reads"] > 1


def test_ladybug_read_only_open_beside_a_writer_sees_only_committed_rows(tmp_path):
    """What the engine itself does (docs/reading-while-writing.md): a read-only open while a
    transaction is in flight in another process succeeds and sees the last commit only; a
    read-only handle keeps the view it opened with, so legos reopens it after each write."""
    ladybug = pytest.importorskip("ladybug")
    path = str(tmp_path / "db.lbdb")
    writer = f"""
import ladybug, sys, time
from pathlib import Path
flags = Path(sys.argv[1])
db = ladybug.Database({path!r}); c = ladybug.Connection(db)
c.execute("CREATE NODE TABLE T(id INT64, PRIMARY KEY(id))")
c.execute("CREATE (:T {{id: 0}})")
c.execute("BEGIN TRANSACTION")
for i in range(1, 501):
    c.execute("CREATE (:T {{id: $i}})", {{"i": i}})
(flags / "in_flight").write_text("1")
while not (flags / "commit").exists():
    time.sleep(0.01)
c.execute("COMMIT")
(flags / "committed").write_text("1")
while not (flags / "close").exists():
    time.sleep(0.01)
c.close(); db.close()
"""
    flags = tmp_path / "flags"
    flags.mkdir()
    proc = subprocess.Popen([sys.executable, "-c", writer, str(flags)], text=True,
                            stderr=subprocess.PIPE)

    def wait_for(name: str) -> None:
        deadline = time.monotonic() + 120
        while not (flags / name).exists():
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline
            time.sleep(0.01)

    def count(conn) -> int:
        return conn.execute("MATCH (t:T) RETURN count(t)").get_all()[0][0]

    try:
        wait_for("in_flight")
        db = ladybug.Database(path, read_only=True)
        early = ladybug.Connection(db)
        assert count(early) == 1  # the transaction in flight is invisible
        (flags / "commit").write_text("1")
        wait_for("committed")
        assert count(early) == 1  # a handle keeps the view it opened with
        db2 = ladybug.Database(path, read_only=True)
        assert count(ladybug.Connection(db2)) == 501  # a fresh open sees the commit
        db2.close()
        early.close()
        db.close()
        (flags / "close").write_text("1")
        assert proc.wait(timeout=120) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
