"""`legos export`: a consistent snapshot of the graph (one read transaction), optionally one
project's part of it and the published files, written as a legos archive (docs/archive-format.md).

On the embedded store the read holds the shared lock, so it is a true snapshot (publishes wait
for it). Neo4j reads at read-committed isolation, so a write may commit between two tables'
reads: the snapshot is then cut back to what is whole (see `consistent_cut`).
"""

from __future__ import annotations

import io
import json
import logging
import os
import tarfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from legos import folders, kept
from legos.errors import ConflictError, PublishFileError
from legos.operations import archive_tables as tables
from legos.operations.archive_tables import Props, RelKey, Snapshot
from legos.store.base import GraphStore, Transaction

log = logging.getLogger("legos")

FORMAT = "legos.archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FILES_PREFIX = "files/"

# Reading order: a node is read after the nodes it hangs off (an asset before its versions),
# and relationships after every node, so on Neo4j what a late commit adds is recognisable.
_ORDER = ("Project", "User", "Tag", "Asset", "Version", "Representation", "Metadata",
          "Revision", "PinSet", "ProjectLoad", "Entry", "Change")
# The edge every node of a label has from the moment it is written (same transaction).
_REQUIRED = {"Asset": ("IN_PROJECT", "out"), "Version": ("VERSION_OF", "out"),
             "Representation": ("HAS_REPRESENTATION", "in"), "Revision": ("SUBMITS", "out"),
             "Change": ("CHANGE_OF", "out"), "Metadata": ("HAS_METADATA", "in"),
             "ProjectLoad": ("LOAD_OF", "out"), "Entry": ("ENTRY_OF", "out")}


def node_file(label: str) -> str:
    return f"nodes/{label}.jsonl"


def rel_file(table: RelKey) -> str:
    rel, source, target = table
    return f"relationships/{rel}/{source}-{target}.jsonl"


# -- reading ---------------------------------------------------------------------------------

def _ordered_labels() -> list[str]:
    labels = tables.node_labels()
    return [x for x in _ORDER if x in labels] + [x for x in labels if x not in _ORDER]


def read_snapshot(store: GraphStore) -> Snapshot:
    """The whole graph, read in one read transaction."""
    current = tables.schema()

    def work(tx: Transaction) -> Snapshot:
        snap = Snapshot(schema_version=current.version, meta=tables.read_meta(tx))
        for label in _ordered_labels():
            snap.nodes[label] = tables.read_nodes(tx, label)
        for table in tables.rel_tables(current):
            snap.rels[table] = tables.read_rels(tx, table)
        return snap

    snap = store.read(work)
    stored = snap.meta.get("schema_version")
    if stored is not None:
        snap.schema_version = int(stored)
    if store.dialect == "neo4j":
        dropped = consistent_cut(snap)
        if dropped:
            log.info("legos: export: %d nodes and edges written while it read were left out",
                     dropped)
        # read committed: an asset's counts may have been read before or after a publish
        # that its cut keeps or drops; recomputed from the versions and edges kept
        kept.fill_snapshot(snap)
    return snap


def consistent_cut(snap: Snapshot) -> int:
    """Cut a read-committed snapshot back to whole publishes: edges whose ends were not read,
    versions numbered past their asset's counter as read, and nodes that lost the edge they
    are written with go; repeated until nothing changes. Returns how many rows went."""
    current = tables.schema()
    dropped = 0
    assets = {a["path"]: a for a in snap.nodes.get("Asset", [])}
    versions: list[Props] = snap.nodes.get("Version", [])
    kept = [v for v in versions
            if (a := assets.get(f"{v.get('project')}/{v.get('asset')}")) is not None
            and v.get("number", 0) <= a.get("version_count", 0)]
    dropped += len(versions) - len(kept)
    snap.nodes["Version"] = kept
    while True:
        keys = {label: tables.keys_of(rows, current.nodes[label].key)
                for label, rows in snap.nodes.items()}
        before = dropped
        for table, rel_rows in snap.rels.items():
            _, source, target = table
            whole = [r for r in rel_rows
                     if r[0] in keys.get(source, ()) and r[1] in keys.get(target, ())]
            dropped += len(rel_rows) - len(whole)
            snap.rels[table] = whole
        for label, (rel, direction) in _REQUIRED.items():
            if label not in snap.nodes:
                continue
            ends = {r[0] if direction == "out" else r[1]
                    for (name, s, t), rows in snap.rels.items() if name == rel
                    and (s if direction == "out" else t) == label for r in rows}
            key = current.nodes[label].key
            rows = snap.nodes[label]
            whole_nodes = [n for n in rows if n[key] in ends]
            dropped += len(rows) - len(whole_nodes)
            snap.nodes[label] = whole_nodes
        if dropped == before:
            # read last, the Folder index may hold versions committed after the Version read
            folders.with_index(snap.nodes)
            return dropped


