"""The write of one batch chunk (legos.batch) as a few set-based queries, not ~30 per version.

It makes the decisions of `legos.publish.write_version` for every version of the chunk in
order (kind, inputs, repeats, number, folder), in memory over a few keyed or one-scan reads,
then writes them all at once. Any version that fails is reported with its error and nothing
is written (the caller rolls the transaction back and writes the chunk again without it).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from legos import folders, kept, metadata
from legos.catalog import _representation
from legos.errors import (
    InvalidNameError,
    KindMismatchError,
    LegosError,
    PublishFolderError,
    VersionNotFoundError,
)
from legos.layout import check_asset_name_fits, relative_folder
from legos.model import Version, VersionStatus, guess_format
from legos.model.representation import CONTENT, THUMBNAIL, THUMBNAIL_NAME
from legos.publish import Job, _resolve_inputs
from legos.publish_inputs import exact_versions
from legos.store.base import Transaction
from legos.uri import parse_reference


class NumberTakenError(LegosError):
    """A batch item would get another version number than the one it asked for."""


class ChunkFailed(Exception):
    """Versions of the chunk that cannot be written, with why; nothing was written for them
    (the transaction holds only reads and asset creations, and is to be rolled back)."""

    def __init__(self, errors: dict[int, LegosError]) -> None:
        super().__init__(f"{len(errors)} version(s) of the chunk failed")
        self.errors = errors  # by position in the chunk


@dataclass
class _Planned:
    position: int
    job: Job
    number: int
    folder: str
    deps: list[dict[str, str]]
    mems: list[dict[str, str]]


def write_chunk(tx: Transaction, jobs: Sequence[Job],
                numbers: Sequence[int | None]) -> tuple[list[dict[str, Any]], int]:
    """Write the versions of `jobs` (in order) in `tx`: the answers ({uid, number, skipped})
    of the first `n` jobs, and `n` (fewer than all when a job names a rule-selected input on
    an asset written earlier in this chunk: the rest goes in the next transaction, to see it).
    `numbers[i]`, when not None, is the number job i must get. Raises ChunkFailed."""
    now = datetime.now(timezone.utc)
    jobs = list(jobs[:_cut(jobs)])
    errors: dict[int, LegosError] = {}
    paths = sorted({f"{j.project}/{j.asset}" for j in jobs})
    first: dict[str, Job] = {}
    for j in jobs:
        first.setdefault(f"{j.project}/{j.asset}", j)
    tx.query("batch/ensure_users", users=sorted({j.user for j in jobs}), now=now)
    made = tx.query("batch/ensure_assets", now=now, assets=[
        {"path": p, "folded": p.lower(), "project": first[p].project, "name": first[p].asset,
         "kind": first[p].kind, "uid": uuid.uuid4().hex, "user": first[p].user} for p in paths])
    new = sorted(row["path"] for row in made if row["created"])
    if new:
        tx.query("batch/link_projects", assets=[{"path": p, "project": first[p].project}
                                                for p in new])
        _check_new_assets(tx, jobs, new, errors)
    locked = {row["path"]: row for row in tx.query("batch/lock_assets", paths=paths,
                                                   token=uuid.uuid4().hex)}
    wanted = {(u.path, u.version) for j in jobs for i in (*j.dependencies, *j.members)
              for u in [parse_reference(i.uri)] if u.version is not None}
    exact = dict(exact_versions(tx, [{"path": p, "number": n} for p, n in sorted(wanted)]))
    latest = _latest(tx, jobs, locked)
    counts = {p: int(locked[p]["count"] or 0) for p in paths}
    planned: list[_Planned] = []
    answers: list[dict[str, Any] | None] = []
    for position, job in enumerate(jobs):
        answers.append(None)
        path = f"{job.project}/{job.asset}"
        if position in errors:
            continue
        if locked[path]["kind"] != job.kind:
            errors[position] = KindMismatchError(
                f"legos:/{path} is a {locked[path]['kind']}, not a {job.kind}: publish it "
                f"with --kind {locked[path]['kind']} or choose another name")
            continue
        try:
            deps = _resolve_inputs(tx, job.dependencies, "dependency", exact)
            mems = _resolve_inputs(tx, job.members, "member", exact)
        except LegosError as exc:
            errors[position] = exc
            continue
        previous = latest.get(path)
        if job.skip_unchanged and previous is not None and _same(previous, job, deps, mems):
            answers[position] = {"uid": previous["uid"], "number": previous["number"],
                                 "skipped": True}
            continue
        number = counts[path] + 1
        if numbers[position] is not None and number != numbers[position]:
            errors[position] = NumberTakenError(
                f"legos:/{path} would get version {number}, not {numbers[position]}: another "
                "publish took the number (or an earlier one failed); nothing of it was published")
            continue
        counts[path] = number
        folder = relative_folder(job.template, job.project, job.asset, job.kind, number)
        exact[(path, number)] = {"uid": job.uid, "kind": job.kind}
        latest[path] = {"uid": job.uid, "number": number, "content_hash": job.content_hash,
                        "deps": [{"uid": d["uid"], "name": d["role"]} for d in deps],
                        "members": [{"uid": m["uid"], "name": m["slot"]} for m in mems]}
        planned.append(_Planned(position, job, number, folder, deps, mems))
        answers[position] = {"uid": job.uid, "number": number, "skipped": False}
    found = {} if errors else _check_folders(tx, planned, errors)
    if errors:
        raise ChunkFailed(errors)
    reps = _write(tx, planned, counts, now, found)
    for p in planned:  # what was written, as a read would answer it (nothing to ask again)
        answer = answers[p.position]
        assert answer is not None
        answer["version"] = _version(p, now, reps[p.job.uid])
    return [a for a in answers if a is not None], len(jobs)


def _version(p: _Planned, now: datetime, reps: list[dict[str, Any]]) -> Version:
    return written_version(p.job, p.number, now, reps)


def written_version(job: Job, number: int, now: datetime,
                    reps: list[dict[str, Any]]) -> Version:
    """The version a publish's transaction wrote, as a read of it would answer (a new
    version has no tags yet; its fields are those it was written with)."""
    files = [{**rep, **job.facts.get(rep["name"], {})} for rep in reps]
    return Version(
        uid=job.uid, project=job.project, asset=job.asset, kind=job.kind, number=number,
        status=VersionStatus(job.status), content_hash=job.content_hash,
        comment=job.comment or "", created_by=job.user, created_at=now,
        representations=tuple(sorted((_representation(f, job.root) for f in files),
                                     key=lambda r: r.name)),
        tags=(), entry=job.entry or None,
        provenance=json.loads(job.provenance) if job.provenance else None,
        meta=metadata.decode({"key": k, "value": row["value"]} for k, row in job.meta.items()))


def _cut(jobs: Sequence[Job]) -> int:
    """How many jobs go in this transaction: up to one whose input is chosen by a rule (no
    version number) on an asset an earlier job writes (it must see that version)."""
    written: set[str] = set()
    for index, job in enumerate(jobs):
        for item in (*job.dependencies, *job.members):
            uri = parse_reference(item.uri)
            if uri.version is None and uri.path in written and index > 0:
                return index
        written.add(f"{job.project}/{job.asset}")
    return len(jobs)


def _check_new_assets(tx: Transaction, jobs: list[Job], new: list[str],
                      errors: dict[int, LegosError]) -> None:
    """A new asset's name must fit its template beside the others, and differ from every
    other asset by more than case (as for a single publish)."""
    clashes = {row["path"]: row["other"] for row in tx.query(
        "batch/case_clashes", assets=[{"path": p, "folded": p.lower()} for p in new])}
    fresh = set(new)
    for position, job in enumerate(jobs):
        path = f"{job.project}/{job.asset}"
        if path not in fresh:
            continue
        try:
            check_asset_name_fits(job.template, job.asset)
        except LegosError as exc:
            errors[position] = exc
            continue
        if path in clashes:
            other = clashes[path]
            errors[position] = InvalidNameError(
                f"legos:/{path} differs from the existing legos:/{other} only by case; the two "
                "would share one folder on Windows and macOS shares: publish to "
                f"legos:/{other} or choose another name")


def _latest(tx: Transaction, jobs: list[Job],
            locked: Mapping[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The latest versions of the assets whose jobs skip an unchanged publish."""
    paths = sorted({f"{j.project}/{j.asset}" for j in jobs if j.skip_unchanged}
                   & {p for p, row in locked.items() if row["count"]})
    if not paths:
        return {}
    return {row["path"]: row for row in tx.query("batch/latest_contents", paths=paths)}


