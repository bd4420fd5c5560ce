"""`legos import`: an archive (docs/archive-format.md) into an empty store of either backend,
through each backend's bulk path, then the files under the new publish root, then the schema
upgrade an older archive needs.

LadybugDB loads each table with `COPY ... FROM` a CSV file written here (one transaction for
the whole graph: a failure leaves the store empty). Neo4j takes batched `UNWIND` writes with
its constraints in place (a failure removes what was written). Either way the rows were checked
first (legos.operations.archive_read), so a bad archive writes nothing.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from legos.errors import ArchiveError, ConfigError, ConflictError, StoreError
from legos.operations import archive_tables as tables
from legos.operations.archive_read import Archive, open_archive
from legos.operations.archive_tables import Props, Snapshot
from legos.store.base import GraphStore, Transaction

log = logging.getLogger("legos")
NEO4J_BATCH = 10_000
_CHUNK = 1 << 20


@dataclass(frozen=True)
class ImportReport:
    store: str
    backend: str
    root: str
    nodes: int
    relationships: int
    files: int
    schema_version: int        # the archive's (the store is at this legos's after upgrading)
    upgraded: bool
    took_over_root: bool
    seconds: dict[str, float]


# -- the bulk paths ------------------------------------------------------------------------

def load_snapshot(store: GraphStore, snap: Snapshot) -> dict[str, float]:
    """Write every node and relationship of `snap` into `store`, which holds none yet.
    Returns seconds per phase."""
    from legos import folders

    folders.with_index(snap.nodes)  # the Folder index is rebuilt from the versions, not trusted
    if store.dialect == "ladybug":
        return _load_ladybug(store, snap)
    return _load_neo4j(store, snap)


def _csv_text(value: Any) -> str:
    # strings always quoted, null unquoted and empty: LadybugDB reads "" as the empty string
    # and an empty field as null, and a quoted newline once PARALLEL=false
    if value is None:
        return ""
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, float):
        return repr(value)
    return str(value)


_COPY_OPTIONS = ("HEADER=false, PARALLEL=false, AUTO_DETECT=false, DELIM=',', QUOTE='\"', "
                 "ESCAPE='\"'")


def _table_columns(tx: Transaction, name: str) -> list[str]:
    return [row["name"] for row in tx.run(f"CALL table_info('{name}') RETURN name")]


def _load_ladybug(store: GraphStore, snap: Snapshot) -> dict[str, float]:
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="legos-import-") as scratch:
        if "'" in scratch:
            raise ConfigError(f"the temporary folder {scratch} has a quote in its path: set "
                              "TMPDIR to a plain folder")

        def work(tx: Transaction) -> None:
            started = time.perf_counter()
            files: list[tuple[str, str]] = []
            for label, rows in snap.nodes.items():
                if not rows:
                    continue
                columns = _table_columns(tx, tables._checked(label))
                path = Path(scratch) / f"{label}.csv"
                with open(path, "w", encoding="utf-8", newline="") as out:
                    write = out.write
                    for row in rows:
                        write(",".join([_csv_text(row.get(c)) for c in columns]) + "\n")
                files.append((f"COPY {label} FROM '{path}' ({_COPY_OPTIONS})", label))
            for table, rel_rows in snap.rels.items():
                if not rel_rows:
                    continue
                rel, source, target = (tables._checked(x) for x in table)
                columns = _table_columns(tx, rel)
                path = Path(scratch) / f"{rel}.{source}.{target}.csv"
                with open(path, "w", encoding="utf-8", newline="") as out:
                    write = out.write
                    for start, end, props in rel_rows:
                        write(",".join([_csv_text(start), _csv_text(end),
                                        *[_csv_text(props.get(c)) for c in columns]]) + "\n")
                files.append((f"COPY {rel} FROM '{path}' (from='{source}', to='{target}', "
                              f"{_COPY_OPTIONS})", rel))
            seconds["write_csv"] = time.perf_counter() - started
            started = time.perf_counter()
            for statement, _name in files:
                tx.run(statement)
            seconds["copy"] = time.perf_counter() - started

        store.write(work)
    return seconds


def _batches(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _load_neo4j(store: GraphStore, snap: Snapshot, batch: int = NEO4J_BATCH) -> dict[str, float]:
    current = tables.schema()
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    for label, rows in snap.nodes.items():
        text = (f"UNWIND $rows AS r CREATE (n:{tables._checked(label)}) SET n = r "
                "RETURN count(*) AS written")
        for chunk in _batches(rows, batch):
            _write_batch(store, text, chunk, label)
    seconds["nodes"] = time.perf_counter() - started
    started = time.perf_counter()
    for table, rel_rows in snap.rels.items():
        rel, source, target = (tables._checked(x) for x in table)
        source_key = tables._checked(current.nodes[source].key)
        target_key = tables._checked(current.nodes[target].key)
        text = (f"UNWIND $rows AS r MATCH (a:{source} {{{source_key}: r.f}}) "
                f"MATCH (b:{target} {{{target_key}: r.t}}) CREATE (a)-[x:{rel}]->(b) SET x = r.p "
                "RETURN count(*) AS written")
        for chunk in _batches(rel_rows, batch):
            _write_batch(store, text, [{"f": s, "t": t, "p": p} for s, t, p in chunk],
                         f"{rel} {source}->{target}")
    seconds["relationships"] = time.perf_counter() - started
    return seconds


def _write_batch(store: GraphStore, text: str, rows: list[Any], what: str) -> None:
    written = store.write(lambda tx: tx.run(text, {"rows": rows}))
    count = written[0]["written"] if written else 0
    if count != len(rows):
        raise StoreError(f"the import wrote {count} of {len(rows)} {what} rows: the store "
                         "changed under it; import into an empty store nobody else uses")


def remove_content(store: GraphStore) -> None:
    """Delete every node but the store's settings, in batches (undoing a failed import)."""
    for label in tables.node_labels():
        text = (f"MATCH (n:{tables._checked(label)}) WITH n LIMIT 10000 DETACH DELETE n "
                "RETURN count(*) AS n")
        while _delete_some(store, text):
            pass


