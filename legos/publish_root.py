"""The publish root: one storage, recorded in the store, that machines may see under other mounts.

The store records the root's path and an id; the root holds a marker (`.legos/root.json`) with
that id. A root given for a session (`--root`, LEGOS_ROOT) is the same storage under another
mount only when its marker carries the store's id: anything else would write files where the
store will never look, so it is refused. Moving the files is `legos relocate`, which checks
that every version's files are really at the new place before recording it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from legos.errors import ConfigError

MARKER = ".legos/root.json"
_FORMAT = "legos.root/1"


def _read_marker(root: Path) -> dict[str, str] | None:
    try:
        return json.loads((root / MARKER).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"the publish root marker {root / MARKER} is unreadable ({exc}): "
                          "restore it from another mount of the root") from None


def claim(root: Path, root_id: str, store: str) -> None:
    """Make `root` (created if missing) this store's publish root, refusing one that already
    belongs to another store: two stores writing one tree could overwrite each other's files."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        marker = _read_marker(root)
        if marker is not None:
            if marker.get("root_id") != root_id:
                raise ConfigError(
                    f"{root} is already the publish root of another legos store "
                    f"({marker.get('store', 'unknown')}): give this store a folder of its own")
            return
        (root / MARKER).parent.mkdir(parents=True, exist_ok=True)
        temp = root / f"{MARKER}.{os.getpid()}.tmp"  # publishes may claim at once
        temp.write_text(json.dumps({"format": _FORMAT, "root_id": root_id, "store": store},
                                   indent=2) + "\n", encoding="utf-8")
        os.replace(temp, root / MARKER)
    except OSError as exc:
        raise ConfigError(f"cannot use {root} as the publish root: {exc.strerror or exc}; "
                          "choose a folder you can write to") from None


def check_mount(root: Path, recorded: Path | None, root_id: str | None) -> None:
    """Refuse a root override that is not the recorded root seen under another mount. A store
    with no root yet takes the first one it is given (see Legos.publish)."""
    if recorded is None or root == recorded:
        return
    marker = _read_marker(root)
    if marker is not None and root_id is not None and marker.get("root_id") == root_id:
        return
    where = f"the recorded root {recorded}" if recorded else "no recorded root"
    raise ConfigError(
        f"the publish root {root} is not this store's publish root under another mount (this "
        f"store has {where}, and {root / MARKER} "
        f"{'names another store' if marker else 'is missing'}): drop --root/LEGOS_ROOT, mount "
        "the recorded root there, or run `legos relocate` if the files really moved")


@dataclass(frozen=True)
class MissingFile:
    uri: str
    path: str
    problem: str  # "missing" or "size N, expected M"


def check_files_at(root: Path, files: list[dict[str, object]]) -> list[MissingFile]:
    """Which of the recorded files (rows of project, asset, number, path relative to the
    root, size) are not at `root` with their recorded size."""
    from legos.uri import format_uri

    problems = []
    for row in files:
        path = root / str(row["path"])
        try:
            size = path.stat().st_size
        except OSError:
            size = None
        if size != row["size"]:
            uri = format_uri(str(row["project"]), str(row["asset"]), int(str(row["number"])))
            problems.append(MissingFile(uri, str(path), "missing" if size is None else
                                        f"size {size}, expected {row['size']}"))
    return problems