def _same(latest: dict[str, Any], job: Job, deps: list[dict[str, str]],
          mems: list[dict[str, str]]) -> bool:
    if latest["content_hash"] != job.content_hash:
        return False
    wanted = sorted((d["uid"], d["role"]) for d in deps) + sorted(
        (m["uid"], m["slot"]) for m in mems)
    have = sorted((i["uid"], i["name"]) for i in latest["deps"] if i["uid"]) + sorted(
        (i["uid"], i["name"]) for i in latest["members"] if i["uid"])
    return wanted == have


def _check_folders(tx: Transaction, planned: list[_Planned],
                   errors: dict[int, LegosError]) -> dict[str, str]:
    """No version's folder may equal, hold or sit inside a new one: checked against the
    store's Folder index by keyed probes of every new folder and those above it, and among the
    chunk's new folders in memory. Returns the Folder nodes found (path -> owner)."""
    if not planned:
        return {}
    found = folders.probe(tx, sorted({a for p in planned for a in folders.ancestors(p.folder)}))
    taken: dict[str, dict[str, Any]] = {}   # the chunk's new folders -> their version
    inside: dict[str, dict[str, Any]] = {}  # every folder above one of them -> that version
    for p in planned:
        hit = folders.collision(p.folder, found)
        if hit is not None:
            errors[p.position] = folders.refuse(tx, p.folder, hit)
            continue
        mine = next((taken[a] for a in folders.ancestors(p.folder) if a in taken),
                    None) or inside.get(p.folder)
        if mine is not None:
            errors[p.position] = PublishFolderError(
                f"the new version's folder {p.folder!r} would collide with the folder "
                f"{mine['folder']!r} of legos:/{mine['project']}/{mine['asset']}"
                f"?version={mine['number']}: publish under another asset name (or path "
                "template)")
            continue
        _take(taken, inside, {"folder": p.folder, "project": p.job.project,
                              "asset": p.job.asset, "number": p.number})
    return found