# -- one project's part ----------------------------------------------------------------------

def select_projects(snap: Snapshot, projects: Iterable[str]) -> Snapshot:
    """The part of the graph that belongs to `projects` (docs/archive-format.md): their
    projects, loads, entries, assets and versions; the versions' files, revisions, users and
    tags; the metadata and changes of all of those; and the pin sets that pin only their
    versions (and include only such pin sets). A dependency or member in another project is
    refused: the archive would hold an edge to a version it lacks."""
    wanted = set(projects)
    current = tables.schema()
    have = {p["code"] for p in snap.nodes.get("Project", [])}
    missing = sorted(wanted - have)
    if missing:
        from legos.errors import NotFoundError

        raise NotFoundError(f"there is no project {missing[0]!r} in the store: `legos ls` lists "
                            "the projects")

    def rows(rel: str) -> Iterable[tuple[str, str, str, str, Props]]:
        for (name, s, t), items in snap.rels.items():
            if name == rel:
                for a, b, props in items:
                    yield s, a, t, b, props

    keep: dict[str, set[str]] = {label: set() for label in snap.nodes}
    by_project = {"Project": "code", "ProjectLoad": "project", "Entry": "project",
                  "Asset": "project", "Version": "project"}
    for label, prop in by_project.items():
        keep[label] = {n[current.nodes[label].key] for n in snap.nodes.get(label, [])
                       if n.get(prop) in wanted}
    outside: dict[str, str] = {}
    version_project = {v["uid"]: v.get("project") for v in snap.nodes.get("Version", [])}
    for rel in ("DEPENDS_ON", "CONTAINS"):
        for _, a, _, b, _ in rows(rel):
            if a in keep["Version"] and b not in keep["Version"]:
                outside.setdefault(str(version_project.get(b)), a)
    if outside:
        names = sorted(outside)
        raise ConflictError(
            f"versions of {', '.join(sorted(wanted))} use versions of {', '.join(names)} "
            f"(e.g. version {outside[names[0]]}): export those projects too (--project "
            f"{' --project '.join(sorted(wanted | set(names)))}) or the whole store")

    def follow(rel: str, from_label: str, to_label: str, reverse: bool = False) -> None:
        for s, a, t, b, _ in rows(rel):
            if reverse and t == from_label and s == to_label and b in keep[from_label]:
                keep[to_label].add(a)
            elif not reverse and s == from_label and t == to_label and a in keep[from_label]:
                keep[to_label].add(b)

    follow("HAS_REPRESENTATION", "Version", "Representation")
    follow("SUBMITS", "Version", "Revision", reverse=True)
    for owner in ("Version", "Revision"):
        follow("CREATED_BY", owner, "User")
    for owner in ("Version", "Asset"):
        follow("TAGGED", owner, "Tag")
        follow("HAS_METADATA", owner, "Metadata")
    for owner in ("Version", "Revision", "Asset"):
        follow("CHANGE_OF", owner, "Change", reverse=True)
    _keep_pin_sets(snap, keep)
    keyed = {label: current.nodes[label].key for label in snap.nodes}
    out = Snapshot(schema_version=snap.schema_version, meta=dict(snap.meta))
    for label, items in snap.nodes.items():
        out.nodes[label] = [n for n in items if n[keyed[label]] in keep[label]]
    for table, rel_items in snap.rels.items():
        _, s, t = table
        out.rels[table] = [r for r in rel_items
                           if r[0] in keep.get(s, ()) and r[1] in keep.get(t, ())]
    folders.with_index(out.nodes)  # the Folder index of the kept versions (as import makes it)
    kept.fill_snapshot(out)  # fan-in counts without the users left out
    return out


def _keep_pin_sets(snap: Snapshot, keep: dict[str, set[str]]) -> None:
    pins: dict[str, set[str]] = {}
    includes: dict[str, set[str]] = {}
    for (name, _s, _t), items in snap.rels.items():
        if name == "PINS":
            for a, b, _ in items:
                pins.setdefault(a, set()).add(b)
        elif name == "INCLUDES":
            for a, b, _ in items:
                includes.setdefault(a, set()).add(b)
    chosen = {uid for uid, versions in pins.items() if versions <= keep["Version"]}
    while True:  # a pin set whose included pin set is left out goes too
        smaller = {uid for uid in chosen if includes.get(uid, set()) <= chosen}
        if smaller == chosen:
            break
        chosen = smaller
    keep["PinSet"] = chosen


