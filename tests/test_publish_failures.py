"""A publish that fails after its files were placed: the files follow the store's answer.

Rolled back: the placed folder goes away (no files the store does not know, nothing for the
next publish to move aside). Committed, though the caller saw an error (a connection lost
after the commit): the files stay where the store says they are."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from legos.errors import StoreError


class _LostAfterCommit(StoreError):
    pass


def _fail_writes(lg: Any, monkeypatch: pytest.MonkeyPatch, *, commit: bool) -> None:
    """Make the next writes fail after their work ran: rolled back, or after the commit."""
    real_write = lg.store.write

    def write(work: Any) -> Any:
        if commit:
            real_write(work)
            raise _LostAfterCommit("the connection was lost after the commit")

        def failing(tx: Any) -> Any:
            work(tx)
            raise StoreError("the transaction failed at its end")

        return real_write(failing)

    monkeypatch.setattr(lg.store, "write", write)


def _files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_a_rolled_back_publish_leaves_no_files_behind(lg, make_file, monkeypatch):
    src = make_file("a.png", b"first")
    _fail_writes(lg, monkeypatch, commit=False)
    with pytest.raises(StoreError, match="failed at its end"):
        lg.publish("demo", "tex/a", kind="TextureAsset", files=[src])
    monkeypatch.undo()
    assert _files_under(lg.root / "demo") == []
    assert lg.assets() == []
    # the next publish takes v1 and its folder, with nothing moved aside
    version = lg.publish("demo", "tex/a", kind="TextureAsset", files=[src])
    assert version.number == 1
    assert _files_under(lg.root / ".legos" / "orphans") == []


def test_a_committed_publish_keeps_its_files_though_the_caller_saw_an_error(lg, make_file,
                                                                            monkeypatch):
    src = make_file("a.png", b"first")
    _fail_writes(lg, monkeypatch, commit=True)
    with pytest.raises(_LostAfterCommit):
        lg.publish("demo", "tex/a", kind="TextureAsset", files=[src])
    monkeypatch.undo()
    shown = lg.show("legos:/demo/tex/a?version=1")  # the store has it ...
    paths = [Path(r.path) for r in shown.representations]
    assert paths
    for path in paths:  # ... and its files are where the store says
        assert path.read_bytes() == b"first"
