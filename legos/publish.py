"""Publishing: the next immutable version of an asset, with its files and exact inputs.

All-or-nothing: files are copied and hashed into a staging folder first; one write
transaction then allocates the number, creates the version and its edges, and renames the
staged folder into its final place just before commit. If anything fails, the folder goes back
and is removed, and the transaction rolls back: no version node, no file in the final place.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from legos import files as filestore, folders, kept, metadata, staging
from legos.catalog import asset_row, select_uid, versions_by_uid
from legos.entry import choose as choose_entry
from legos.errors import (
    InvalidInputError,
    InvalidNameError,
    KindMismatchError,
    NotFoundError,
    PublishConflictError,
    PublishFileError,
    StoreUnavailableError,
    VersionNotFoundError,
)
from legos.kinds import registry
from legos.layout import check_asset_name_fits, relative_folder
from legos.model import (
    Version,
    guess_format,
    parse_status,
    validate_asset_name,
    validate_project_code,
)
from legos.model.representation import CONTENT, THUMBNAIL, THUMBNAIL_NAME
from legos.model.user import current_user
from legos.operations import faults
from legos.publish_inputs import all_known, exact_versions
from legos.publish_latest import latest_content
from legos.store.base import GraphStore, Transaction
from legos.uri import AssetURI, parse_reference

log = logging.getLogger("legos")
_ROLE = re.compile(r"^[a-z][a-z0-9_]{0,63}\Z")  # \Z: `$` would take "role\n"
_CONFLICT_RETRIES = 5
_UNAVAILABLE_RETRIES = 2  # each one is a driver's own retry period (30 s) of a server gone
_BATCH_FROM = 64  # inputs of one publish from which one batch query beats lookups one by one


@dataclass(frozen=True)
class Input:
    """A dependency (`role`) or a package member (`slot`) given by URI."""

    name: str | None
    uri: AssetURI | str


def parse_input(text: str) -> Input:
    """`[ROLE=]URI` as the CLI takes it (the URI may be PROJECT/ASSET): a bare one has no
    role. An asset name never holds '=', so one outside a `legos:` URI ends the role."""
    if text.startswith("legos:"):
        return Input(None, text)
    name, sep, uri = text.partition("=")
    if not sep:
        return Input(None, text)
    if not name:
        raise InvalidInputError(f"{text!r} has an empty role: e.g. texture=legos:/demo/tex/albedo")
    return Input(name, uri)


def _resolve_inputs(tx: Transaction, inputs: list[Input], what: str,
                    exact: Mapping[tuple[str, int | None], Mapping[str, Any]] | None = None,
                    ) -> list[dict[str, str]]:
    """Exact version uids for dependencies (`what="dependency"`, named by role) or members
    (`what="member"`, named by slot). A bare URI takes its kind's default role, or for a member
    the last segment of its asset name. Explicit versions are looked up in one query (a shot
    may hold thousands); selection rules one by one."""
    key = "role" if what == "dependency" else "slot"
    uris = [parse_reference(item.uri) for item in inputs]
    wanted = [{"path": u.path, "number": u.version} for u in uris if u.version is not None]
    if exact is None:  # (legos.batch_write looks up a whole chunk's at once)
        exact = exact_versions(tx, wanted)  # one query over Bolt, keyed probes in-process
    out: list[dict[str, str]] = []
    slots: dict[str, AssetURI] = {}  # a package holds one member per slot
    for item, uri in zip(inputs, uris, strict=True):
        found = exact.get((uri.path, uri.version))
        try:
            uid = found["uid"] if found else select_uid(tx, uri)
        except NotFoundError as exc:
            # the lookup's message already names the fix (publish it, or check the name)
            raise VersionNotFoundError(f"{what} {uri} cannot be used: {exc}") from None
        if item.name:
            name = item.name
        elif what == "dependency":
            kind = found["kind"] if found else asset_row(tx, uri.path)["kind"]
            name = registry.get(kind).default_role
        else:
            name = uri.asset.rsplit("/", 1)[-1].lower().replace("-", "_").replace(".", "_")
        if len(name) > 64:  # the limit of _ROLE, named apart so the message says so
            raise InvalidInputError(
                f"{what} {key} {name[:24]!r}... of {uri} is {len(name)} characters long: at "
                f"most 64; give a shorter one with {key.upper()}=URI"
            )
        if not _ROLE.match(name):
            raise InvalidInputError(
                f"{what} {key} {name!r} of {uri} is not valid: use lower-case letters, digits "
                f"and '_', e.g. {key}=texture"
            )
        if what == "member" and name in slots:
            raise InvalidInputError(_slot_clash(name, slots[name], uri))
        slots[name] = uri
        out.append({"uid": uid, key: name, "uri": str(uri)})
    return out


def _slot_clash(slot: str, first: AssetURI, second: AssetURI) -> str:
    """Two members for one slot (a bare URI takes its name's last segment): name the clash
    and a slot that would tell them apart."""
    words = second.asset.lower().replace("-", "_").replace(".", "_").split("/")
    suggestion = "_".join(words[-2:]) if len(words) > 1 else f"{words[0]}_2"
    return (f"members {first} and {second} both take the slot {slot!r}, and a package holds "
            f"one member per slot: name them with SLOT=URI, e.g. {suggestion}={second}")


def content_hash(staged: list[filestore.StagedFile]) -> str:
    digest = hashlib.sha256()
    for item in sorted(staged, key=lambda s: s.name):
        digest.update(f"{item.name}\0{item.sha256}\n".encode())
    return digest.hexdigest()


class _Placement:
    """Tracks where the staged folder is, so every retry and failure can put it back."""

    def __init__(self, staging: Path, root: Path, area: staging.StagingArea | None = None) -> None:
        self.staging = staging
        self.root = root
        self.area = area
        self.final: Path | None = None

    def restore(self) -> None:
        if self.final is not None and self.final.exists():
            os.chmod(self.final, 0o755)
            os.replace(self.final, self.staging)
        self.final = None

    def place(self, final: Path) -> None:
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists() and staging.dead_target(self.root, final):
            filestore.remove_tree(final)  # a dead publish's copies, never committed: not work
        if final.exists():
            # No version owns this folder, nor anything in or above it (checked against the
            # store under the asset's lock), and no dead publish's lock names it: someone's
            # files of unknown origin. Keep them aside for a person to look at; never delete.
            moved = staging.move_to_orphans(self.root, final)
            log.warning("legos: %s was owned by no version; moved it to %s", final, moved)
        if self.area is not None:
            self.area.note_target(final.relative_to(self.root).as_posix())
        os.replace(self.staging, final)
        self.final = final
        filestore.freeze_folders(final)
        faults.point("rename")


def _same_as_latest(tx: Transaction, path: str, chash: str, deps: list[dict[str, str]],
                    mems: list[dict[str, str]]) -> dict[str, Any] | None:
    """The latest version, if it has these very files and inputs."""
    latest = latest_content(tx, path, chash)
    if latest is None or latest["content_hash"] != chash:
        return None
    wanted = sorted((d["uid"], d["role"]) for d in deps) + sorted(
        (m["uid"], m["slot"]) for m in mems)
    have = sorted((i["uid"], i["name"]) for i in latest["deps"] if i["uid"]) + sorted(
        (i["uid"], i["name"]) for i in latest["members"] if i["uid"])
    return latest if wanted == have else None


@dataclass(frozen=True)
class Checked:
    """A publish's arguments, checked before anything is copied or written."""

    status: str
    user: str
    sources: list[filestore.SourceFile]  # the thumbnail last, when there is one
    entry: str | None
    facts: dict[str, dict[str, Any]]
    provenance: str
    meta: Any


def check_arguments(*, project: str, asset: str, kind: str,
                    files: Iterable[str | os.PathLike[str]], members: list[Input], status: str,
                    user: str | None, allow_empty: bool, entry: str | None,
                    thumbnail: str | os.PathLike[str] | None,
                    facts: Mapping[str, Mapping[str, Any]] | None,
                    provenance: Mapping[str, Any] | None,
                    meta: Mapping[str, Any] | None) -> Checked:
    """Everything about a publish that can be checked without the store (names, kind, files,
    entry, facts, provenance, metadata): raises the publish's own errors."""
    validate_project_code(project)
    validate_asset_name(asset)
    asset_kind = registry.get(kind)
    chosen_status = parse_status(status).value
    who = current_user(user)
    if members and not asset_kind.is_package:
        packages = ", ".join(k.name for k in registry.all() if k.is_package)
        raise InvalidInputError(
            f"{kind} is not a package kind, so it cannot have members: use one of {packages}"
        )
    sources = filestore.collect(list(files))
    filestore.check_publishable(sources, asset_kind, allow_empty)
    entry_name = choose_entry(sources, asset, entry, kind)
    image_facts = _checked_facts(facts or {}, [s.name for s in sources])
    provenance_text = _provenance_text(provenance)
    version_meta = metadata.checked(meta)
    if thumbnail is not None:
        sources.append(_thumbnail_source(thumbnail))
    return Checked(chosen_status, who, sources, entry_name, image_facts, provenance_text,
                   version_meta)


@dataclass
class Job:
    """One version to write: its arguments checked and its files staged (legos.batch writes
    many in one transaction)."""

    project: str
    asset: str
    kind: str
    template: str
    root: Path
    uid: str
    content_hash: str
    staged: list[filestore.StagedFile]
    dependencies: list[Input]
    members: list[Input]
    status: str
    comment: str
    user: str
    entry: str
    provenance: str
    meta: Any
    facts: dict[str, dict[str, Any]]
    skip_unchanged: bool
    placement: _Placement
    repeated: dict[str, Any] = field(default_factory=dict)  # the latest, when it repeats it


def write_version(tx: Transaction, job: Job) -> dict[str, Any]:
    """Allocate the number, create the version with its files and edges, and rename its
    staged folder into place: everything a publish does inside its write transaction."""
    job.placement.restore()  # a retried attempt starts from the staged state
    job.repeated.clear()
    project, asset, kind, template = job.project, job.asset, job.kind, job.template
    now = datetime.now(timezone.utc)
    path = f"{project}/{asset}"
    new_asset_uid = uuid.uuid4().hex
    made = tx.query("publish/ensure_asset", path=path, folded=path.lower(),
                    project=project, name=asset, kind=kind, uid=new_asset_uid,
                    user=job.user, now=now)[0]
    if made["uid"] == new_asset_uid:  # a new asset: its name must fit beside the others
        tx.query("batch/link_projects", assets=[{"path": path, "project": project}])
        _check_new_asset(tx, template, path, asset)
    locked = tx.query("publish/lock_asset", path=path, token=job.uid)[0]
    if locked["kind"] != kind:
        raise KindMismatchError(
            f"legos:/{path} is a {locked['kind']}, not a {kind}: publish it with "
            f"--kind {locked['kind']} or choose another name"
        )
    deps = _resolve_inputs(tx, job.dependencies, "dependency")
    mems = _resolve_inputs(tx, job.members, "member")
    same = _same_as_latest(tx, path, job.content_hash, deps, mems)
    if same is not None:
        if job.skip_unchanged:
            return {"uid": same["uid"], "number": same["number"], "skipped": True}
        job.repeated.update(same)
    number = tx.query("publish/next_number", path=path)[0]["number"]
    folder = relative_folder(template, project, asset, kind, number)
    found = folders.check_free(tx, folder)  # no version's folder may equal, hold or sit in it
    tx.query("publish/create_version", asset_path=path, uid=job.uid,
             key=f"{path}@{number}", number=number, status=job.status,
             content_hash=job.content_hash, comment=job.comment, user=job.user, now=now,
             folder=folder, entry=job.entry, provenance=job.provenance)
    folders.create(tx, folders.rows_to_create([(job.uid, folder)], found))
    metadata.add_to_version(tx, job.uid, job.meta)
    reps: list[dict[str, Any]] = []
    if job.staged:
        reps = [{"uid": uuid.uuid4().hex, "name": s.name, "path": f"{folder}/{s.name}",
                 "format": guess_format(s.name), "size": s.size, "sha256": s.sha256,
                 "role": THUMBNAIL if s.name == THUMBNAIL_NAME else CONTENT}
                for s in job.staged]
        tx.query("publish/add_representations", uid=job.uid, reps=reps)
        known = [{"uid": r["uid"], **job.facts[r["name"]]} for r in reps
                 if r["name"] in job.facts]
        if known:
            tx.query("publish/set_image_facts", facts=known)
    if deps:
        _link(tx, "publish/add_dependencies", job.uid, "deps", deps)
    if mems:
        _link(tx, "publish/add_members", job.uid, "members", mems)
    kept.keep_published(tx, job.uid, path, [*deps, *mems])  # fan-in, earliest input
    job.placement.place(job.root / folder)
    return {"uid": job.uid, "number": number, "skipped": False, "written": (now, reps)}


def publish(store: GraphStore, *, project: str, asset: str, kind: str, root: Path,
            template: str, files: Iterable[str | os.PathLike[str]] = (),
            dependencies: Iterable[Input] = (), members: Iterable[Input] = (),
            comment: str = "", user: str | None = None, status: str = "published",
            allow_empty: bool = False, skip_unchanged: bool = False,
            progress: filestore.Progress | None = None, entry: str | None = None,
            thumbnail: str | os.PathLike[str] | None = None,
            facts: Mapping[str, Mapping[str, Any]] | None = None,
            provenance: Mapping[str, Any] | None = None,
            meta: Mapping[str, Any] | None = None, version_uid: str | None = None) -> Version:
    """Publish the next version. A kind that needs files gets some, none of them empty unless
    `allow_empty`. With `skip_unchanged`, a publish whose files and inputs are those of the
    latest version publishes nothing and returns that version (else a warning says the new
    version repeats it). `entry` names the file a URI without rep= resolves to (else it is
    inferred: legos.entry); `thumbnail` is a PNG kept beside the content; `facts` are image
    facts by file name; `provenance` says how the content was made (JSON-able); `meta` is the
    version's metadata (legos.metadata), written in the same transaction. `version_uid` is the
    new version's uid (default: a new one): a caller that chose it can tell a skip apart."""
    dependencies, members = list(dependencies), list(members)
    checked = check_arguments(project=project, asset=asset, kind=kind, files=files,
                              members=members, status=status, user=user,
                              allow_empty=allow_empty, entry=entry, thumbnail=thumbnail,
                              facts=facts, provenance=provenance, meta=meta)
    chosen_status, who, sources = checked.status, checked.user, checked.sources
    entry_name, image_facts = checked.entry, checked.facts
    provenance_text, version_meta = checked.provenance, checked.meta

    # Check inputs before copying anything, so a typo costs nothing (with no read when the
    # validators already found every one: legos.publish_inputs.remembered).
    def check(tx: Any) -> None:
        _resolve_inputs(tx, dependencies, "dependency")
        _resolve_inputs(tx, members, "member")
    if all_known([i.uri for i in (*dependencies, *members)]):
        check(None)
    else:
        store.read(check)

    staging.sweep_dead(root)
    version_uid = version_uid or uuid.uuid4().hex
    repeated: dict[str, Any] = {}
    with staging.StagingArea(root) as area:
        placement = _Placement(area.folder, root, area)
        try:
            staged = filestore.stage(sources, area.folder, progress, root)
            # a thumbnail is rendered anew each time: it is not part of what the version is
            chash = content_hash([s for s in staged if s.name != THUMBNAIL_NAME])
            faults.point("hash")

            job = Job(project=project, asset=asset, kind=kind, template=template, root=root,
                      uid=version_uid, content_hash=chash, staged=staged,
                      dependencies=dependencies, members=members, status=chosen_status,
                      comment=comment, user=who, entry=entry_name or "",
                      provenance=provenance_text, meta=version_meta, facts=image_facts,
                      skip_unchanged=skip_unchanged, placement=placement, repeated=repeated)

            def work(tx: Transaction) -> dict[str, Any]:
                # The version's uid is this call's idempotency key: an attempt that committed
                # though its acknowledgement was lost (a server gone mid-commit) is not redone.
                done = tx.query("versions/get", uids=[version_uid])
                if done:
                    return {"uid": version_uid, "number": done[0]["number"], "skipped": False}
                return write_version(tx, job)

            created = _write_with_retries(store, work)
            faults.point("commit")
        except BaseException:
            if placement.final is not None and not _version_exists(store, version_uid):
                placement.restore()
            raise
    if created["skipped"]:
        log.warning("legos: legos:/%s/%s?version=%s already has these files and inputs: "
                    "nothing published", project, asset, created["number"])
    elif repeated:
        log.warning("legos: legos:/%s/%s?version=%s repeats version %s (same files and "
                    "inputs); pass --skip-unchanged (skip_unchanged=True) to publish nothing "
                    "in that case", project, asset, created["number"], repeated["number"])
    if "written" in created:  # answered from what its transaction wrote (no read after it)
        from legos.batch_write import written_version

        return written_version(job, created["number"], *created["written"])
    for attempt in range(_UNAVAILABLE_RETRIES + 1):  # committed: answer it, server gone or not
        try:
            return store.read(lambda tx: versions_by_uid(tx, [created["uid"]],
                                                         root))[created["uid"]]
        except StoreUnavailableError:
            if attempt == _UNAVAILABLE_RETRIES:
                raise
    raise AssertionError("unreachable")


_FACTS = {"width": int, "height": int, "channels": int, "pixel_type": str, "colorspace": str,
          "mip_levels": int, "tiled": bool}


def _checked_facts(facts: Mapping[str, Mapping[str, Any]],
                   names: list[str]) -> dict[str, dict[str, Any]]:
    """Image facts by published file name, every field present and typed (the store keeps
    them as typed columns)."""
    out = {}
    for name, given in facts.items():
        if name not in names:
            raise InvalidInputError(f"image facts name {name!r}, which is not a file published "
                                    f"here: use one of {', '.join(sorted(names)[:8])}")
        row = {}
        for key, kind in _FACTS.items():
            value = given.get(key)
            if key == "colorspace" and value is None:
                value = ""  # unknown: stored as empty, read back as None
            if value is None or not isinstance(value, kind) or (kind is int and
                                                                isinstance(value, bool)):
                raise InvalidInputError(f"image facts of {name!r} need {key} as {kind.__name__}, "
                                        f"got {value!r}")
            row[key] = value
        out[name] = row
    return out


def _provenance_text(provenance: Mapping[str, Any] | None) -> str:
    if not provenance:
        return ""
    try:
        return json.dumps(dict(provenance), sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"provenance must be JSON-able (text, numbers, lists, maps): "
                                f"{exc}") from None


def _thumbnail_source(path: str | os.PathLike[str]) -> filestore.SourceFile:
    source = Path(path).expanduser()
    if not source.is_file() or guess_format(source.name) != "png":
        raise PublishFileError(f"thumbnail {str(source)!r} is not a PNG file: give a small .png")
    return filestore.SourceFile(source, THUMBNAIL_NAME)


def _check_new_asset(tx: Transaction, template: str, path: str, asset: str) -> None:
    check_asset_name_fits(template, asset)
    clash = tx.query("publish/case_clash", path=path, folded=path.lower())
    if clash:
        raise InvalidNameError(
            f"legos:/{path} differs from the existing legos:/{clash[0]['path']} only by case; "
            "the two would share one folder on Windows and macOS shares: publish to "
            f"legos:/{clash[0]['path']} or choose another name")


def _link(tx: Transaction, query: str, uid: str, param: str, rows: list[dict[str, str]]) -> None:
    """Create the edges; the inputs were checked, so a shortfall means one vanished meanwhile."""
    edges = [{k: v for k, v in r.items() if k != "uri"} for r in rows]
    linked = tx.query(query, uid=uid, **{param: edges})[0]["linked"]
    if linked != len(rows):
        raise VersionNotFoundError(
            f"an input of this publish no longer exists ({', '.join(r['uri'] for r in rows)}): "
            "check them and retry")


def _write_with_retries(store: GraphStore, work: Any) -> dict[str, Any]:
    """Retry a lost race, and a lost server (its driver already retried for a while): the
    work is idempotent by its version uid, so a commit whose answer was lost is found, not
    made twice."""
    lost = 0
    for attempt in range(_CONFLICT_RETRIES):
        try:
            return store.write(work)
        except PublishConflictError:
            if attempt == _CONFLICT_RETRIES - 1:
                raise
        except StoreUnavailableError:
            lost += 1
            if lost > _UNAVAILABLE_RETRIES:
                raise
    raise AssertionError("unreachable")


def _version_exists(store: GraphStore, uid: str) -> bool:
    try:
        return bool(store.read(lambda tx: tx.query("versions/get", uids=[uid])))
    except Exception:
        return True  # cannot tell: leave the files rather than orphan a committed version
