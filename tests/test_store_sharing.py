"""One embedded store shared by several processes on a workstation: an artist's DCC, a TD's
terminal, a long publish. Nobody holds the store between transactions, readers and writers take
turns transaction by transaction, and a writer that must wait says so."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import legos
from legos.errors import StoreBusyError, StoreNotFoundError

# Publishes, then keeps the store open (idle) for the given seconds: a Python session or a DCC.
_IDLE_HOLDER = """
import sys, time, legos
lg = legos.open(sys.argv[1])
lg.publish("demo", "held/asset", kind="FileAsset", files=[sys.argv[3]])
lg.assets()
print("open", flush=True)
time.sleep(float(sys.argv[2]))
lg.close()
"""

# Holds the write lock inside one write transaction for the given seconds.
_SLOW_WRITER = """
import sys, time, legos
lg = legos.open(sys.argv[1])
def work(tx):
    print("writing", flush=True)
    time.sleep(float(sys.argv[2]))
lg.store.write(work)
"""

# Publishes a file whose copy is made slow (a big plate on a slow share).
_SLOW_PUBLISHER = """
import sys, time, legos
lg = legos.open(sys.argv[1])
said = []
def progress(done, total):
    if not said:
        print("copying", flush=True)
        said.append(1)
    time.sleep(0.02)
lg.publish("demo", "plate/big", kind="FileAsset", files=[sys.argv[2]], progress=progress)
print("done", flush=True)
"""


def _store(tmp_path: Path) -> str:
    location = str(tmp_path / "store")
    with legos.open(location, create=True) as lg:
        lg.configure(root=tmp_path / "root")
    return location


def _start(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_an_idle_session_keeps_no_one_out(tmp_path, make_file, monkeypatch):
    location = _store(tmp_path)
    holder = _start(_IDLE_HOLDER, location, "30", str(make_file("held.txt", "held")))
    try:
        assert holder.stdout.readline().strip() == "open"
        monkeypatch.setenv("LEGOS_LOCK_TIMEOUT", "2")
        with legos.open(location) as lg:  # reads and writes while the other session idles
            version = lg.publish("demo", "tex/a", kind="TextureAsset", files=[make_file("a.png")])
            assert version.number == 1
            assert sorted(a.path for a in lg.assets()) == ["demo/held/asset", "demo/tex/a"]
    finally:
        holder.kill()
        holder.wait()


def test_a_long_publish_blocks_neither_readers_nor_other_publishes(tmp_path, make_file,
                                                                     monkeypatch):
    location = _store(tmp_path)
    big = make_file("plate.exr", b"x" * (64 << 20))  # 64 chunks of 1 MiB, 20 ms each
    publisher = _start(_SLOW_PUBLISHER, location, str(big))
    try:
        assert publisher.stdout.readline().strip() == "copying"
        monkeypatch.setenv("LEGOS_LOCK_TIMEOUT", "2")
        with legos.open(location) as lg:
            assert lg.assets() == []
            lg.publish("demo", "tex/a", kind="TextureAsset", files=[make_file("a.png")])
            assert [a.path for a in lg.assets()] == ["demo/tex/a"]
        assert publisher.poll() is None, "the publish finished before the test could overlap it"
        _, err = publisher.communicate(timeout=120)
        assert publisher.returncode == 0, err
    finally:
        if publisher.poll() is None:
            publisher.kill()
            publisher.wait()
    with legos.open(location) as lg:
        assert sorted(a.path for a in lg.assets()) == ["demo/plate/big", "demo/tex/a"]


def test_a_writer_waits_for_another_writer_and_says_so(tmp_path, make_file, monkeypatch,
                                                       caplog):
    location = _store(tmp_path)
    writer = _start(_SLOW_WRITER, location, "3")
    try:
        assert writer.stdout.readline().strip() == "writing"
        monkeypatch.setenv("LEGOS_LOCK_TIMEOUT", "60")
        with caplog.at_level("WARNING", logger="legos"), legos.open(location) as lg:
            lg.publish("demo", "tex/a", kind="TextureAsset", files=[make_file("a.png")])
        assert any("waiting for the store" in r.getMessage() and "another process is writing"
                   in r.getMessage() for r in caplog.records)
    finally:
        writer.wait(timeout=60)
    assert writer.returncode == 0


def test_a_writer_that_waits_too_long_gets_a_clear_busy_error(tmp_path, make_file,
                                                              monkeypatch):
    location = _store(tmp_path)
    monkeypatch.setenv("LEGOS_LOCK_TIMEOUT", "0.5")
    lg = legos.open(location)
    writer = _start(_SLOW_WRITER, location, "5")
    try:
        assert writer.stdout.readline().strip() == "writing"
        with lg, pytest.raises(StoreBusyError,
                               match=r"in use by another process.*LEGOS_LOCK_TIMEOUT"):
            lg.publish("demo", "tex/a", kind="TextureAsset", files=[make_file("a.png")])
        # nothing was left behind by the refused publish
        assert not list((tmp_path / "root").glob(".legos/staging/*"))
        assert not (tmp_path / "root" / "demo").exists()
    finally:
        writer.wait(timeout=60)


def test_a_long_lived_reader_sees_what_others_publish(tmp_path, make_file):
    location = _store(tmp_path)
    with legos.open(location) as reader:
        assert reader.assets() == []
        for n in range(3):  # each publish in its own process, the reader open throughout
            done = subprocess.run(
                [str(Path(sys.executable).parent / "legos"), "publish", f"demo/tex/t{n}", "--kind",
                 "TextureAsset", "--file", str(make_file(f"t{n}.png", f"t{n}")), "--store",
                 location], capture_output=True, text=True)
            assert done.returncode == 0, done.stderr
            assert len(reader.assets()) == n + 1
        assert reader.show("legos:/demo/tex/t2").number == 1


def test_only_init_creates_a_store(store_location, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from legos.cli.main import cli

    monkeypatch.delenv("LEGOS_STORE", raising=False)
    runner = CliRunner()
    for args in (["ls"], ["show", "legos:/demo/tex/a"], ["info"], ["history", "demo/tex/a"]):
        result = runner.invoke(cli, [*args, "--store", store_location])
        assert result.exit_code == 1, result.output
        assert f"there is no legos store at {store_location}" in result.stderr
        assert "legos init" in result.stderr
    with pytest.raises(StoreNotFoundError):
        legos.open(store_location)
    if "://" not in store_location:
        assert not Path(store_location).exists()
    result = runner.invoke(cli, ["init", "--store", store_location, "--root",
                                 str(tmp_path / "root")])
    assert result.exit_code == 0, result.output
    assert runner.invoke(cli, ["ls", "--store", store_location]).exit_code == 0
