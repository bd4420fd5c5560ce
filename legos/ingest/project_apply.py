"""`legos ingest apply`: publish a plan of `legos ingest project`, dependencies first, one
record per version; idempotent, and honest about numbers.

The i-th source version of an asset in the plan becomes store version i (v001, v003 ->
versions 1, 2; the record says which became which, and dependencies map the same way).
A store version with that number and the same content hash (legos.publish.content_hash over
the files' sha256) is skipped; with another hash the item fails naming both. A version whose
dependency, or whose asset's previous version, failed fails too; every other one goes on.
The originals are only read: publishing copies them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from legos.batch import PublishItem
from legos.errors import LegosError
from legos.ingest.project import Key, Plan, load_plan, order
from legos.ingest.records import FAILED, OK, SKIPPED, Record, one_line

if TYPE_CHECKING:
    from legos.api import Legos


def apply_plan(lg: Legos, plan: str | os.PathLike[str] | dict[str, Any] | Plan, *,
               dry_run: bool = False, comment: str = "", user: str | None = None,
               progress: Callable[[int, int], None] | None = None) -> list[Record]:
    """Publish every version of `plan` (a path, its document or a Plan) in dependency order;
    with `dry_run`, publish nothing and say what would be done. Raises only for a plan that
    is not one (one line naming the field); each version's failure is its record.
    `progress(done, total)` follows the versions."""
    from legos.model import validate_project_code

    data = load_plan(plan.data if isinstance(plan, Plan) else plan)
    project = data["project"]
    validate_project_code(project)
    items = [dict(item) for item in data["versions"]]  # the caller's plan stays as it was
    by_key: dict[Key, dict[str, Any]] = {}
    duplicates = []
    for item in items:
        key = (item["asset"], item["version"])
        if key in by_key:
            duplicates.append(item)
            by_key[key]["error"] = item["error"] = (
                f"the plan lists version {key[1]} of {key[0]} twice: keep one")
        else:
            by_key[key] = item
    for item in by_key.values():
        for dep in item.get("dependencies") or []:
            if (dep["asset"], dep["version"]) not in by_key:
                item["error"] = item.get("error") or (
                    f"depends on version {dep['version']} of {dep['asset']}, which the plan "
                    "does not hold: add it or remove the dependency")
    ordered = order(by_key.values())   # numbers each asset's versions 1, 2, ...; cycles fail
    run = _Run(lg, project, data, by_key, dry_run, comment, user)
    records = []
    with ExitStack() as files:  # the versions to publish, queued, then published as a batch
        run.files = files
        for key in ordered:
            records.append(run.one(key))
            if progress is not None and not run.queued:
                progress(len(records), len(ordered))
        run.publish_queued(progress, len(ordered))
    for item in duplicates:
        records.append(Record(item.get("folder") or item["asset"], FAILED, kind=item["kind"],
                              error=item["error"], extra={"asset": item["asset"],
                                                          "source_version": item["version"],
                                                          "version": None}))
    return records


class _Run:
    def __init__(self, lg: Legos, project: str, data: dict[str, Any],
                 by_key: dict[Key, dict[str, Any]], dry_run: bool, comment: str,
                 user: str | None) -> None:
        self.lg, self.project, self.data, self.by_key = lg, project, data, by_key
        self.dry_run, self.comment, self.user = dry_run, comment, user
        self.done: dict[Key, Record] = {}
        self.last: dict[str, Key] = {}   # the asset's version done last (they go in order)
        self.queued: list[tuple[Record, Key, PublishItem]] = []  # published by publish_queued
        self.files = ExitStack()
        self.have = self._store_versions(sorted({k[0] for k in by_key}))

    def _store_versions(self, assets: list[str]) -> dict[str, dict[int, str]]:
        """The content hash of every version the store has of these assets, by number."""
        have: dict[str, dict[int, str]] = {a: {} for a in assets}
        if not assets:  # never an empty list (LadybugDB types it as strings and fails)
            return have
        paths = [f"{self.project}/{a}" for a in assets]
        for row in self.lg.store.query("ingest/store_versions", paths=paths):
            have[row["path"].split("/", 1)[1]][int(row["number"])] = row["content_hash"]
        return have

    def uri(self, asset: str, number: int) -> str:
        return f"legos:/{self.project}/{asset}?version={number}"

    def one(self, key: Key) -> Record:
        record = self._one(key)
        self.done[key] = record
        self.last[key[0]] = key
        return record

    def _one(self, key: Key) -> Record:
        item = self.by_key[key]
        asset, number = key[0], item["store_version"]
        folder = item.get("folder") or asset
        record = Record(folder, FAILED, uri=self.uri(asset, number), kind=item["kind"],
                        extra={"asset": asset, "source_version": key[1], "version": number})
        if self.dry_run:
            record.extra["dry_run"] = True
        if item.get("error"):
            record.error = item["error"]
            return record
        blocked = self._blocked_by(key, item)
        if blocked:
            record.error = blocked
            return record
        have = self.have[asset]
        if number in have:  # only then hash the sources: publishing hashes while it copies
            try:
                chash = _content_hash(item["files"])
            except OSError as exc:
                record.error = (f"cannot read {exc.filename or 'a file'} of the plan: "
                                f"{exc.strerror or exc}")
                return record
            if have[number] == chash:
                record.status = SKIPPED
                record.extra["action"] = "already in the store with this content: skipped"
            else:
                record.error = (f"{self.uri(asset, number)} is in the store with content "
                                f"{have[number]}, but source version {key[1]} ({folder}) has "
                                f"content {chash}: the tree changed since that publish, or "
                                "another asset took the name; ingest it under another project "
                                "or asset name")
            return record
        latest = max(have, default=0)
        if latest != number - 1:
            record.error = (f"the store has {latest} version(s) of legos:/{self.project}/{asset}"
                            f", so source version {key[1]} would become version {latest + 1}, "
                            f"not {number}: publish nothing there meanwhile, or ingest under "
                            "another name")
            return record
        if self.dry_run:
            missing = [f["source"] for f in item["files"] if not os.path.isfile(f["source"])]
            if missing:  # what publishing would say first
                record.error = f"file to publish {missing[0]!r} does not exist: check the path"
                return record
            record.status = OK
            record.extra["action"] = "would publish"
            have[number] = ""   # what later items of this asset will find
            return record
        return self._publish(record, item, key)

    def _blocked_by(self, key: Key, item: dict[str, Any]) -> str | None:
        """Why a failed input stops this version, if one does."""
        for dep in item.get("dependencies") or []:
            other = (dep["asset"], dep["version"])
            if other in self.done and self.done[other].failed:
                return (f"depends on version {other[1]} of {other[0]}, which failed: "
                        f"{self.done[other].error}")
        prev = self.last.get(key[0])
        if prev is not None and self.done[prev].failed:
            return (f"source version {prev[1]} of {key[0]} failed, so source version {key[1]} "
                    f"cannot become version {item['store_version']}")
        return None

    def _publish(self, record: Record, item: dict[str, Any], key: Key) -> Record:
        """Queue the version for publish_queued (as if it will succeed, so later versions
        of the plan go on; publish_queued says otherwise where it fails)."""
        asset, number = key[0], item["store_version"]
        deps = [(d["role"], self.uri(d["asset"],
                                     self.by_key[(d["asset"], d["version"])]["store_version"]))
                for d in item.get("dependencies") or []]
        provenance = {"ingest": "project", "source": item.get("folder"),
                      "source_version": key[1], "tree": self.data.get("root"),
                      "template": self.data.get("template")}
        try:
            files = self.files.enter_context(_publishable(item))
        except (LegosError, OSError) as exc:
            record.error = one_line(exc)
            return record
        record.status = OK
        self.have[asset][number] = ""  # what later items of this asset will find
        self.queued.append((record, key, PublishItem(
            self.project, asset, item["kind"], files=files, dependencies=deps,
            entry=item.get("entry"), provenance=provenance, user=self.user, number=number,
            comment=self.comment or f"ingested from {item.get('folder') or asset}")))
        return record

    def publish_queued(self, progress: Callable[[int, int], None] | None, total: int) -> None:
        """Publish the queued versions in one batch (few transactions: legos.batch), each
        all-or-nothing at the number the plan gives it; a failed one fails the versions that
        depend on it and the later versions of its asset, each saying why."""
        if not self.queued:
            return
        before = total - len(self.queued)

        def advance(done: int, count: int) -> None:
            if progress is not None:
                progress(before + done, total)
        results = self.lg.publish_many([q[2] for q in self.queued], progress=advance)
        failed: dict[Key, str] = {}
        for (record, key, _item), result in zip(self.queued, results, strict=True):
            if result.ok and result.version is not None:
                record.uri = result.version.uri
                continue
            record.status = FAILED
            record.error = self._why_failed(key, failed) or one_line(result.error or "failed")
            failed[key] = record.error or ""
        self.queued = []

    def _why_failed(self, key: Key, failed: dict[Key, str]) -> str | None:
        """A version failed because an input or its asset's previous version did."""
        for dep in self.by_key[key].get("dependencies") or []:
            other = (dep["asset"], dep["version"])
            if other in failed:
                return (f"depends on version {other[1]} of {other[0]}, which failed: "
                        f"{failed[other]}")
        earlier = [k for k in failed if k[0] == key[0]
                   and self.by_key[k]["store_version"] < self.by_key[key]["store_version"]]
        if earlier:
            prev = max(earlier, key=lambda k: self.by_key[k]["store_version"])
            return (f"source version {prev[1]} of {key[0]} failed, so source version {key[1]} "
                    f"cannot become version {self.by_key[key]['store_version']}")
        return None


