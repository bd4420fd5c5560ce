"""Files on their way into the publish root: collected, copied with a streamed hash, frozen.

Copies go to a staging folder on the same file system as their final place, so that making
them visible is one atomic rename; nothing half-copied ever appears under a version's path.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from legos.errors import PublishFileError

CHUNK = 1 << 20  # 1 MiB: large files stream through a fixed buffer, never into memory
STAGING = ".legos/staging"
ORPHANS = ".legos/orphans"
_READ_ONLY_FILE = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
_READ_ONLY_DIR = _READ_ONLY_FILE | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH


@dataclass(frozen=True)
class SourceFile:
    source: Path
    name: str          # relative path inside the version folder, '/'-separated


@dataclass(frozen=True)
class StagedFile:
    name: str
    size: int
    sha256: str


def collect(paths: list[str | os.PathLike[str]]) -> list[SourceFile]:
    """Expand the files and folders to publish; a folder keeps its inner layout."""
    out: dict[str, SourceFile] = {}
    for given in paths:
        path = Path(given).expanduser()
        if not path.exists():
            raise PublishFileError(f"file to publish {str(path)!r} does not exist: check the path")
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file())
            if not found:
                raise PublishFileError(f"folder to publish {str(path)!r} holds no files")
            entries = [SourceFile(p, p.relative_to(path).as_posix()) for p in found]
        elif path.is_file():
            entries = [SourceFile(path, path.name)]
        else:
            raise PublishFileError(f"{str(path)!r} is neither a file nor a folder: publish files")
        for entry in entries:
            if not os.access(entry.source, os.R_OK):
                raise PublishFileError(f"file to publish {str(entry.source)!r} is not readable")
            if entry.name in out and out[entry.name].source.resolve() != entry.source.resolve():
                raise PublishFileError(
                    f"two files would be published as {entry.name!r} "
                    f"({out[entry.name].source} and {entry.source}): rename one"
                )
            out[entry.name] = entry
    return list(out.values())


def copy_with_hash(source: Path, target: Path) -> StagedFile:
    digest = hashlib.sha256()
    size = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(source, "rb") as src, open(target, "wb") as dst:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                dst.write(chunk)
                size += len(chunk)
            dst.flush()
            os.fsync(dst.fileno())
    except OSError as exc:
        raise PublishFileError(f"cannot copy {str(source)!r} into the publish root: {exc}") from exc
    os.chmod(target, _READ_ONLY_FILE)
    return StagedFile(target.name, size, digest.hexdigest())


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def stage(files: list[SourceFile], staging: Path) -> list[StagedFile]:
    staging.mkdir(parents=True)
    staged = []
    for entry in files:
        copied = copy_with_hash(entry.source, staging / entry.name)
        staged.append(StagedFile(entry.name, copied.size, copied.sha256))
    return staged


def freeze_folders(folder: Path) -> None:
    """Make a version folder and every folder below it read-only (files already are)."""
    for dirpath, _dirnames, _files in os.walk(folder, topdown=False):
        os.chmod(dirpath, _READ_ONLY_DIR)


def remove_tree(folder: Path) -> None:
    """Remove a staged or orphaned tree, read-only parts included."""
    if not folder.exists():
        return
    for dirpath, _dirnames, _files in os.walk(folder):
        os.chmod(dirpath, stat.S_IRWXU)
    shutil.rmtree(folder, ignore_errors=True)


def sweep_stale_staging(root: Path, older_than_s: float = 24 * 3600) -> None:
    """Staging folders of publishes killed long ago are garbage: nothing points at them."""
    base = root / STAGING
    if not base.is_dir():
        return
    cutoff = time.time() - older_than_s
    for entry in base.iterdir():
        try:
            if entry.stat().st_mtime < cutoff:
                remove_tree(entry)
        except OSError:
            continue
