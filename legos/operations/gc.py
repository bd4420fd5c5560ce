"""`legos gc`: remove what publishes that died left under the root, and nothing else.

A publish holds a lock on its staging area for as long as it lives (legos.staging), so an area
whose lock nobody holds belongs to a dead publish: its copies go. A dead publish that had
renamed its copies into the version folder before dying noted that folder in its lock; the
folder goes too, once the store confirms no version owns it (asked after the lock was found
dead, so a commit that raced the check is seen). A live publish's area and folder are never
touched, and neither is anything legos did not write (that is `legos verify --fix`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from legos import staging
from legos.files import remove_tree
from legos.store.base import GraphStore

# An area without a lock file (from a legos before locks) counts as dead after this long.
UNLOCKED_GRACE_H = 24.0


@dataclass(frozen=True)
class Removed:
    """One leftover: "staging" (a dead publish's copies), "target" (its copies renamed into a
    version folder but never committed) or "lock" (its lock file); removed unless dry_run."""

    kind: str
    path: str
    files: int
    bytes: int
    removed: bool

    def record(self) -> dict[str, object]:
        return {"kind": self.kind, "path": self.path, "files": self.files,
                "bytes": self.bytes, "removed": self.removed}


def _tree(path: Path) -> tuple[int, int]:
    count = size = 0
    for item in path.rglob("*"):
        try:
            if item.is_file() and not item.is_symlink():
                count += 1
                size += item.lstat().st_size
        except OSError:
            pass
    return count, size


def collect(store: GraphStore, root: Path, older_than_hours: float | None = None,
            dry_run: bool = False) -> list[Removed]:
    """Remove (or with dry_run only list) the leftovers of dead publishes under `root`;
    with `older_than_hours`, only those left at least that long ago."""
    now = time.time()
    areas = staging.areas(root)
    live_targets = {t for a in areas if a.live for t in a.targets}
    dead = []
    for area in areas:
        if area.live:
            continue
        age_h = (now - area.mtime) / 3600
        if area.lock is None and age_h < (older_than_hours or UNLOCKED_GRACE_H):
            continue  # maybe a publish by a legos that took no lock
        if older_than_hours is not None and age_h < older_than_hours:
            continue
        dead.append(area)
    # the locks were found dead above, so no commit can follow: the store's answer is final
    candidates = sorted({t for a in dead if a.folder is None for t in a.targets
                         if t not in live_targets and (root / t).is_dir()})
    owned: set[str] = set()
    if candidates:
        owned = {r["folder"] for r in store.read(
            lambda tx: tx.query("operations/folders_owned", folders=candidates))}
    out: list[Removed] = []
    for target in candidates:
        if target in owned:
            continue
        path = root / target
        count, size = _tree(path)
        if not dry_run:
            remove_tree(path)
        out.append(Removed("target", str(path), count, size, not dry_run))
    for area in dead:
        if area.folder is not None:
            count, size = _tree(area.folder)
            if not dry_run:
                remove_tree(area.folder)
            out.append(Removed("staging", str(area.folder), count, size, not dry_run))
        if area.lock is not None:
            if not dry_run:
                area.lock.unlink(missing_ok=True)
            out.append(Removed("lock", str(area.lock), 0, 0, not dry_run))
    return out