def _content_hash(files: list[dict[str, str]]) -> str:
    """The content hash a publish of these files records (legos.publish.content_hash)."""
    from legos.files import StagedFile, sha256_of
    from legos.publish import content_hash

    return content_hash([StagedFile(f["name"], os.path.getsize(f["source"]),
                                    sha256_of(Path(f["source"]))) for f in files])


@contextmanager
def _publishable(item: dict[str, Any]) -> Iterator[list[str]]:
    """Paths for `lg.publish` that give the plan's files their published names: the files
    themselves when each keeps its own name, the version folder when the plan lists exactly
    its files, else copies laid out in a temporary folder (an edited plan)."""
    from legos import files as filestore

    files = item["files"]
    names = [f["name"] for f in files]
    if all(f["name"] == os.path.basename(f["source"]) for f in files) \
            and len(set(names)) == len(names):
        yield [f["source"] for f in files]
        return
    folder = item.get("folder")
    if folder and os.path.isdir(folder):
        try:
            found = {(s.name, str(s.source)) for s in filestore.collect([folder])}
        except LegosError:
            found = set()
        if found == {(f["name"], f["source"]) for f in files}:
            yield [folder]
            return
    with tempfile.TemporaryDirectory(prefix="legos-ingest-project-") as work:
        for file in files:
            target = Path(work, file["name"])
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file["source"], target)
        yield [work]
