"""Publishing: the next immutable version of an asset, with its files and exact inputs.

All-or-nothing: files are copied and hashed into a staging folder first; one write
transaction then allocates the number, creates the version and its edges, and renames the
staged folder into its final place just before commit. If anything fails, the folder goes back
and is removed, and the transaction rolls back: no version node, no file in the final place.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from legos import files as filestore
from legos.catalog import asset_row, select_uid, versions_by_uid
from legos.errors import (
    InvalidInputError, KindMismatchError, NotFoundError, PublishConflictError,
    VersionNotFoundError,
)
from legos.kinds import registry
from legos.layout import version_folder
from legos.model import Version, guess_format, parse_status, validate_asset_name, validate_project_code
from legos.model.user import current_user
from legos.store.base import GraphStore, Transaction
from legos.uri import AssetURI, parse_reference

_ROLE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_CONFLICT_RETRIES = 5
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


def _resolve_inputs(tx: Transaction, inputs: list[Input], what: str) -> list[dict[str, str]]:
    """Exact version uids for dependencies (`what="dependency"`, named by role) or members
    (`what="member"`, named by slot). A bare URI takes its kind's default role, or for a member
    the last segment of its asset name. Explicit versions are looked up in one query (a shot
    may hold thousands); selection rules one by one."""
    key = "role" if what == "dependency" else "slot"
    uris = [parse_reference(item.uri) for item in inputs]
    wanted = [{"path": u.path, "number": u.version} for u in uris if u.version is not None]
    # One batch query pays off for many inputs only: on LadybugDB it joins whole tables (tens
    # of ms), where a keyed lookup per input takes a fraction of a millisecond. (And never an
    # empty list: LadybugDB types it as a list of strings and `w.path` fails to bind.)
    exact = {(row["path"], row["number"]): row for row in (
        tx.query("versions/select_exact", wanted=wanted) if len(wanted) > _BATCH_FROM else [])}
    out: list[dict[str, str]] = []
    slots: dict[str, AssetURI] = {}  # a package holds one member per slot
    for item, uri in zip(inputs, uris):
        found = exact.get((uri.path, uri.version))
        try:
            uid = found["uid"] if found else select_uid(tx, uri)
        except NotFoundError as exc:
            raise VersionNotFoundError(
                f"{what} {uri} cannot be used: {exc}. Publish it first or fix the URI"
            ) from None
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

    def __init__(self, staging: Path) -> None:
        self.staging = staging
        self.final: Path | None = None

    def restore(self) -> None:
        if self.final is not None and self.final.exists():
            os.chmod(self.final, 0o755)
            os.replace(self.final, self.staging)
        self.final = None

    def place(self, final: Path, orphans: Path) -> None:
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            # Left by a publish killed between the rename and its commit: the number was never
            # committed (we hold the asset's lock), so nothing can point at it. Keep it aside.
            orphans.mkdir(parents=True, exist_ok=True)
            os.replace(final, orphans / f"{final.name}-{uuid.uuid4().hex[:8]}")
        os.replace(self.staging, final)
        self.final = final
        filestore.freeze_folders(final)


def publish(store: GraphStore, *, project: str, asset: str, kind: str, root: Path,
            template: str, files: Iterable[str | os.PathLike[str]] = (),
            dependencies: Iterable[Input] = (), members: Iterable[Input] = (),
            comment: str = "", user: str | None = None, status: str = "published") -> Version:
    validate_project_code(project)
    validate_asset_name(asset)
    asset_kind = registry.get(kind)
    chosen_status = parse_status(status).value
    who = current_user(user)
    dependencies, members = list(dependencies), list(members)
    if members and not asset_kind.is_package:
        packages = ", ".join(k.name for k in registry.all() if k.is_package)
        raise InvalidInputError(
            f"{kind} is not a package kind, so it cannot have members: use one of {packages}"
        )
    sources = filestore.collect(list(files))

    # Check inputs before copying anything, so a typo costs nothing.
    store.read(lambda tx: (_resolve_inputs(tx, dependencies, "dependency"),
                           _resolve_inputs(tx, members, "member")))

    filestore.sweep_stale_staging(root)
    staging = root / filestore.STAGING / uuid.uuid4().hex
    placement = _Placement(staging)
    version_uid = uuid.uuid4().hex
    try:
        staged = filestore.stage(sources, staging) if sources else []
        if not sources:
            staging.mkdir(parents=True)
        chash = content_hash(staged)

        def work(tx: Transaction) -> dict[str, Any]:
            placement.restore()  # a retried attempt starts from the staged state
            now = datetime.now(timezone.utc)
            path = f"{project}/{asset}"
            tx.query("publish/ensure_asset", path=path, project=project, name=asset, kind=kind,
                     uid=uuid.uuid4().hex, user=who, now=now)
            locked = tx.query("publish/lock_asset", path=path, token=version_uid)[0]
            if locked["kind"] != kind:
                raise KindMismatchError(
                    f"legos:/{path} is a {locked['kind']}, not a {kind}: publish it with "
                    f"--kind {locked['kind']} or choose another name"
                )
            deps = _resolve_inputs(tx, dependencies, "dependency")
            mems = _resolve_inputs(tx, members, "member")
            number = tx.query("publish/next_number", path=path)[0]["number"]
            folder = version_folder(template, root, project, asset, kind, number)
            rel_folder = folder.relative_to(root).as_posix()
            tx.query("publish/create_version", asset_path=path, uid=version_uid,
                     key=f"{path}@{number}", number=number, status=chosen_status,
                     content_hash=chash, comment=comment, user=who, now=now)
            if staged:
                tx.query("publish/add_representations", uid=version_uid, reps=[
                    {"uid": uuid.uuid4().hex, "name": s.name, "path": f"{rel_folder}/{s.name}",
                     "format": guess_format(s.name), "size": s.size, "sha256": s.sha256}
                    for s in staged])
            if deps:
                _link(tx, "publish/add_dependencies", version_uid, "deps", deps)
            if mems:
                _link(tx, "publish/add_members", version_uid, "members", mems)
            placement.place(folder, root / filestore.ORPHANS)
            return {"uid": version_uid, "number": number}

        created = _write_with_retries(store, work)
    except BaseException:
        if placement.final is not None and not _version_exists(store, version_uid):
            placement.restore()
        raise
    finally:
        filestore.remove_tree(staging)
    return store.read(lambda tx: versions_by_uid(tx, [created["uid"]], root))[created["uid"]]


def _link(tx: Transaction, query: str, uid: str, param: str, rows: list[dict[str, str]]) -> None:
    """Create the edges; the inputs were checked, so a shortfall means one vanished meanwhile."""
    edges = [{k: v for k, v in r.items() if k != "uri"} for r in rows]
    linked = tx.query(query, uid=uid, **{param: edges})[0]["linked"]
    if linked != len(rows):
        raise VersionNotFoundError(
            f"an input of this publish no longer exists ({', '.join(r['uri'] for r in rows)}): "
            "check them and retry")


def _write_with_retries(store: GraphStore, work: Any) -> dict[str, Any]:
    for attempt in range(_CONFLICT_RETRIES):
        try:
            return store.write(work)
        except PublishConflictError:
            if attempt == _CONFLICT_RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def _version_exists(store: GraphStore, uid: str) -> bool:
    try:
        return bool(store.read(lambda tx: tx.query("versions/get", uids=[uid])))
    except Exception:
        return True  # cannot tell: leave the files rather than orphan a committed version
