"""Publishing many versions in few transactions: `Legos.publish_many` (a project's ingest).

Each version keeps every guarantee of `Legos.publish`, and is published or not on its own:

- all-or-nothing per version: a version that fails (a missing input, a kind mismatch, a
  folder collision, a refused validation, a number other than the one asked for) is left out
  with its error, and nothing of it remains; the others are published. Versions go to the
  store in chunks, one write transaction each: when one fails inside the transaction, the
  transaction rolls back, that version is set aside and the chunk is written again without
  it (so a chunk commits whole, and a failure costs one more transaction, not a half-write).
- in order: an item may depend on (or hold as a member) a version published by an earlier
  item of the same batch, named by its number; when that earlier item fails, so does it.
- numbers stay gap-free and unique per asset under concurrent publishes: each version takes
  its number under its asset's lock, as a single publish does (on Neo4j the locks of a chunk's
  assets are held until its commit, so a concurrent publish of one of them waits for it).
- durability: the files of a chunk are copied without a sync each, then synced together
  (one `syncfs` of the publish root's file system on Linux, else one fsync per file) before
  the transaction that makes them versions; nothing is renamed into place before that.

The pre-copy input check of a single publish is not made (an input may be an earlier item of
the batch): a misnamed input costs the copy of that version's files, then fails it.
"""

from __future__ import annotations

import ctypes
import os
import sys
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from legos import files as filestore, staging
from legos.catalog import versions_by_uid
from legos.errors import (
    LegosError,
    PublishConflictError,
    PublishFileError,
    StoreUnavailableError,
)
from legos.model import Version
from legos.model.representation import THUMBNAIL_NAME
from legos.publish import (
    Input,
    Job,
    _Placement,
    _write_with_retries,
    check_arguments,
    content_hash,
    write_version,
)
from legos.store.base import Transaction

if TYPE_CHECKING:
    from legos.api import Legos
    from legos.hooks import PublishRequest

CHUNK = 256  # versions per write transaction
_FAILURES_PER_CHUNK = 16  # beyond this many failures in one chunk, its rest go one by one


@dataclass(frozen=True)
class PublishItem:
    """One version of a batch: the arguments of `Legos.publish`, plus `number`: when given,
    the version must get exactly that number, or it fails (an ingest that maps source
    versions to store numbers says so; a concurrent publish that took the number fails it)."""

    project: str
    asset: str
    kind: str
    files: Sequence[str | os.PathLike[str]] = ()
    dependencies: Sequence[Input | tuple[str | None, str] | str] = ()
    members: Sequence[Input | tuple[str | None, str] | str] = ()
    comment: str = ""
    user: str | None = None
    status: str = "published"
    allow_empty: bool = False
    skip_unchanged: bool = False
    entry: str | None = None
    thumbnail: str | os.PathLike[str] | None = None
    facts: Mapping[str, Mapping[str, Any]] | None = None
    provenance: Mapping[str, Any] | None = None
    meta: Mapping[str, Any] | None = None
    number: int | None = None


@dataclass
class ItemResult:
    """What became of one item: its version, or the error that left it out."""

    item: PublishItem
    version: Version | None = None
    error: LegosError | None = None
    skipped: bool = False  # skip_unchanged found the latest version the same: nothing made

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class _Prepared:
    index: int
    item: PublishItem
    request: PublishRequest
    dependencies: list[Input]
    members: list[Input]
    checked: Any
    latest_before: int = 0
    job: Job | None = None
    answer: dict[str, Any] = field(default_factory=dict)


class NumberTakenError(LegosError):
    """The version would get another number than the item asked for."""


class _ItemFailed(Exception):
    """Raised out of a chunk's transaction (rolling it back) naming the item that failed."""

    def __init__(self, prepared: _Prepared, error: LegosError) -> None:
        super().__init__(str(error))
        self.prepared, self.error = prepared, error