# -- writing ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExportReport:
    path: Path
    digest: str
    nodes: int
    relationships: int
    files: int
    bytes: int
    seconds: float


def _jsonl(rows: Iterable[object]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n"
                   for r in rows).encode("utf-8")


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes, when: float) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(when)
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(data))


def manifest_for(snap: Snapshot, *, projects: list[str] | None, with_files: bool,
                 backend: str, digest: str) -> dict[str, object]:
    from legos import __version__

    entries: list[dict[str, object]] = []
    for label, rows in snap.nodes.items():
        entries.append({"kind": "nodes", "label": label, "file": node_file(label),
                        "rows": len(rows)})
    for table, rel_rows in snap.rels.items():
        entries.append({"kind": "relationships", "type": table[0], "from": table[1],
                        "to": table[2], "file": rel_file(table), "rows": len(rel_rows)})
    return {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "schema_version": snap.schema_version, "legos_version": __version__,
        "created_at": tables.format_timestamp(datetime.now(timezone.utc)),
        "source_backend": backend, "projects": projects, "with_files": with_files,
        "digest": digest, "meta": dict(sorted(snap.meta.items())), "tables": entries,
    }


def write_archive(snap: Snapshot, output: Path, *, projects: list[str] | None = None,
                  root: Path | None = None, backend: str = "unknown") -> ExportReport:
    """Write `snap` (and, given the publish `root`, every file its representations name) as an
    archive at `output`: a `.tar`, gzipped when the name ends in `.gz` or `.tgz`. It is written
    beside and renamed into place, so `output` is never a half archive."""
    started = time.perf_counter()
    digest = tables.digest(snap)
    manifest = manifest_for(snap, projects=projects, with_files=root is not None,
                            backend=backend, digest=digest)
    partial = output.with_name(f".{output.name}.{os.getpid()}.partial")
    now = time.time()
    files = size = 0
    try:
        gzip = output.name.endswith((".gz", ".tgz"))
        with (tarfile.open(partial, "w:gz", format=tarfile.PAX_FORMAT) if gzip else
              tarfile.open(partial, "w", format=tarfile.PAX_FORMAT)) as archive:
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1,
                                                     ensure_ascii=False).encode(), now)
            for label, rows in snap.nodes.items():
                _add_bytes(archive, node_file(label),
                           _jsonl(tables.to_json_props(r) for r in rows), now)
            for table, rel_rows in snap.rels.items():
                _add_bytes(archive, rel_file(table), _jsonl(
                    {"from": s, "to": t, **({"properties": tables.to_json_props(p)} if p else {})}
                    for s, t, p in rel_rows), now)
            if root is not None:
                files, size = _add_files(archive, snap, root)
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    nodes = sum(len(r) for r in snap.nodes.values())
    rels = sum(len(r) for r in snap.rels.values())
    return ExportReport(output, digest, nodes, rels, files, size,
                        time.perf_counter() - started)


def _add_files(archive: tarfile.TarFile, snap: Snapshot, root: Path) -> tuple[int, int]:
    count = total = 0
    seen: set[str] = set()
    for rep in sorted(snap.nodes.get("Representation", []), key=lambda r: str(r.get("path"))):
        rel = rep.get("path")
        if not rel or rel in seen:
            continue
        seen.add(rel)
        path = root / rel
        try:
            info = archive.gettarinfo(str(path), arcname=FILES_PREFIX + rel)
            if not info.isfile():
                raise OSError(f"{path} is not a regular file")
            info.mode = 0o444
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            with open(path, "rb") as handle:
                archive.addfile(info, handle)
        except OSError as exc:
            raise PublishFileError(
                f"cannot export {path}, a published file ({exc.strerror or exc}): restore it "
                "(`legos verify` lists what is missing) or export without --with-files") from None
        count += 1
        total += info.size
    return count, total


def export(store: GraphStore, output: str | os.PathLike[str], *,
           projects: Iterable[str] | None = None, root: Path | None = None) -> ExportReport:
    """Export the store (or the named projects) to `output`; with `root`, the files too."""
    from legos.store.connect import BACKEND_NAMES

    chosen = sorted(set(projects)) if projects else None
    snap = read_snapshot(store)
    if chosen:
        snap = select_projects(snap, chosen)
    return write_archive(snap, Path(output), projects=chosen, root=root,
                         backend=BACKEND_NAMES.get(store.dialect, store.dialect))


def store_digest(store: GraphStore, projects: Iterable[str] | None = None) -> str:
    """`legos digest`: the canonical hash of the store's content (or the named projects')."""
    snap = read_snapshot(store)
    chosen = sorted(set(projects)) if projects else None
    if chosen:
        snap = select_projects(snap, chosen)
    return tables.digest(snap)
