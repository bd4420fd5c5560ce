"""`legos verify`: prove that the publish root and the graph agree, and say where they do not.

Every version's files must be under the root with their recorded size and sha256, and
read-only; every entry file and every dependency or member edge must lead to something whole;
nothing under the root may be owned by no version (stray files, folders left by a crash,
folders moved aside, staging areas of dead publishes). The graph is read in pages of versions
(cypher/operations), so a million versions cost a few dozen queries; files are hashed in
parallel (legos.operations.hashing). `fix=True` makes only safe repairs: read-only bits
restored, unowned things moved to a quarantine folder beside the root. A published file is
never deleted or rewritten, and a hash mismatch is only reported.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from legos import staging
from legos.model.representation import THUMBNAIL_NAME
from legos.operations import hashing, quarantine
from legos.store.base import GraphStore
from legos.uri import format_uri

# kind -> what it means (the CLI's help and docs/operations.md list them)
KINDS = {
    "missing": "a recorded file is not under the root (or is not a plain file there)",
    "size": "a recorded file has another size than recorded",
    "hash": "a recorded file has another sha256 than recorded (never fixed)",
    "writable": "a published file or folder can be written (fixed: made read-only)",
    "partial": "a version that is not whole: no asset holds it, or its files in the graph "
               "do not add up to its content hash",
    "entry": "a version's entry file is not among its files, or is missing",
    "edge": "a dependency or member edge leads to a version that is not whole",
    "stray": "a file under the root that no version owns (fixed: moved to quarantine)",
    "orphan": "a folder under the root that no version owns, or one kept in .legos/orphans "
              "(fixed: moved to quarantine)",
    "staging": "a staging area or lock of a publish that died (`legos gc` removes it)",
}
PAGE = 50_000  # versions per graph read (a million versions: 20 reads)
_WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH


@dataclass(frozen=True)
class Finding:
    """One thing wrong: its kind (KINDS), the version URI it concerns ("" for none), the path
    on disk, what is wrong, and with --fix what was done about it ("" for nothing)."""

    kind: str
    uri: str
    path: str
    detail: str
    fixed: str = ""

    def record(self) -> dict[str, str]:
        out = {"kind": self.kind, "uri": self.uri, "path": self.path, "detail": self.detail}
        if self.fixed:
            out["fixed"] = self.fixed
        return out


class Report(list[Finding]):
    """The findings of one run, with what was checked."""

    def __init__(self) -> None:
        super().__init__()
        self.versions = 0
        self.files = 0
        self.bytes = 0
        self.hashed = False

    @property
    def unfixed(self) -> list[Finding]:
        return [f for f in self if not f.fixed]


@dataclass
class _File:
    uri: str
    uid: str
    path: Path
    size: int
    sha256: str


@dataclass
class _Scan:
    """What the graph owns, gathered page by page for the walk of the root."""

    folders: set[str] = field(default_factory=set)
    files: set[str] = field(default_factory=set)
    damaged: set[str] = field(default_factory=set)  # uids of versions with a file problem


def verify(store: GraphStore, root: Path, template: str, project: str | None = None,
           quick: bool = False, jobs: int | None = None, fix: bool = False,
           page: int = PAGE) -> Report:
    """Check the root against the graph (see the module docstring); returns the findings."""
    report = Report()
    report.hashed = not quick
    scope = project or ""
    scan = _Scan()
    after = ""
    while True:
        rows = store.query("operations/version_files", after=after, limit=page, project=scope)
        if not rows:
            break
        versions = _group(rows)
        _check_page(versions, root, quick, jobs, fix, scan, report)
        after = max(versions)
        if len(versions) < page:
            break
    _check_graph(store, scope, scan, root, report)
    quarantine_to = quarantine.Quarantine(root) if fix else None
    _check_unowned(store, root, template, project, scan, report, fix, quarantine_to)
    return report


def _group(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    versions: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        versions.setdefault(row["uid"], []).append(row)
    return versions


def _uri(row: dict[str, Any]) -> str:
    return format_uri(str(row["project"]), str(row["asset"]), int(row["number"]))


def _check_page(versions: dict[str, list[dict[str, Any]]], root: Path, quick: bool,
                jobs: int | None, fix: bool, scan: _Scan, report: Report) -> None:
    to_hash: list[_File] = []
    for uid, rows in versions.items():
        head = rows[0]
        uri = _uri(head)
        report.versions += 1
        folder = head["folder"] or ""
        if folder:
            scan.folders.add(folder)
        files = [r for r in rows if r["name"] is not None]
        digest = hashlib.sha256()
        for r in sorted(files, key=lambda r: r["name"]):
            if r["name"] != THUMBNAIL_NAME:
                digest.update(f"{r['name']}\0{r['sha256']}\n".encode())
        if head["content_hash"] and digest.hexdigest() != head["content_hash"]:
            report.append(Finding("partial", uri, str(root / folder), (
                f"its {len(files)} recorded file(s) do not add up to its content hash: a file "
                "record is missing from the graph")))
        entry = head["entry"] or ""
        names = {r["name"] for r in files}
        if entry and entry not in names:
            report.append(Finding("entry", uri, str(root / folder / entry),
                                  f"its entry file {entry!r} is not one of its files"))
        for r in files:
            scan.files.add(r["path"])
            item = _File(uri, uid, root / r["path"], int(r["size"]), r["sha256"])
            report.files += 1
            report.bytes += item.size
            state = _check_file(item, fix, report)
            if state == "ok":
                if not quick:
                    to_hash.append(item)
                continue
            scan.damaged.add(uid)
            if state == "missing" and r["name"] == entry:
                report.append(Finding("entry", uri, str(item.path),
                                      f"its entry file {entry!r} is missing"))
    for item, result in hashing.hash_many(to_hash, lambda f: f.path, lambda f: f.size, jobs):
        if isinstance(result, OSError):
            report.append(Finding("missing", item.uri, str(item.path),
                                  f"cannot be read: {result.strerror or result}"))
            scan.damaged.add(item.uid)
        elif result != item.sha256:
            report.append(Finding("hash", item.uri, str(item.path),
                                  f"sha256 {result[:12]}..., recorded {item.sha256[:12]}...: "
                                  "its content changed; restore it from a backup"))
            scan.damaged.add(item.uid)


def _check_file(item: _File, fix: bool, report: Report) -> str:
    """Type, size and mode of one recorded file: "ok" (worth hashing), "missing" or "size"."""
    try:
        info = os.lstat(item.path)
    except FileNotFoundError:
        report.append(Finding("missing", item.uri, str(item.path), "the file is not there"))
        return "missing"
    except OSError as exc:
        report.append(Finding("missing", item.uri, str(item.path),
                              f"cannot be read: {exc.strerror or exc}"))
        return "missing"
    if not stat.S_ISREG(info.st_mode):
        what = "a symlink" if stat.S_ISLNK(info.st_mode) else "not a plain file"
        report.append(Finding("missing", item.uri, str(item.path),
                              f"is {what} where the published file should be"))
        return "missing"
    if info.st_mode & _WRITE_BITS:
        report.append(_writable(item.uri, item.path, info.st_mode, fix))
    if info.st_size != item.size:
        report.append(Finding("size", item.uri, str(item.path),
                              f"{info.st_size} bytes, recorded {item.size}: restore it from a "
                              "backup"))
        return "size"
    return "ok"


def _writable(uri: str, path: Path, mode: int, fix: bool) -> Finding:
    what = "folder" if stat.S_ISDIR(mode) else "file"
    finding = Finding("writable", uri, str(path),
                      f"the published {what} can be written (mode {stat.S_IMODE(mode):o})")
    if fix:
        try:
            os.chmod(path, stat.S_IMODE(mode) & ~_WRITE_BITS)
        except OSError as exc:
            return replace(finding, detail=f"{finding.detail}; cannot make it read-only: "
                                           f"{exc.strerror or exc}")
        return replace(finding, fixed=f"made read-only (mode {stat.S_IMODE(mode) & ~_WRITE_BITS:o})")
    return finding


def _check_graph(store: GraphStore, scope: str, scan: _Scan, root: Path,
                 report: Report) -> None:
    """Versions no asset holds, and edges into versions that are not whole."""
    for row in store.read(lambda tx: tx.query("operations/partial_versions", project=scope)):
        report.append(Finding("partial", _uri(row), str(root / (row["folder"] or "")),
                              "no asset holds this version (VERSION_OF is missing), so no URI "
                              "reaches it"))
    edges = store.read(lambda tx: tx.query("operations/edges_to_partial", project=scope))
    if scan.damaged:
        edges += store.read(lambda tx: tx.query("operations/edges_into", uids=sorted(scan.damaged),
                                                project=scope))
    for row in edges:
        target = format_uri(str(row["target_project"]), str(row["target_asset"]),
                            int(row["target_number"]))
        report.append(Finding("edge", _uri(row), "", (
            f"its {row['edge']} {target} is not whole (see the findings of {target})")))


# -- what no version owns ---------------------------------------------------------------------

def _ancestors(paths: set[str]) -> set[str]:
    out: set[str] = set()
    for path in paths:
        parts = path.split("/")
        for i in range(1, len(parts)):
            out.add("/".join(parts[:i]))
    return out


def _walk_start(template: str, project: str | None) -> str | None:
    """Where the walk for unowned things starts: the whole root, or one project's folder when
    the template puts projects first; None when a project's files cannot be told apart."""
    if project is None:
        return ""
    folder = template[len("{root}/"):]
    if folder.startswith("{project}/"):
        return project
    return None


