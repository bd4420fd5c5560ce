"""Reading a legos archive (docs/archive-format.md) into a checked Snapshot, touching no store.

An archive is input from outside: every failure to read or check it is an ArchiveError naming
the archive and what is wrong, never another exception (tests/test_archive.py fuzzes it).
Members are read by the names the manifest and the schema give; nothing is extracted by the
name a member claims for itself.
"""

from __future__ import annotations

import json
import math
import os
import tarfile
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import IO, Any

from legos.errors import ArchiveError
from legos.operations import archive_tables as tables
from legos.operations.archive_export import (
    FILES_PREFIX,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    node_file,
    rel_file,
)
from legos.operations.archive_tables import Props, RelKey, Snapshot

_MAX_MANIFEST = 64 * 1024 * 1024


@dataclass
class Archive:
    path: Path
    manifest: dict[str, Any]
    snapshot: Snapshot
    tar: tarfile.TarFile

    @property
    def with_files(self) -> bool:
        return bool(self.manifest.get("with_files"))

    @property
    def projects(self) -> list[str] | None:
        return self.manifest.get("projects")

    def file_member(self, rel: str) -> IO[bytes]:
        """The archived copy of the published file at `rel` (relative to the root)."""
        try:
            member = self.tar.getmember(FILES_PREFIX + rel)
            handle = self.tar.extractfile(member) if member.isfile() else None
        except (KeyError, tarfile.TarError, OSError, EOFError) as exc:
            raise ArchiveError(f"the archive {self.path} lacks the file {rel} its graph names "
                               f"({exc}): export it again with --with-files") from None
        if handle is None:
            raise ArchiveError(f"the archive {self.path} holds {rel} as something other than a "
                               "regular file: it was not written by legos export")
        return handle

    def close(self) -> None:
        self.tar.close()


def _bad(path: Path, what: str) -> ArchiveError:
    return ArchiveError(f"{path} is not a usable legos archive: {what}")


def open_archive(path: str | os.PathLike[str]) -> Archive:
    """Open and check the archive at `path`: its manifest, then every table (types, keys,
    relationship ends). The caller closes it (files are read from it later)."""
    where = Path(path)
    try:
        tar = tarfile.open(where, "r:*")  # noqa: SIM115 (closed by Archive.close)
    except FileNotFoundError:
        raise ArchiveError(f"there is no archive at {where}: check the path") from None
    except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
        raise _bad(where, f"not a tar archive ({exc})") from None
    try:
        manifest = _manifest(tar, where)
        snapshot = _snapshot(tar, where, manifest)
    except ArchiveError:
        tar.close()
        raise
    except (tarfile.TarError, OSError, EOFError, UnicodeDecodeError, ValueError, TypeError,
            KeyError, AttributeError, RecursionError, MemoryError) as exc:
        tar.close()
        raise _bad(where, f"unreadable ({type(exc).__name__}: {exc})") from None
    return Archive(where, manifest, snapshot, tar)


def _member_bytes(tar: tarfile.TarFile, name: str, where: Path, limit: int | None = None) -> bytes:
    try:
        member = tar.getmember(name)
    except KeyError:
        raise _bad(where, f"it has no {name}") from None
    if not member.isfile():
        raise _bad(where, f"{name} is not a regular file")
    if limit is not None and member.size > limit:
        raise _bad(where, f"{name} is {member.size} bytes, more than a manifest can be")
    handle = tar.extractfile(member)
    if handle is None:
        raise _bad(where, f"{name} cannot be read")
    return handle.read()