def _delete_some(store: GraphStore, text: str) -> int:
    return int(store.write(lambda tx: tx.run(text))[0]["n"])


# -- files ---------------------------------------------------------------------------------

def place_files(archive: Archive, root: Path, placed: list[Path]) -> int:
    """Every file the archive's representations name, under `root` at its recorded path,
    checked against its recorded size and sha256 and made read-only. A file already there is
    accepted only when it is the same (a restore onto the root it came from)."""
    from legos.files import freeze_folders

    count = 0
    seen: set[str] = set()
    for rep in archive.snapshot.nodes.get("Representation", []):
        rel = rep.get("path")
        if not rel or rel in seen:
            continue
        seen.add(rel)
        target = root / rel
        if target.exists() or target.is_symlink():
            if _same_file(target, rep):
                continue
            raise ConflictError(
                f"{target} is already there and is not the archived file: import into an "
                "empty publish root (--root)")
        _place(archive, rel, target, rep, placed)
        count += 1
    for version in archive.snapshot.nodes.get("Version", []):
        folder = version.get("folder")
        if folder and (root / folder).is_dir():
            freeze_folders(root / folder)
    return count


def _same_file(path: Path, rep: Props) -> bool:
    from legos.files import sha256_of

    try:
        return (path.is_file() and not path.is_symlink() and path.stat().st_size == rep.get("size")
                and sha256_of(path) == rep.get("sha256"))
    except OSError:
        return False


def _place(archive: Archive, rel: str, target: Path, rep: Props, placed: list[Path]) -> None:
    source = archive.file_member(rel)
    temp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.importing")
    digest, size = hashlib.sha256(), 0
    try:
        for parent in reversed(target.parents):
            if not parent.exists():
                parent.mkdir()
                placed.append(parent)
        with open(temp, "wb") as out:
            while chunk := source.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
    except (OSError, EOFError) as exc:
        temp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is not None:
            raise ConfigError(f"cannot write {target} under the publish root: "
                              f"{exc.strerror or exc}") from None
        raise ArchiveError(f"the archive {archive.path} is damaged at {rel} ({exc})") from None
    if size != rep.get("size") or digest.hexdigest() != rep.get("sha256"):
        temp.unlink(missing_ok=True)
        raise ArchiveError(f"the archive {archive.path} holds {rel} with size {size} and sha256 "
                           f"{digest.hexdigest()[:12]}..., not the recorded {rep.get('size')} "
                           f"and {str(rep.get('sha256'))[:12]}...: the archive is damaged")
    os.chmod(temp, 0o444)
    os.replace(temp, target)
    placed.append(target)


def _unplace(placed: list[Path]) -> None:
    for path in reversed(placed):
        try:
            if path.is_dir():
                os.chmod(path, 0o755)
                path.rmdir()
            else:
                path.unlink()
        except OSError:
            pass


# -- the whole import ----------------------------------------------------------------------