def _unowned(root: Path, start: str, scan: _Scan, targets: set[str], fix: bool,
             report: Report) -> Iterator[tuple[str, bool]]:
    """(relative path, is a folder) of everything under `start` that no version owns; checks
    the modes of folders inside version folders on the way. The folders above `targets`
    (publishes' version folders not yet committed) are walked, so each target is named."""
    known = (scan.folders | _ancestors(scan.folders) | _ancestors(scan.files)
             | _ancestors(targets))
    stack: list[tuple[str, bool]] = [(start, start in scan.folders)]
    while stack:
        rel, inside = stack.pop()
        try:
            entries = list(os.scandir(root / rel if rel else root))
        except FileNotFoundError:
            continue
        for entry in entries:
            child = f"{rel}/{entry.name}" if rel else entry.name
            if not rel and entry.name == ".legos":
                continue  # the root's own folder: checked apart
            if entry.is_dir(follow_symlinks=False):
                if child in known:
                    in_version = inside or child in scan.folders
                    if in_version:
                        mode = entry.stat(follow_symlinks=False).st_mode
                        if mode & _WRITE_BITS:
                            report.append(_writable("", Path(entry.path), mode, fix))
                    stack.append((child, in_version))
                elif _holds_files(Path(entry.path)):
                    yield child, True
            elif child not in scan.files:
                yield child, False