def _manifest(tar: tarfile.TarFile, where: Path) -> dict[str, Any]:
    from legos import __version__

    try:
        manifest = json.loads(_member_bytes(tar, MANIFEST, where, _MAX_MANIFEST))
    except json.JSONDecodeError as exc:
        raise _bad(where, f"{MANIFEST} is not JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _bad(where, f"{MANIFEST} does not say format {FORMAT!r}")
    version, schema_version = manifest.get("format_version"), manifest.get("schema_version")
    current = tables.schema().version
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _bad(where, "its format_version is not a positive integer")
    if (not isinstance(schema_version, int) or isinstance(schema_version, bool)
            or schema_version < 1):
        raise _bad(where, "its schema_version is not a positive integer")
    written_by = manifest.get("legos_version", "a newer legos")
    if version > FORMAT_VERSION:
        raise ArchiveError(
            f"the archive {where} has archive format version {version}, newer than this legos "
            f"({__version__}) reads ({FORMAT_VERSION}): it was written by legos {written_by}; "
            "upgrade legos to import it")
    if schema_version > current:
        raise ArchiveError(
            f"the archive {where} holds a graph of schema version {schema_version}, newer than "
            f"this legos's ({current}): it was written by legos {written_by}; upgrade legos to "
            "import it")
    if not isinstance(manifest.get("tables"), list):
        raise _bad(where, f"{MANIFEST} has no list of tables")
    projects = manifest.get("projects")
    if projects is not None and not (isinstance(projects, list)
                                     and all(isinstance(p, str) for p in projects)):
        raise _bad(where, "its projects are not a list of names")
    if not isinstance(manifest.get("with_files", False), bool):
        raise _bad(where, "its with_files is not true or false")
    meta = manifest.get("meta", {})
    if not isinstance(meta, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                             for k, v in meta.items()):
        raise _bad(where, "its meta is not a mapping of text to text")
    return manifest


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _snapshot(tar: tarfile.TarFile, where: Path, manifest: dict[str, Any]) -> Snapshot:
    current = tables.schema()
    snap = Snapshot(schema_version=manifest["schema_version"], meta=dict(manifest.get("meta", {})))
    node_entries: dict[str, int] = {}
    rel_entries: dict[RelKey, int] = {}
    known_rels = set(tables.rel_tables(current))
    for entry in manifest["tables"]:
        if not isinstance(entry, dict) or not _is_int(entry.get("rows")) or entry["rows"] < 0:
            raise _bad(where, f"a table entry of {MANIFEST} is malformed: {str(entry)[:200]}")
        if entry.get("kind") == "nodes":
            label = entry.get("label")
            if not isinstance(label, str) or label not in current.nodes or label == "Meta":
                raise _bad(where, f"it holds nodes of label {str(label)[:80]!r}, which this "
                           "legos's schema does not have")
            if label in node_entries:
                raise _bad(where, f"it lists the {label} nodes twice")
            node_entries[label] = entry["rows"]
        elif entry.get("kind") == "relationships":
            table = (entry.get("type"), entry.get("from"), entry.get("to"))
            if table not in known_rels:
                raise _bad(where, f"it holds relationships {str(table)[:200]}, which this "
                           "legos's schema does not have")
            if table in rel_entries:
                raise _bad(where, f"it lists the relationships {table} twice")
            rel_entries[(str(table[0]), str(table[1]), str(table[2]))] = entry["rows"]
        else:
            raise _bad(where, f"a table entry of {MANIFEST} has kind {str(entry.get('kind'))[:40]!r}")
    for label, rows in node_entries.items():
        snap.nodes[label] = _node_rows(tar, where, label, rows)
    keys = {label: tables.keys_of(rows, current.nodes[label].key)
            for label, rows in snap.nodes.items()}
    for table, rows in rel_entries.items():
        snap.rels[table] = _rel_rows(tar, where, table, rows, keys)
    _check_paths(snap, where)
    return snap


def _lines(tar: tarfile.TarFile, where: Path, name: str, expected: int) -> list[Any]:
    data = _member_bytes(tar, name, where)
    # "\n" only: a JSON string may hold U+2028 or U+0085, which splitlines() would split on
    lines = data.decode("utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) != expected:
        raise _bad(where, f"{name} has {len(lines)} rows, its manifest says {expected}")
    out = []
    loads = json.loads
    for number, line in enumerate(lines, 1):
        try:
            out.append(loads(line))
        except json.JSONDecodeError as exc:
            raise _bad(where, f"{name} line {number} is not JSON ({exc})") from None
    return out


def _node_rows(tar: tarfile.TarFile, where: Path, label: str, expected: int) -> list[Props]:
    spec = tables.schema().nodes[label]
    name = node_file(label)
    rows = []
    seen: set[str] = set()
    for number, raw in enumerate(_lines(tar, where, name, expected), 1):
        if not isinstance(raw, dict):
            raise _bad(where, f"{name} line {number} is not an object")
        row = _typed(raw, spec.properties, where, name, number)
        key = row.get(spec.key)
        if not isinstance(key, str):
            raise _bad(where, f"{name} line {number} has no {spec.key}")
        if key in seen:
            raise _bad(where, f"{name} holds {spec.key} {key[:80]!r} twice")
        seen.add(key)
        rows.append(row)
    return rows


def _rel_rows(tar: tarfile.TarFile, where: Path, table: RelKey, expected: int,
              keys: dict[str, set[str]]) -> list[tuple[str, str, Props]]:
    rel, source, target = table
    kinds = tables.schema().relationships[rel].properties
    name = rel_file(table)
    sources, targets = keys.get(source, set()), keys.get(target, set())
    rows = []
    for number, raw in enumerate(_lines(tar, where, name, expected), 1):
        if not isinstance(raw, dict) or set(raw) - {"from", "to", "properties"}:
            raise _bad(where, f"{name} line {number} is not a relationship row")
        start, end, props = raw.get("from"), raw.get("to"), raw.get("properties", {})
        if start not in sources or end not in targets:
            raise _bad(where, f"{name} line {number} links {str(start)[:80]!r} to "
                       f"{str(end)[:80]!r}, and the archive lacks one of them")
        if not isinstance(props, dict):
            raise _bad(where, f"{name} line {number} has properties that are not an object")
        rows.append((start, end, _typed(props, kinds, where, name, number)))
    return rows


def _typed(raw: dict[str, Any], kinds: dict[str, str], where: Path, name: str,
           number: int) -> Props:
    out: Props = {}
    for prop, value in raw.items():
        kind = kinds.get(prop)
        if kind is None:
            raise _bad(where, f"{name} line {number} has property {str(prop)[:80]!r}, which "
                       "this legos's schema does not have")
        if value is None:
            continue
        if ((kind == "string" and isinstance(value, str))
                or (kind == "int" and _is_int(value) and -2**63 <= value < 2**63)):
            out[prop] = value
        elif (kind == "float" and isinstance(value, (int, float)) and not isinstance(value, bool)
              and math.isfinite(value)):
            out[prop] = float(value)
        elif kind == "bool" and isinstance(value, bool):
            out[prop] = value
        elif kind == "timestamp" and isinstance(value, str):
            out[prop] = _timestamp(value, where, name, number, prop)
        else:
            raise _bad(where, f"{name} line {number}: {prop} is not a {kind}")
    return out


def _timestamp(text: str, where: Path, name: str, number: int, prop: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise _bad(where, f"{name} line {number}: {prop} is not an ISO time") from None
    if value.tzinfo is None:
        raise _bad(where, f"{name} line {number}: {prop} has no UTC offset")
    try:
        return value.astimezone(timezone.utc)
    except OverflowError:
        raise _bad(where, f"{name} line {number}: {prop} is out of range") from None


def check_relative_path(rel: str) -> str | None:
    """Why `rel` cannot be a path under the publish root, or None when it can."""
    if not rel or "\\" in rel or any(unicodedata.category(c)[0] == "C" for c in rel):
        return "it is empty or holds a backslash or a control character"
    pure = PurePosixPath(rel)
    if pure.is_absolute() or any(part in ("", ".", "..") for part in rel.split("/")):
        return "it is absolute or climbs out with .."
    if rel.startswith(".legos/"):
        return "it is inside the root's own .legos folder"
    return None


def _check_paths(snap: Snapshot, where: Path) -> None:
    for label, prop in (("Representation", "path"), ("Version", "folder")):
        for row in snap.nodes.get(label, []):
            value = row.get(prop)
            if value is None or (label == "Version" and value == ""):
                continue
            problem = check_relative_path(value)
            if problem:
                raise _bad(where, f"{label} {prop} {value[:120]!r} cannot be under a publish "
                           f"root: {problem}")