def _take(taken: dict[str, dict[str, Any]], inside: dict[str, dict[str, Any]],
          owner: dict[str, Any]) -> None:
    parts = owner["folder"].split("/")
    taken.setdefault(owner["folder"], owner)
    for i in range(1, len(parts)):
        inside.setdefault("/".join(parts[:i]), owner)


def _write(tx: Transaction, planned: list[_Planned], counts: dict[str, int], now: datetime,
           found: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Write the planned versions (and their Folder nodes: `found` are those already there);
    their representation rows by version uid."""
    if not planned:
        return {}
    tx.query("batch/set_counts", counts=[{"path": p, "count": n} for p, n in counts.items()])
    tx.query("batch/create_versions", now=now, versions=[
        {"asset_path": f"{p.job.project}/{p.job.asset}", "uid": p.job.uid,
         "key": f"{p.job.project}/{p.job.asset}@{p.number}", "number": p.number,
         "status": p.job.status, "content_hash": p.job.content_hash, "comment": p.job.comment,
         "user": p.job.user, "folder": p.folder, "entry": p.job.entry,
         "provenance": p.job.provenance} for p in planned])
    folders.create(tx, folders.rows_to_create([(p.job.uid, p.folder) for p in planned], found))
    reps: list[dict[str, Any]] = []
    facts: list[dict[str, Any]] = []
    for p in planned:
        for s in p.job.staged:
            rep: dict[str, Any] = {"version": p.job.uid, "uid": uuid.uuid4().hex, "name": s.name,
                   "path": f"{p.folder}/{s.name}", "format": guess_format(s.name),
                   "size": s.size, "sha256": s.sha256,
                   "role": THUMBNAIL if s.name == THUMBNAIL_NAME else CONTENT}
            reps.append(rep)
            if s.name in p.job.facts:
                facts.append({"uid": rep["uid"], **p.job.facts[s.name]})
    if reps:
        tx.query("batch/add_representations", reps=reps)
    if facts:
        tx.query("publish/set_image_facts", facts=facts)
    _link(tx, "batch/add_dependencies", "deps", [
        {"source": p.job.uid, "uid": d["uid"], "role": d["role"]} for p in planned
        for d in p.deps])
    _link(tx, "batch/add_members", "members", [
        {"source": p.job.uid, "uid": m["uid"], "slot": m["slot"]} for p in planned
        for m in p.mems])
    kept.keep_batch(tx, [(p.job.uid, f"{p.job.project}/{p.job.asset}",  # in publish order
                          [x["uid"] for x in (*p.deps, *p.mems)]) for p in planned], now)
    for p in planned:
        metadata.add_to_version(tx, p.job.uid, p.job.meta)
    for p in planned:  # last: a failure above leaves every staged folder where it was
        p.job.placement.place(p.job.root / p.folder)
    by_version: dict[str, list[dict[str, Any]]] = {p.job.uid: [] for p in planned}
    for rep in reps:
        by_version[rep["version"]].append(rep)
    return by_version


def _link(tx: Transaction, query: str, param: str, rows: list[dict[str, Any]]) -> None:
    if not rows:  # never an empty list to LadybugDB
        return
    linked = tx.query(query, **{param: rows})[0]["linked"]
    if linked != len(rows):
        raise VersionNotFoundError(
            f"{len(rows) - linked} input(s) of this batch no longer exist: check them and retry")