def _holds_files(folder: Path) -> bool:
    """An empty folder (or tree of them) is harmless; anything else is somebody's."""
    return any(files for _dirpath, _dirs, files in os.walk(folder))


def _tree_size(path: Path) -> tuple[int, int]:
    if not path.is_dir() or path.is_symlink():
        return 1, path.lstat().st_size
    count = size = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            count += 1
            try:
                size += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                pass
    return count, size


def _check_unowned(store: GraphStore, root: Path, template: str, project: str | None,
                   scan: _Scan, report: Report, fix: bool,
                   quarantine_to: quarantine.Quarantine | None) -> None:
    areas = staging.areas(root)
    targets = {t for a in areas for t in a.targets}
    start = _walk_start(template, project)
    candidates = (list(_unowned(root, start, scan, targets, fix, report))
                  if start is not None else [])
    # a publish may have renamed its folder into place since the first look at the areas
    areas = staging.areas(root)
    live_targets = {t for a in areas if a.live for t in a.targets}
    dead_targets = {t for a in areas if not a.live and a.folder is None for t in a.targets}
    # ... or committed since its page was read: ask the graph again
    folders = [rel for rel, is_dir in candidates if is_dir]
    owned: set[str] = set()
    if folders:
        owned = {r["folder"] for r in store.read(
            lambda tx: tx.query("operations/folders_owned", folders=folders))}
    for rel, is_dir in candidates:
        if rel in owned or rel in live_targets:
            continue  # committed meanwhile, or a publish between its rename and its commit
        path = root / rel
        if is_dir:
            count, size = _tree_size(path)
            why = ("left by a publish killed before its commit (`legos gc` removes it)"
                   if rel in dead_targets else "owned by no version")
            finding = Finding("orphan", "", str(path),
                              f"a folder of {count} file(s), {size} bytes, {why}")
        else:
            finding = Finding("stray", "", str(path), "a file owned by no version")
        report.append(_quarantined(finding, path, quarantine_to))
    if project is None:
        for area in areas:
            if area.live:
                continue
            where = area.folder or area.lock
            assert where is not None
            if area.folder is not None:
                count, size = _tree_size(area.folder)
                detail = (f"the staging area of a publish that died ({count} file(s), {size} "
                          "bytes): `legos gc` removes it")
            else:
                detail = "the lock of a publish that died: `legos gc` removes it"
            report.append(Finding("staging", "", str(where), detail))
    orphans = root / staging.ORPHANS
    if orphans.is_dir():
        for entry in sorted(orphans.iterdir()):
            if project is not None and not entry.name.startswith(f"{project}__"):
                continue
            count, size = _tree_size(entry)
            finding = Finding("orphan", "", str(entry), (
                f"moved aside by a publish that found it where its version had to go ({count} "
                f"file(s), {size} bytes): look at it, then delete it"))
            report.append(_quarantined(finding, entry, quarantine_to))


def _quarantined(finding: Finding, path: Path,
                 quarantine_to: quarantine.Quarantine | None) -> Finding:
    if quarantine_to is None:
        return finding
    try:
        moved = quarantine_to.move(path)
    except OSError as exc:
        return replace(finding, detail=f"{finding.detail}; cannot move it to quarantine: "
                                       f"{exc.strerror or exc}")
    return replace(finding, fixed=f"moved to {moved}")
