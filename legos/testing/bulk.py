"""Bulk-loading a synthetic graph into a store, node for node what publishing would have written.

Batched `UNWIND $rows` writes through the cypher/bulk/ modules, a few thousand rows per
transaction, on either backend; the ordinary API (dependencies, history, select...) then works
on the result. Meant for benchmarks and tests: it creates, and refuses stores holding its assets.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from legos import folders, kept
from legos.errors import ConflictError, StoreError
from legos.layout import DEFAULT_TEMPLATE, relative_folder
from legos.operations.archive_tables import count_content_nodes
from legos.store.base import GraphStore, Row, Transaction
from legos.testing.synthetic import CONTAINS, DEPENDS_ON, SynthGraph

DEFAULT_BATCH = 5000


@dataclass
class LoadReport:
    """What a bulk load wrote (rows per step) and how long each step took."""

    backend: str
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def _write_batch(module: str, rows: list[dict[str, Any]], tx: Transaction) -> list[Row]:
    return tx.query(module, rows=rows)


def _batches(rows: Sequence[dict[str, Any]], size: int) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def steps(graph: SynthGraph) -> list[tuple[str, list[dict[str, Any]]]]:
    """The load in dependency order: (query module under bulk/, its rows)."""
    return [
        ("projects", [{"code": p.code, "created_at": p.created_at} for p in graph.projects]),
        ("users", [{"name": u.name, "created_at": u.created_at} for u in graph.users]),
        ("assets", [{"uid": a.uid, "path": a.path, "project": a.project, "name": a.name,
                     "kind": a.kind, "created_at": a.created_at, "created_by": a.created_by,
                     "version_count": a.version_count, "folded": a.path.lower()}
                    for a in graph.assets]),
        ("versions", [{"uid": v.uid, "asset_uid": v.asset_uid, "key": v.key,
                       "project": v.project, "asset": v.asset, "kind": v.kind,
                       "number": v.number, "status": v.status, "content_hash": v.content_hash,
                       "comment": v.comment, "created_by": v.created_by,
                       "created_at": v.created_at,
                       "folder": relative_folder(DEFAULT_TEMPLATE, v.project, v.asset, v.kind,
                                                 v.number)} for v in graph.versions]),
        ("representations", [{"uid": r.uid, "version_uid": r.version_uid, "name": r.name,
                              "path": r.path, "format": r.format, "size": r.size,
                              "sha256": r.sha256} for r in graph.representations]),
        ("dependencies", [{"source": e.source, "target": e.target, "role": e.name}
                          for e in graph.edges if e.type == DEPENDS_ON]),
        ("members", [{"source": e.source, "target": e.target, "slot": e.name}
                     for e in graph.edges if e.type == CONTAINS]),
    ]


def _load_empty(store: GraphStore, graph: SynthGraph) -> LoadReport:
    """An empty store takes the import's bulk path (legos.operations.archive_import: COPY on
    LadybugDB, keyed UNWIND batches on Neo4j). The batched writes below slow down as the
    store grows: on LadybugDB each `UNWIND $rows MATCH (v {uid: r.x})` batch joins against
    the whole table (and assets are matched by uid, not their key), so the load is quadratic."""
    from legos.operations.archive_import import load_snapshot
    from legos.testing.archive import synthetic_snapshot

    started = time.perf_counter()
    snap = synthetic_snapshot(graph)
    snap.meta.clear()  # the store keeps its own settings
    report = LoadReport(backend=store.dialect)
    load_snapshot(store, snap)
    report.seconds = {"total": time.perf_counter() - started}
    counts = graph.counts()
    report.rows = {"projects": counts["Project"], "users": counts["User"],
                   "assets": counts["Asset"], "versions": counts["Version"],
                   "representations": counts["Representation"],
                   "dependencies": counts[DEPENDS_ON], "members": counts[CONTAINS]}
    return report


def bulk_load(store: GraphStore, graph: SynthGraph, *, batch_size: int = DEFAULT_BATCH,
              progress: Callable[[str, int, int], None] | None = None) -> LoadReport:
    """Write `graph` into `store` (whose schema is in place, as `open_store` leaves it); an
    empty store takes the bulk path of `legos import`.

    `progress(step, done, total)` is called after each batch. Raises ConflictError when the
    store already holds one of the graph's assets, StoreError when a batch writes fewer rows
    than it was given (a missing endpoint).
    """
    if store.read(count_content_nodes) == 0:
        return _load_empty(store, graph)
    existing = [row["path"] for batch in _batches([{"p": a.path} for a in graph.assets], 20000)
                for row in store.query("bulk/existing_assets", paths=[r["p"] for r in batch])]
    if existing:
        raise ConflictError(
            f"the store at {store.location} already holds {', '.join(existing[:3])}...: "
            "bulk-load into an empty store (store.wipe() for a test store)")
    report = LoadReport(backend=store.dialect)
    for step, rows in steps(graph):
        started = time.perf_counter()
        done = 0
        for batch in _batches(rows, batch_size):
            written = store.write(partial(_write_batch, f"bulk/{step}", list(batch)))
            count = written[0]["written"] if written else 0
            if count != len(batch):
                raise StoreError(
                    f"bulk load step {step!r} wrote {count} of {len(batch)} rows: an endpoint "
                    "it links to is missing")
            done += len(batch)
            if progress is not None:
                progress(step, done, len(rows))
        report.rows[step] = done
        report.seconds[step] = time.perf_counter() - started
    started = time.perf_counter()
    report.rows["folders"] = folders.fill(store)  # the publish's Folder index, as import makes it
    report.seconds["folders"] = time.perf_counter() - started
    started = time.perf_counter()
    kept.fill_store(store)  # what publish keeps: the whole store's, with what was there before
    report.seconds["kept"] = time.perf_counter() - started
    return report
