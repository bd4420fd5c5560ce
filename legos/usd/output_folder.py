"""An output folder written whole or not at all: built in a staging folder beside it, checked,
then renamed into place. A folder holding an earlier output (its marker file) is replaced;
any other non-empty folder is refused, so that nobody's files are overwritten.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from legos.usd.errors import OutputFolderError


def check_output(out: Path, marker: str) -> None:
    if out.is_symlink() or out.is_file():
        raise OutputFolderError(f"output {str(out)!r} exists and is not a folder: choose another -o")
    if out.is_dir() and any(out.iterdir()) and not (out / marker).is_file():
        raise OutputFolderError(
            f"output folder {str(out)!r} is not empty and holds no frozen copy: choose a new "
            "folder or empty it")


def staging_beside(out: Path) -> Path:
    """A new empty folder next to `out` (same file system, so the final rename is atomic)."""
    staging = out.parent / f".{out.name}.staging-{uuid.uuid4().hex[:8]}"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging.mkdir()
    except OSError as exc:
        raise OutputFolderError(
            f"cannot write the output folder {str(out)!r} ({exc.strerror}): choose a folder "
            "you can write to") from None
    return staging


def install(staging: Path, out: Path, marker: str) -> None:
    """Put the finished folder in place of `out`; an earlier output there is replaced."""
    check_output(out, marker)
    if out.is_dir():
        old = out.with_name(f".{out.name}.old-{uuid.uuid4().hex[:8]}")
        os.replace(out, old)
        os.replace(staging, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, out)