def publish_many(lg: Legos, items: Iterable[PublishItem], *, chunk: int = CHUNK,
                 progress: Callable[[int, int], None] | None = None) -> list[ItemResult]:
    """Publish every item in order, `chunk` versions per write transaction; one result per
    item, in order. Raises only what stops every item (a read-only store, a root refused);
    a store lost for good fails the items not yet committed, each saying so."""
    from legos import hooks
    from legos.api import _input

    lg.store.check_writable("publish")
    items = list(items)
    results = [ItemResult(item) for item in items]
    if not items:
        return results
    root = lg.claim_root()
    prepared: list[_Prepared] = []
    for index, item in enumerate(items):
        try:
            deps = [_input(d) for d in item.dependencies]
            mems = [_input(m) for m in item.members]
            request = hooks.check_publish(
                lg, item.project, item.asset, kind=item.kind, files=list(item.files),
                dependencies=deps, members=mems, comment=item.comment, user=item.user,
                status=item.status, entry=item.entry, thumbnail=item.thumbnail,
                facts=item.facts, provenance=item.provenance, meta=item.meta)
            checked = check_arguments(
                project=item.project, asset=item.asset, kind=item.kind, files=item.files,
                members=mems, status=item.status, user=item.user,
                allow_empty=item.allow_empty, entry=item.entry, thumbnail=item.thumbnail,
                facts=item.facts, provenance=item.provenance, meta=item.meta)
            latest = hooks.latest_number(lg, item.project, item.asset) \
                if item.skip_unchanged else 0
        except LegosError as exc:
            results[index].error = exc
            continue
        prepared.append(_Prepared(index, item, request, deps, mems, checked, latest))
    staging.sweep_dead(root)
    done = len(items) - len(prepared)
    for start in range(0, len(prepared), chunk):
        part = prepared[start:start + chunk]
        try:
            _publish_chunk(lg, root, part, results)
        except (StoreUnavailableError, PublishConflictError) as exc:
            for p in prepared[start:]:
                if results[p.index].version is None:
                    results[p.index].error = exc
            break
        done += len(part)
        if progress is not None:
            progress(done, len(items))
    for p in prepared:
        result = results[p.index]
        if result.version is not None and not result.skipped:
            hooks.announce(result.version, p.request, p.latest_before)
    return results


def _publish_chunk(lg: Legos, root: Path, part: list[_Prepared],
                   results: list[ItemResult]) -> None:
    """Stage, sync and write one chunk; fill in the results of its items."""
    with staging.StagingArea(root) as area:
        pending: list[_Prepared] = []
        for p in part:
            try:
                p.job = _stage(lg, root, area, p)
            except (LegosError, OSError) as exc:
                results[p.index].error = exc if isinstance(exc, LegosError) else \
                    PublishFileError(f"cannot stage the files of legos:/{p.item.project}/"
                                     f"{p.item.asset}: {exc}")
                continue
            pending.append(p)
        try:
            _sync(area.folder, [p.job for p in pending if p.job is not None])
        except PublishFileError as exc:
            for p in pending:
                results[p.index].error = exc
            return
        failures = 0
        while pending:
            if failures >= _FAILURES_PER_CHUNK and len(pending) > 1:
                rest, pending = pending[1:], pending[:1]  # many failures: one at a time
            else:
                rest = []
            try:
                _write_chunk(lg, pending)
            except _ItemFailed as failed:
                _restore(pending)
                results[failed.prepared.index].error = failed.error
                pending = [p for p in pending if p is not failed.prepared] + rest
                failures += 1
                continue
            except BaseException:
                _restore_uncommitted(lg, pending)
                raise
            _answer(lg, root, pending, results)
            pending = rest


def _stage(lg: Legos, root: Path, area: staging.StagingArea, p: _Prepared) -> Job:
    folder = area.folder / str(p.index)
    staged = filestore.stage(p.checked.sources, folder, None, root, sync=False)
    chash = content_hash([s for s in staged if s.name != THUMBNAIL_NAME])
    item = p.item
    return Job(project=item.project, asset=item.asset, kind=item.kind, template=lg.template,
               root=root, uid=uuid.uuid4().hex, content_hash=chash, staged=staged,
               dependencies=p.dependencies, members=p.members, status=p.checked.status,
               comment=item.comment, user=p.checked.user, entry=p.checked.entry or "",
               provenance=p.checked.provenance, meta=p.checked.meta, facts=p.checked.facts,
               skip_unchanged=item.skip_unchanged, placement=_Placement(folder, root, area))


