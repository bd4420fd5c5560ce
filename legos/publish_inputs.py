"""Exact versions named by a publish's inputs, looked up the cheapest way each backend has.

Over Bolt every query is a round trip, so all explicit versions go in one query; in-process
(LadybugDB) a keyed probe per input costs a fraction of a millisecond, where the batch query
joins whole tables and only pays off for many inputs. Inside `remembered()` (a batch publish)
a version found once is not looked up again: published versions never change or go away.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Callable, Iterator
from typing import Any, TypeVar, cast

from legos.errors import LegosError
from legos.store.base import Transaction

BATCH_FROM = 64  # embedded: inputs from which one batch query beats a keyed probe each
Key = tuple[str, int | None]
F = TypeVar("F", bound=Callable[..., Any])
_known: contextvars.ContextVar[dict[Key, dict[str, Any]] | None] = contextvars.ContextVar(
    "legos_known_versions", default=None)
_versions: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "legos_known_version_objects", default=None)
# versions a batch's prime did not find (most are versions of the batch itself, not yet
# written): its validators take them as absent, as a lookup in their own read would
_absent: contextvars.ContextVar[set[Key] | None] = contextvars.ContextVar(
    "legos_absent_versions", default=None)


@contextlib.contextmanager
def remembered() -> Iterator[None]:
    """Within the block, exact_versions remembers what it found (never what it did not: a
    version may be published meanwhile), and `known_versions()` keeps Version objects read
    for their files (a version's files and their facts never change)."""
    token, token_versions, token_absent = _known.set({}), _versions.set({}), _absent.set(set())
    try:
        yield
    finally:
        _known.reset(token)
        _versions.reset(token_versions)
        _absent.reset(token_absent)


def remembering(function: F) -> F:
    """`function` run inside `remembered()`: a single publish looks each input up once for
    its validators, its check before copying and its write."""
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with remembered():
            return function(*args, **kwargs)
    return cast(F, wrapper)


def known_versions() -> dict[str, Any] | None:
    """Version objects by uid read inside `remembered()` (None outside): for their files only,
    since status, tags and metadata may change."""
    return _versions.get()


def known_exact(wanted: list[dict[str, Any]], *, primed: bool = False
                ) -> dict[Key, dict[str, Any]] | None:
    """What `exact_versions` would answer for `wanted`, without a transaction, when inside
    `remembered()` every one of them was found before (else None: ask the store). With
    `primed`, those a batch's `prime` did not find count as absent (left out of the answer)
    instead of unknown."""
    known, absent = _known.get(), _absent.get() if primed else None
    if known is None:
        return None
    keys = [(w["path"], w["number"]) for w in wanted]
    if any(k not in known and (absent is None or k not in absent) for k in keys):
        return None
    return {k: known[k] for k in keys if k in known}


def all_known(uris: list[Any]) -> bool:
    """Whether every URI names an explicit version found before inside `remembered()` (so
    publish's resolution of them needs no transaction)."""
    from legos.uri import parse_reference

    try:
        parsed = [parse_reference(u) for u in uris]
    except LegosError:
        return False  # said by the resolution, with its own message
    if any(u.version is None for u in parsed):
        return False
    return known_exact([{"path": u.path, "number": u.version} for u in parsed]) is not None


def prime(tx: Transaction, wanted: list[dict[str, Any]], root: Any) -> None:
    """Inside `remembered()`: look up every input of a batch at once, and read the versions of
    texture inputs (which the texture_colorspace validator reads) in one batch."""
    found = exact_versions(tx, wanted)
    absent = _absent.get()
    if absent is not None:
        absent.update((w["path"], w["number"]) for w in wanted
                      if (w["path"], w["number"]) not in found)
    store = _versions.get()
    textures = sorted({row["uid"] for row in found.values() if row["kind"] == "TextureAsset"})
    if store is not None and textures:
        store.update(read_file_versions(tx, textures, root))


def read_versions(tx: Transaction, uids: list[str], root: Any) -> dict[str, Any]:
    """Versions by uid: in-process one keyed query each (versions_by_uid's batch queries
    join whole tables on LadybugDB: 0.4 s each at 100k nodes, even for one uid), over Bolt
    the batch (four queries) from a few on."""
    from legos.catalog import versions_by_uid

    if tx.dialect == "ladybug" or len(uids) <= 3:
        out: dict[str, Any] = {}
        for uid in uids:
            out.update(versions_by_uid(tx, [uid], root))
        return out
    return versions_by_uid(tx, uids, root)


def read_file_versions(tx: Transaction, uids: list[str], root: Any) -> dict[str, Any]:
    """Versions by uid for their files only (what the validators read of texture inputs): no
    tags nor metadata (those may change; a read of the version answers them). Their fields in
    one query of keyed lookups; their files one keyed query each in-process (an UNWIND of uids
    followed by a relationship joins whole tables on LadybugDB: versions/one, which also
    reads tags and metadata, took 1 ms a version at 100k nodes, these 0.3 ms), over Bolt all
    in one query."""
    from legos.catalog import _representation
    from legos.model import Version, VersionStatus

    if not uids:  # never an empty list to LadybugDB
        return {}
    files: dict[str, list[dict[str, Any]]] = {uid: [] for uid in uids}
    if tx.dialect == "ladybug":
        for row in (r for uid in uids for r in tx.query("versions/files_of", uid=uid)):
            files[row["uid"]].append(row)
        versions = tx.query("versions/get", uids=uids)
    else:
        versions = tx.query("versions/get_with_files", uids=uids)
        for row in versions:
            files[row["uid"]] = [f for f in row["files"] if f.get("name")]
    return {row["uid"]: Version(
        uid=row["uid"], project=row["project"], asset=row["asset"], kind=row["kind"],
        number=row["number"], status=VersionStatus(row["status"]),
        content_hash=row["content_hash"], comment=row["comment"] or "",
        created_by=row["created_by"], created_at=row["created_at"],
        representations=tuple(sorted((_representation(f, root) for f in files[row["uid"]]),
                                     key=lambda r: r.name)),
        tags=(), entry=row.get("entry") or None, provenance=None, meta={})
        for row in versions}


def exact_versions(tx: Transaction, wanted: list[dict[str, Any]]) -> dict[Key, dict[str, Any]]:
    """{(path, number): {uid, kind, ...}} for each `{path, number}` of `wanted` that exists;
    absent ones are simply missing (the caller names them)."""
    known = _known.get()
    keys = {(w["path"], w["number"]): w for w in wanted}
    ask = list(keys.values()) if known is None else [w for k, w in keys.items()
                                                     if k not in known]
    found = _look_up(tx, ask)
    if known is None:
        return found
    known.update(found)
    return {k: known[k] for k in keys if k in known}


def _look_up(tx: Transaction, wanted: list[dict[str, Any]]) -> dict[Key, dict[str, Any]]:
    if not wanted:  # never an empty list to LadybugDB (typed as strings: `w.path` fails)
        return {}
    if tx.dialect != "ladybug" or len(wanted) > BATCH_FROM:
        rows = tx.query("versions/select_exact", wanted=wanted)
    else:
        rows = [row for w in wanted
                for row in tx.query("publish/input_version", path=w["path"],
                                    number=w["number"])]
    return {(row["path"], row["number"]): row for row in rows}
