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
from legos.batch_write import ChunkFailed, write_chunk
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
)
from legos.publish_inputs import prime, read_versions, remembered
from legos.store.base import Transaction
from legos.uri import AssetURI, parse_reference

if TYPE_CHECKING:
    from legos.api import Legos
    from legos.hooks import PublishRequest

CHUNK = 256  # versions per write transaction


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
    job: Job | None = None
    answer: dict[str, Any] = field(default_factory=dict)


def publish_many(lg: Legos, items: Iterable[PublishItem], *, chunk: int = CHUNK,
                 progress: Callable[[int, int], None] | None = None) -> list[ItemResult]:
    """Publish every item in order, `chunk` versions per write transaction; one result per
    item, in order. Raises only what stops every item (a read-only store, a root refused);
    a store lost for good fails the items not yet committed, each saying so."""
    lg.store.check_writable("publish")
    items = list(items)
    if not items:
        return []
    root = lg.claim_root()
    results = [ItemResult(item) for item in items]
    inputs: dict[int, tuple[list[Input], list[Input]]] = {}
    for index, item in enumerate(items):  # each URI parsed once, not at every step
        try:
            inputs[index] = ([_parsed(d) for d in item.dependencies],
                             [_parsed(m) for m in item.members])
        except LegosError as exc:
            results[index].error = exc
    with remembered():  # every input is looked up once, for the validators and the writes
        wanted = {(u.path, u.version): {"path": u.path, "number": u.version}
                  for deps, mems in inputs.values() for i in (*deps, *mems)
                  for u in [cast(AssetURI, i.uri)] if u.version is not None}
        if wanted:
            lg.store.read(lambda tx: prime(tx, list(wanted.values()), root))
        return _publish_all(lg, root, items, inputs, results, chunk, progress)


def _parsed(value: Input | tuple[str | None, str] | str) -> Input:
    from legos.api import _input

    given = _input(value)
    return Input(given.name, parse_reference(given.uri))


def _publish_all(lg: Legos, root: Path, items: list[PublishItem],
                 inputs: dict[int, tuple[list[Input], list[Input]]], results: list[ItemResult],
                 chunk: int, progress: Callable[[int, int], None] | None) -> list[ItemResult]:
    from legos import hooks

    prepared: list[_Prepared] = []
    for index, item in enumerate(items):
        if index not in inputs:
            continue
        deps, mems = inputs[index]
        try:
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
        except LegosError as exc:
            results[index].error = exc
            continue
        prepared.append(_Prepared(index, item, request, deps, mems, checked))
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
            hooks.announce(result.version, p.request)
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
        while pending:
            try:
                written = _write_chunk(lg, pending)
            except ChunkFailed as failed:  # rolled back: set the failed ones aside, again
                _restore(pending)
                for position, error in failed.errors.items():
                    results[pending[position].index].error = error
                pending = [p for i, p in enumerate(pending) if i not in failed.errors]
                continue
            except BaseException:
                _restore_uncommitted(lg, pending)
                raise
            _answer(lg, root, pending[:written], results)
            pending = pending[written:]


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


def _write_chunk(lg: Legos, pending: list[_Prepared]) -> int:
    """One write transaction for the first versions of `pending` (all, unless one must see an
    earlier one first: legos.batch_write); returns how many, their answers in `p.answer`."""
    from legos.projects.templates import publish_template_for

    jobs = [p.job for p in pending if p.job is not None]
    numbers = [p.item.number for p in pending]

    def work(tx: Transaction) -> tuple[list[dict[str, Any]], int]:
        # a transaction commits whole: if one of its versions exists, this is a retry of an
        # attempt whose commit went through though its answer was lost
        done = {row["uid"]: row for row in tx.query("versions/get", uids=[j.uid for j in jobs])}
        if done:
            return _committed(tx, jobs, done)
        for job in jobs:  # every attempt starts from the staged state
            job.placement.restore()
        templates: dict[tuple[str, str], str] = {}
        for job in jobs:  # the project's own template, else the store's
            key = (job.project, job.asset)
            if key not in templates:
                templates[key] = publish_template_for(tx, job.project, job.asset, lg.template)
            job.template = templates[key]
        return write_chunk(tx, jobs, numbers)

    answers, written = cast(tuple[list[dict[str, Any]], int],
                            _write_with_retries(lg.store, work))
    for p, answer in zip(pending[:written], answers, strict=True):
        p.answer = answer
    return written


def _committed(tx: Transaction, jobs: list[Job],
               done: dict[str, dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """The answers of a transaction that committed though its answer was lost: the jobs up
    to the last one written (those not written in between were unchanged: their latest)."""
    written = max(i for i, j in enumerate(jobs) if j.uid in done) + 1
    answers = []
    for job in jobs[:written]:
        if job.uid in done:
            answers.append({"uid": job.uid, "number": done[job.uid]["number"], "skipped": False})
        else:
            latest = tx.query("publish/latest_content", path=f"{job.project}/{job.asset}")[0]
            answers.append({"uid": latest["uid"], "number": latest["number"], "skipped": True})
    return answers, written


def _answer(lg: Legos, root: Path, pending: list[_Prepared], results: list[ItemResult]) -> None:
    versions: dict[str, Version] = {p.answer["uid"]: p.answer["version"] for p in pending
                                    if "version" in p.answer}  # what was written
    uids = list(dict.fromkeys(p.answer["uid"] for p in pending if p.answer["uid"] not in versions))
    for attempt in range(3):  # committed: answer it, server gone for a moment or not
        try:
            if uids:  # unchanged ones (skip_unchanged), and answers of a lost commit
                versions.update(lg.store.read(lambda tx: read_versions(tx, uids, root)))
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