def _write_chunk(lg: Legos, pending: list[_Prepared]) -> None:
    from legos.projects.templates import publish_template_for

    jobs = [p.job for p in pending if p.job is not None]
    templates: dict[tuple[str, str], str] = {}

    def work(tx: Transaction) -> list[dict[str, Any]]:
        # a chunk commits whole: if one of its versions exists, this is a retry of an attempt
        # whose commit went through though its answer was lost
        # (only skip_unchanged items, which made nothing, are then decided again)
        done = {row["uid"]: row for row in tx.query("versions/get", uids=[j.uid for j in jobs])}
        for staged_job in jobs:  # every attempt starts from the staged state
            if staged_job.uid not in done:
                staged_job.placement.restore()
        answers: list[dict[str, Any]] = []
        for p in pending:
            job = p.job
            assert job is not None
            if job.uid in done:
                answers.append({"uid": job.uid, "number": done[job.uid]["number"],
                                "skipped": False})
                continue
            try:
                key = (job.project, job.asset)
                if key not in templates:  # the project's own template, else the store's
                    templates[key] = publish_template_for(tx, job.project, job.asset,
                                                          lg.template)
                job.template = templates[key]
                answer = write_version(tx, job)
                wanted = p.item.number
                if wanted is not None and answer["number"] != wanted and not answer["skipped"]:
                    raise NumberTakenError(
                        f"legos:/{job.project}/{job.asset} would get version "
                        f"{answer['number']}, not {wanted}: another publish took the number "
                        "(or an earlier one failed); nothing of it was published")
            except LegosError as exc:
                raise _ItemFailed(p, exc) from exc
            answers.append(answer)
        return answers

    written_all = cast(list[dict[str, Any]], _write_with_retries(lg.store, work))
    for p, written in zip(pending, written_all, strict=True):
        p.answer = written


def _answer(lg: Legos, root: Path, pending: list[_Prepared], results: list[ItemResult]) -> None:
    uids = list(dict.fromkeys(p.answer["uid"] for p in pending))
    versions: dict[str, Version] = {}
    for attempt in range(3):  # committed: answer it, server gone for a moment or not
        try:
            versions = lg.store.read(lambda tx: versions_by_uid(tx, uids, root)) if uids else {}
            break
        except StoreUnavailableError:
            if attempt == 2:
                raise
    for p in pending:
        result = results[p.index]
        result.version = versions.get(p.answer["uid"])
        result.skipped = bool(p.answer["skipped"])


def _restore(pending: list[_Prepared]) -> None:
    for p in pending:
        if p.job is not None:
            p.job.placement.restore()


def _restore_uncommitted(lg: Legos, pending: list[_Prepared]) -> None:
    """After a chunk's transaction failed for good: put back the folders of versions that do
    not exist (a chunk commits whole, so one that exists means all do)."""
    jobs = [p.job for p in pending if p.job is not None]
    try:
        exists = bool(lg.store.read(lambda tx: tx.query("versions/get",
                                                        uids=[j.uid for j in jobs])))
    except Exception:
        return  # cannot tell: leave the files rather than orphan a committed version
    if not exists:
        _restore(pending)


def _sync(folder: Path, jobs: list[Job]) -> None:
    """Make the staged copies durable before their commit: one syncfs of the file system on
    Linux (a chunk's small files cost one journal commit, not one each), else fsync each."""
    if not jobs:
        return
    if sys.platform.startswith("linux") and _syncfs(folder):
        return
    for job in jobs:
        for staged in job.staged:
            _fsync(job.placement.staging / staged.name)


def _syncfs(folder: Path) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        syncfs = libc.syncfs
    except (OSError, AttributeError):
        return False
    fd = os.open(folder, os.O_RDONLY)
    try:
        if syncfs(fd) != 0:  # an I/O error while writing back (Linux 5.8+ reports it)
            err = ctypes.get_errno()
            raise PublishFileError(
                f"cannot write the files of a batch to {folder}: {os.strerror(err)}; nothing "
                "of this chunk was published")
    finally:
        os.close(fd)
    return True


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
