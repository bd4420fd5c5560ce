"""A quarantine folder beside the publish root (never inside it), where `legos verify --fix`
moves what no version owns: nothing is deleted, and the root holds only published content.

    /mnt/publish                       the root
    /mnt/publish.quarantine/20261201T101500/demo/chr/x/v003/...   moved, keeping its place
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import time
from pathlib import Path


class Quarantine:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = root.parent / f"{root.name}.quarantine" / time.strftime("%Y%m%dT%H%M%S")

    def move(self, path: Path) -> Path:
        """Move a file or folder under the root to the same relative place in quarantine; a
        read-only folder holding it is opened for the move and closed again."""
        target = self.folder / path.relative_to(self.root)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() or target.is_symlink():
            target = target.with_name(f"{target.name}.{time.time_ns()}")
        # moving a folder to another parent rewrites its '..': it must be writable too
        opened = [p for p in (path.parent, path) if p.is_dir() and not p.is_symlink()
                  and not p.stat().st_mode & stat.S_IWUSR]
        modes = {p: stat.S_IMODE(p.stat().st_mode) for p in opened}
        for p in opened:
            os.chmod(p, modes[p] | stat.S_IWUSR)
        try:
            try:
                os.replace(path, target)
            except OSError as exc:
                if exc.errno != errno.EXDEV:  # the quarantine is on another file system
                    raise
                shutil.move(str(path), str(target))
        finally:
            for p, mode in modes.items():
                os.chmod(target if p == path and not path.exists() else p, mode)
        return target