def _choose_root(store: GraphStore, given: str | os.PathLike[str] | None) -> Path:
    from legos.store.connect import is_neo4j_uri

    if given is not None:
        return Path(given).expanduser().resolve()
    recorded = store.get_meta("publish_root")
    if recorded:
        return Path(recorded)
    if is_neo4j_uri(store.location):
        raise ConfigError(f"importing into a Neo4j store needs a publish root: pass --root DIR "
                          f"(legos import ARCHIVE --store {store.location} --root /mnt/publish)")
    return Path(store.location) / "publish"


def _takes_over(root: Path, archive: Archive, own_id: str | None) -> bool:
    """Whether `root` is the publish root of the store the archive came from (its marker holds
    that store's root id): a restore, or a move to another backend keeping the files in place."""
    from legos.publish_root import _read_marker

    archived_id = archive.snapshot.meta.get("root_id")
    marker = _read_marker(root)
    if marker is None or marker.get("root_id") == own_id:  # nobody's yet, or the store's own
        return False
    if archived_id is not None and marker.get("root_id") == archived_id and not archive.projects:
        return True
    raise ConfigError(
        f"{root} is already the publish root of another legos store "
        f"({marker.get('store', 'unknown')}): import with --root pointing at a new folder"
        + (" (a --project archive never takes over a root)" if archive.projects and
           marker.get("root_id") == archived_id else ""))


def import_archive(archive_path: str | os.PathLike[str],
                   store: str | os.PathLike[str] | None = None,
                   root: str | os.PathLike[str] | None = None) -> ImportReport:
    """Import the archive into the store at `store` (created when missing; it must hold no
    nodes but its settings), its files (a --with-files archive) under `root`."""
    from legos.api import _remove_new_store
    from legos.store import open_store
    from legos.store.connect import is_neo4j_uri, resolve_location

    seconds: dict[str, float] = {}
    started = time.perf_counter()
    archive = open_archive(archive_path)
    seconds["read"] = time.perf_counter() - started
    try:
        location = resolve_location(store)
        folder = None if is_neo4j_uri(location) else Path(location).expanduser().resolve()
        before = None if folder is None or not folder.is_dir() else set(folder.iterdir())
        target = open_store(location, create=True)
        loading: list[bool] = []  # set once anything is written: only then is there to undo
        try:
            report = _into(target, archive, root, seconds, loading)
        except BaseException:
            created = target.created
            if loading and (not created or folder is None):  # a new embedded store goes whole
                try:
                    remove_content(target)
                except Exception:  # the first failure is the one to report
                    pass
            target.close()
            if created:
                _remove_new_store(location, folder, before)
            raise
        target.close()
        return report
    finally:
        archive.close()


def _into(store: GraphStore, archive: Archive, root_given: str | os.PathLike[str] | None,
          seconds: dict[str, float], loading: list[bool]) -> ImportReport:
    from legos.api import Legos
    from legos.store import migrations
    from legos.store.connect import BACKEND_NAMES

    snap = archive.snapshot
    held = store.read(tables.count_content_nodes)
    if held:
        raise ConflictError(
            f"the store at {store.location} already holds {held} nodes: import only into an "
            "empty store (a new --store, or one just made by `legos init`)")
    root = _choose_root(store, root_given)
    took_over = _takes_over(root, archive, store.get_meta("root_id"))
    started = time.perf_counter()
    loading.append(True)
    seconds.update(load_snapshot(store, snap))
    seconds["load"] = time.perf_counter() - started
    for key, value in snap.meta.items():
        if key not in tables.STORE_META_KEYS:
            store.set_meta(key, value)
    if took_over:
        store.set_meta("root_id", snap.meta["root_id"])
    from legos.publish_root import MARKER

    marked = (root / MARKER).exists()
    placed: list[Path] = []
    files = 0
    try:
        Legos(store).configure(root=root)
        if archive.with_files:
            started = time.perf_counter()
            files = place_files(archive, root, placed)
            seconds["files"] = time.perf_counter() - started
        current = tables.schema().version
        upgraded = snap.schema_version < current
        if upgraded:
            started = time.perf_counter()
            for step in migrations.steps_between(snap.schema_version, current, store.location):
                step(store)
            seconds["upgrade"] = time.perf_counter() - started
    except BaseException:
        _unplace(placed)
        if not marked:  # the marker named a store that is being undone
            (root / MARKER).unlink(missing_ok=True)
        raise
    return ImportReport(
        store=store.location, backend=BACKEND_NAMES.get(store.dialect, store.dialect),
        root=str(root), nodes=sum(len(r) for r in snap.nodes.values()),
        relationships=sum(len(r) for r in snap.rels.values()), files=files,
        schema_version=snap.schema_version, upgraded=upgraded, took_over_root=took_over,
        seconds={k: round(v, 3) for k, v in seconds.items()})

