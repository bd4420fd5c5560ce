"""The publish root's own folders: staging areas of publishes in flight, and orphans.

A publish copies its files into `{root}/.legos/staging/<id>/` while holding a lock on
`<id>.lock`, so the next publish can tell at once whether the area belongs to a live publish or
to one that was killed, and clear the dead one (a killed 2 GB publish leaves 2 GB behind).
Folders found where a new version must go, owned by no version (a publish killed between its
rename and its commit), are moved to `{root}/.legos/orphans/` and reported by `legos info`
until someone deals with them: legos never deletes what might be somebody's work.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from legos.files import remove_tree
from legos.store.file_lock import fcntl

STAGING = ".legos/staging"
ORPHANS = ".legos/orphans"
# An area without a lock file (a legos before locks, or a file system without flock) is left
# alone for this long before it counts as dead.
_UNLOCKED_GRACE_S = 24 * 3600


class StagingArea:
    """A folder for one publish's copies, locked for as long as the publish lives."""

    def __init__(self, root: Path) -> None:
        base = root / STAGING
        base.mkdir(parents=True, exist_ok=True)
        name = f"{uuid.uuid4().hex}"
        self.folder = base / name
        self._lock_path = base / f"{name}.lock"
        self._fd: int | None = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        if fcntl is not None:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.write(self._fd, f"{os.getpid()}\n".encode())

    def note_target(self, folder: str) -> None:
        """Record, before renaming the copies into place, the version folder (relative to the
        root) they go to: if this publish dies before its commit, `legos gc` (or the next
        publish of that version) knows the folder there is this dead publish's, not work."""
        if self._fd is not None:
            os.write(self._fd, f"target {folder}\n".encode())

    def __enter__(self) -> StagingArea:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        remove_tree(self.folder)
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
            self._lock_path.unlink(missing_ok=True)


def _is_dead(lock_path: Path) -> bool:
    """True when no live process holds the area's lock."""
    if fcntl is None:  # pragma: no cover - Windows: fall back to age
        return False
    try:
        fd = os.open(lock_path, os.O_RDWR)
    except FileNotFoundError:
        return False  # its owner just finished and removed it
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(fd)  # closing drops the lock we may have taken
    return True


def sweep_dead(root: Path) -> list[Path]:
    """Remove the staging areas of publishes that died; returns what was removed."""
    base = root / STAGING
    if not base.is_dir():
        return []
    removed = []
    now = time.time()
    for entry in base.iterdir():
        if entry.suffix == ".lock":
            # a dead lock whose copies were renamed into place stays for `legos gc`, which
            # asks the store whether that folder was committed
            if (not entry.with_suffix("").exists() and _is_dead(entry)
                    and not any((root / t).exists() for t in _targets(entry))):
                entry.unlink(missing_ok=True)
            continue
        lock = entry.with_name(entry.name + ".lock")
        try:
            dead = _is_dead(lock) if lock.exists() else now - entry.stat().st_mtime > _UNLOCKED_GRACE_S
        except OSError:
            continue
        if dead:
            remove_tree(entry)
            lock.unlink(missing_ok=True)
            removed.append(entry)
    return removed


def _targets(lock_path: Path) -> list[str]:
    """The version folders a publish noted in its lock file (StagingArea.note_target)."""
    try:
        text = lock_path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return [line[len("target "):] for line in text.splitlines() if line.startswith("target ")]


@dataclass(frozen=True)
class Area:
    """One publish's staging area as found on disk: its copies folder and its lock file (either
    may be gone), whether a live publish holds it, and the version folders it noted."""

    name: str
    folder: Path | None
    lock: Path | None
    live: bool
    targets: tuple[str, ...]
    mtime: float


def areas(root: Path) -> list[Area]:
    """Every staging area under the root, live or dead (for `legos verify` and `legos gc`)."""
    base = root / STAGING
    if not base.is_dir():
        return []
    names = sorted({p.name.removesuffix(".lock") for p in base.iterdir()})
    found = []
    for name in names:
        folder, lock = base / name, base / f"{name}.lock"
        has_folder, has_lock = folder.is_dir(), lock.exists()
        if not has_folder and not has_lock:
            continue  # its publish just finished
        try:
            mtime = max(p.stat().st_mtime for p in (folder, lock) if p.exists())
        except (OSError, ValueError):
            continue
        live = has_lock and not _is_dead(lock)
        if has_lock and not lock.exists():
            continue  # its publish finished between our looks
        found.append(Area(name, folder if has_folder else None, lock if has_lock else None,
                          live, tuple(_targets(lock)) if has_lock else (), mtime))
    return found


def dead_target(root: Path, folder: Path) -> bool:
    """True when `folder` is where a publish that died renamed its copies (its lock names it
    and its copies folder is gone): the folder holds nothing anybody published."""
    relative = folder.relative_to(root).as_posix()
    base = root / STAGING
    if not base.is_dir():
        return False
    for lock in base.glob("*.lock"):
        if (relative in _targets(lock) and not lock.with_suffix("").exists()
                and _is_dead(lock)):
            return True
    return False


@dataclass(frozen=True)
class Leftover:
    path: Path
    size: int
    kind: str  # "staging" (a live or dead publish's copies) or "orphan" (moved aside)


def _size(folder: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                pass
    return total


def leftovers(root: Path) -> list[Leftover]:
    """What lies in the root's own folders: staging areas and orphans, with their sizes."""
    out: list[Leftover] = []
    for sub, kind in ((STAGING, "staging"), (ORPHANS, "orphan")):
        base = root / sub
        if base.is_dir():
            out.extend(Leftover(p, _size(p), kind) for p in sorted(base.iterdir())
                       if p.is_dir())
    return out


def move_to_orphans(root: Path, folder: Path) -> Path:
    """Keep a folder nobody owns aside, never deleting it."""
    orphans = root / ORPHANS
    orphans.mkdir(parents=True, exist_ok=True)
    relative = folder.relative_to(root).as_posix().replace("/", "__")
    target = orphans / f"{relative}-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
    os.replace(folder, target)
    return target
