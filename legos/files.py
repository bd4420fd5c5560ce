"""Files on their way into the publish root: collected, copied with a streamed hash, frozen.

Copies go to a staging folder on the same file system as their final place, so that making
them visible is one atomic rename; nothing half-copied ever appears under a version's path.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from legos.errors import InvalidNameError, PublishFileError, StorageFullError
from legos.kinds import AssetKind
from legos.operations.faults import point

CHUNK = 1 << 20  # 1 MiB: large files stream through a fixed buffer, never into memory
_READ_ONLY_FILE = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
_READ_ONLY_DIR = _READ_ONLY_FILE | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH
# "no room": a full disk, a quota, a file-size limit (RLIMIT_FSIZE)
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


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
    """Expand the files and folders to publish; a folder keeps its inner layout.

    Nothing is skipped without a word: a symlink inside a folder is followed and its target
    copied (a published version never holds links) when it stays inside that folder; one that
    leads outside, nowhere or round in a loop, and anything that is not a file (a socket, a
    fifo, a device), is an error naming it."""
    out: dict[str, SourceFile] = {}
    for given in paths:
        path = Path(given).expanduser()
        if not path.exists():  # follows links: a dangling one does not exist either
            dangling = f" (a symlink to {os.readlink(path)!r})" if path.is_symlink() else ""
            raise PublishFileError(
                f"file to publish {str(path)!r}{dangling} does not exist: check the path")
        if path.is_dir():
            entries = _folder_files(path)
            if not entries:
                raise PublishFileError(f"folder to publish {str(path)!r} holds no files")
        elif path.is_file():
            entries = [SourceFile(path, path.name)]
        else:
            raise PublishFileError(f"{str(path)!r} is {_what(path)}, neither a file nor a "
                                   "folder: publish files")
        for entry in entries:
            _check_name(entry)
            if not os.access(entry.source, os.R_OK):
                raise PublishFileError(f"file to publish {str(entry.source)!r} is not readable")
            if entry.name in out and out[entry.name].source.resolve() != entry.source.resolve():
                raise PublishFileError(
                    f"two files would be published as {entry.name!r} "
                    f"({out[entry.name].source} and {entry.source}): rename one"
                )
            out[entry.name] = entry
    return list(out.values())


def _check_name(entry: SourceFile) -> None:
    """A published name must stay inside its version folder on every mount of the root (no
    backslash, no control character, no `..`): refused, naming the file, before any copy."""
    from legos.names import problem

    why = problem(entry.name)
    if why is not None:
        raise InvalidNameError(f"file name {entry.name!r} ({str(entry.source)!r}) {why}: "
                               "rename the file before publishing it")


def _what(path: Path) -> str:
    mode = path.stat().st_mode
    for test, name in ((stat.S_ISSOCK, "a socket"), (stat.S_ISFIFO, "a fifo (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "a special file"


def _folder_files(folder: Path) -> list[SourceFile]:
    """Every file under `folder`, links inside it followed, as (source, name in the folder)."""
    top = Path(os.path.realpath(folder))
    found: list[SourceFile] = []

    def walk(directory: Path, prefix: str, ancestors: frozenset[Path]) -> None:
        try:
            children = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            raise PublishFileError(f"cannot read folder {str(directory)!r}: {exc.strerror}") from None
        for child in children:
            shown = Path(child.path)
            name = prefix + child.name
            if child.is_symlink():
                target = _link_target(shown, folder, top)
                if target.is_dir():
                    if target in ancestors:  # a link back up: walking it would never end
                        raise PublishFileError(
                            f"symlink {str(shown)!r} points at {str(target)!r}, a folder that "
                            "holds the link itself, so it loops: remove the link")
                    walk(shown, name + "/", ancestors | {target})
                elif target.is_file():
                    found.append(SourceFile(target, name))  # the target's bytes, never a link
                else:
                    raise PublishFileError(f"symlink {str(shown)!r} points at {_what(target)} "
                                           f"({str(target)!r}): publish files only")
            elif child.is_dir(follow_symlinks=False):
                walk(shown, name + "/", ancestors | {Path(os.path.realpath(shown))})
            elif child.is_file(follow_symlinks=False):
                found.append(SourceFile(shown, name))
            else:
                raise PublishFileError(
                    f"{str(shown)!r} in the folder to publish is {_what(shown)}, not a file: "
                    "move it out of the folder")

    walk(folder, "", frozenset({top}))
    return found


def _link_target(link: Path, folder: Path, top: Path) -> Path:
    """Where a symlink inside the published folder leads, if that is inside the folder too."""
    try:
        target = link.resolve(strict=True)
    except FileNotFoundError:
        raise PublishFileError(
            f"symlink {str(link)!r} points at {os.readlink(link)!r}, which does not exist: "
            "fix or remove the link") from None
    except (RuntimeError, OSError):  # RuntimeError: a link loop on Python < 3.13
        raise PublishFileError(
            f"symlink {str(link)!r} loops (it leads back to itself): remove the link") from None
    if not target.is_relative_to(top):
        raise PublishFileError(
            f"symlink {str(link)!r} points outside the folder being published ({str(folder)!r}) "
            f"to {str(target)!r}: copy those files into the folder, or publish them as their "
            "own asset and depend on it")
    return target


def check_publishable(sources: list[SourceFile], kind: AssetKind,
                      allow_empty: bool = False) -> None:
    """What a version of `kind` must hold: files when its kind needs them, and no empty file
    (a zero-byte texture or layer is nearly always a failed export) unless allowed."""
    if not sources and kind.needs_files:
        raise PublishFileError(
            f"a {kind.name} version needs files ({kind.description}) and none were given: "
            "add --file (files=[...]), or publish a package kind if it only holds members")
    if allow_empty:
        return
    empty = [s for s in sources if s.source.stat().st_size == 0]
    if empty:
        shown = ", ".join(repr(str(s.source)) for s in empty[:5])
        raise PublishFileError(
            f"{len(empty)} file(s) to publish are empty (0 bytes): {shown}"
            f"{', ...' if len(empty) > 5 else ''}; an empty file is usually a failed export, so "
            "re-export it, or publish it anyway with --allow-empty (allow_empty=True)")


def copy_with_hash(source: Path, target: Path,
                   on_bytes: Callable[[int], None] | None = None,
                   root: Path | None = None, sync: bool = True) -> StagedFile:
    """Copy and hash in one pass; with `sync` the copy is on disk when this returns (without,
    the caller syncs before the commit that makes it part of a version: legos.batch)."""
    digest = hashlib.sha256()
    size = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(source, "rb") as src, open(target, "wb") as dst:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                dst.write(chunk)
                point("copy")  # a test hook (LEGOS_TEST_KILL_AT): a kill mid-copy
                size += len(chunk)
                if on_bytes:
                    on_bytes(len(chunk))
            dst.flush()
            if sync:
                os.fsync(dst.fileno())
    except OSError as exc:
        if exc.errno in _FULL:
            where = root or target.parent
            raise StorageFullError(
                f"no room in the publish root {where} for {str(source)!r} ({exc.strerror}); "
                "nothing was published: free space there (or raise the disk quota or file-size "
                "limit) and publish again") from None
        raise PublishFileError(f"cannot copy {str(source)!r} into the publish root: {exc}") from exc
    os.chmod(target, _READ_ONLY_FILE)
    return StagedFile(target.name, size, digest.hexdigest())


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


Progress = Callable[[int, int], None]  # (bytes copied so far, bytes in all)


def stage(files: list[SourceFile], staging: Path, progress: Progress | None = None,
          root: Path | None = None, sync: bool = True) -> list[StagedFile]:
    staging.mkdir(parents=True, exist_ok=True)
    total = sum(entry.source.stat().st_size for entry in files) if progress else 0
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress(done, total)

    staged = []
    for entry in files:
        copied = copy_with_hash(entry.source, staging / entry.name, advance if progress else None,
                                root, sync)
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
