"""Pin sets: freeze everything a package or shot uses into exact versions, store that in the
graph (who, when, which versions, in which scope) and write it as a manifest.

One scope holds one version per asset. When a closure reaches two versions of one asset, the
one nearest the source wins (then the newer) and the others are reported as conflicts; to keep
both (a crowd on the old costume next to the hero on the new one), include a second pin set
under its own scope.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from legos.catalog import select_uid
from legos.errors import InvalidInputError, NotFoundError, VersionNotFoundError
from legos.model.representation import THUMBNAIL
from legos.pins.manifest import Manifest, ManifestError, Pin, PinnedFile
from legos.store.base import GraphStore, Transaction
from legos.uri import AssetURI

_BATCH = 5000
_KEYED_BATCH = 20000  # a join of a list with a table per batch: fewer, larger ones cost less


class PinSetNotFoundError(NotFoundError):
    pass


@dataclass
class PinResult:
    manifest: Manifest
    conflicts: list[str] = field(default_factory=list)   # versions left out, one line each
    # pinned versions made from (or holding) another version of a pinned asset, one line each
    mismatches: list[str] = field(default_factory=list)


def _pins_for(tx: Transaction, uids: list[str],
              known: dict[str, tuple[str, int, str, str | None]] | None = None
              ) -> dict[str, Pin]:
    """Pins (with files) for version uids, in batches so a 10k-asset shot stays one pass.
    `known` holds (asset path, number, kind, entry) of versions already read (the closure
    gives them): only the others' fields are read again."""
    fields = dict(known or {})
    files: dict[str, dict[str, PinnedFile]] = {u: {} for u in uids}
    unknown = [u for u in uids if u not in fields]
    for start in range(0, len(unknown), _BATCH):
        for r in tx.query("versions/get", uids=unknown[start:start + _BATCH]):
            fields[r["uid"]] = (f"{r['project']}/{r['asset']}", r["number"], r["kind"],
                                r["entry"])
    for start in range(0, len(uids), _KEYED_BATCH):
        for row in tx.query("pins/files", uids=uids[start:start + _KEYED_BATCH]):
            if row["role"] != THUMBNAIL:  # the farm renders content, never thumbnails
                files[row["uid"]][row["name"]] = PinnedFile(row["path"], row["sha256"])
    return {uid: Pin(fields[uid][0], fields[uid][1], uid, fields[uid][2], files[uid],
                     fields[uid][3] or None)
            for uid in uids if uid in fields}


def _closure(tx: Transaction, source: AssetURI
             ) -> tuple[list[tuple[int, str, int, str]],
                        dict[str, tuple[str, int, str, str | None]]]:
    """(depth, asset path, version, uid) of the source version and of everything it uses, each
    version once at its shortest depth; and each one's (asset path, number, kind, entry).
    Engines that walk breadth-first with depths (LadybugDB) return versions with `depth`; the
    others return columns of every version with its direct inputs, walked here."""
    uid = select_uid(tx, source)
    names, rows = tx.table("pins/closure", uid=uid)  # lists, not a dict per version
    if "uids" in names:
        return _walk(uid, dict(zip(names, rows[0], strict=True)))
    start = tx.query("versions/get", uids=[uid])[0]
    path = f"{start['project']}/{start['asset']}"
    fields = {uid: (path, start["number"], start["kind"], start["entry"])}
    reached = [(0, path, start["number"], uid)]
    if rows:
        at = [names.index(n) for n in ("uid", "asset", "number", "kind", "entry", "depth")]
        for version, asset, number, kind, entry, depth in ([r[i] for i in at] for r in rows):
            fields[version] = (asset, number, kind, entry)
            reached.append((depth, asset, number, version))
    return reached, fields


def _walk(uid: str, columns: dict[str, list[Any]]
          ) -> tuple[list[tuple[int, str, int, str]],
                     dict[str, tuple[str, int, str, str | None]]]:
    """_closure's answer from columns of versions and their direct inputs: breadth-first from
    `uid`, each version at its shortest depth."""
    uids = columns["uids"]
    fields = dict(zip(uids, zip(columns["assets"], columns["numbers"], columns["kinds"],
                                columns["entries"], strict=True), strict=True))
    inputs = dict(zip(uids, columns["inputs"], strict=True))
    reached = [(0, fields[uid][0], fields[uid][1], uid)]
    seen = {uid}
    frontier = [uid]
    depth = 0
    while frontier:
        depth += 1
        following = []
        for near in frontier:
            for version in inputs[near]:
                if version not in seen:
                    seen.add(version)
                    reached.append((depth, fields[version][0], fields[version][1], version))
                    following.append(version)
        frontier = following
    return reached, fields


def build(tx: Transaction, source: AssetURI, *, name: str, user: str, root: str,
          select: str = "exact", scope: str = "", allow_missing: bool = False,
          includes: Sequence[tuple[str, Manifest]] = ()) -> PinResult:
    """Build (not yet store) the manifest pinning everything `source` uses."""
    reached, fields = _closure(tx, source)
    # nearest first, then newest: the first version met of each asset is the one pinned
    reached.sort(key=lambda r: (r[0], r[1], -r[2]))
    chosen: dict[str, str] = {}
    conflicts = []
    for depth, asset, number, uid in reached:
        if asset not in chosen:
            chosen[asset] = uid
        elif chosen[asset] != uid:
            conflicts.append(f"legos:/{asset}?version={number} (depth {depth}) is also used; "
                             "the nearer version is pinned")
    if select != "exact":
        from legos.selection import parse_selector, select_many

        picked = select_many(tx, sorted(chosen), parse_selector(select))
        missing = sorted(set(chosen) - set(picked))
        if missing and not allow_missing:
            shown = ", ".join(f"legos:/{m}" for m in missing[:5])
            raise VersionNotFoundError(
                f"{len(missing)} asset(s) have no version matching {select!r} ({shown}"
                f"{', ...' if len(missing) > 5 else ''}): fix them, or keep their recorded "
                "versions with --allow-missing")
        chosen.update(picked)
    pins = _pins_for(tx, list(chosen.values()), fields)
    mismatches = _mismatches(tx, chosen, pins) if select != "exact" else []
    manifest = Manifest(name=name, uid=uuid.uuid4().hex, created_by=user,
                        created_at=datetime.now(timezone.utc).isoformat(), root=root,
                        source=str(source), select=select)
    for pin in pins.values():
        manifest.add(pin, scope)
    for inner_scope, inner in sorted(includes, key=lambda i: i[0]):
        _include(manifest, inner, inner_scope)  # in scope order: the graph can rebuild it
    return PinResult(manifest, conflicts, mismatches)


def _mismatches(tx: Transaction, chosen: dict[str, str], pins: dict[str, Pin]) -> list[str]:
    """A selector picks each asset's version on its own: a material v1 may come out beside
    texture v2 although it was made from texture v1. Say so for every such pair."""
    out = []
    uids = list(pins)
    for start in range(0, len(uids), _BATCH):
        for row in tx.query("pins/inputs", uids=uids[start:start + _BATCH]):
            asset = f"{row['project']}/{row['asset']}"
            pinned = chosen.get(asset)
            if pinned is not None and pinned != row["input"]:
                verb = "was made from" if row["how"] == "made from" else "holds"
                out.append(f"{pins[row['uid']].uri} {verb} legos:/{asset}?version="
                           f"{row['number']}, but v{pins[pinned].version} is pinned")
    return sorted(out)


def _include(outer: Manifest, inner: Manifest, scope: str) -> None:
    if not scope:
        raise InvalidInputError(
            f"including pin set {inner.name!r} needs a scope (e.g. crowd=manifest.json), so its "
            "versions can live beside the outer ones")
    if any(i["scope"] == scope for i in outer.includes):
        raise InvalidInputError(
            f"two pin sets are included under scope {scope!r}: give each its own scope")
    if Path(inner.root).resolve() != Path(outer.root).resolve():
        raise InvalidInputError(
            f"pin set {inner.name!r} resolves below {inner.root}, not {outer.root}: include "
            "only pin sets of the same publish root")
    for inner_scope, pin in inner.pins():
        outer.add(pin, f"{scope}/{inner_scope}" if inner_scope else scope)
    outer.includes.append({"scope": scope, "name": inner.name, "uid": inner.uid,
                           "hash": inner.content_hash()})


def record(store: GraphStore, manifest: Manifest, content_hash: str | None = None) -> None:
    """Store the pin set in the graph: who, when, which versions in which scopes, nesting."""
    content_hash = content_hash or manifest.content_hash()
    by_scope: dict[str, list[str]] = {}
    for scope, pin in manifest.pins():
        by_scope.setdefault(scope, []).append(pin.uid)
    includes = [{"uid": i["uid"], "scope": i["scope"]} for i in manifest.includes]

    def work(tx: Transaction) -> None:
        tx.query("pins/create", uid=manifest.uid, name=manifest.name, user=manifest.created_by,
                 now=datetime.fromisoformat(manifest.created_at), hash=content_hash,
                 source=manifest.source, select=manifest.select, root=manifest.root)
        for scope, uids in by_scope.items():
            for start in range(0, len(uids), _KEYED_BATCH):
                tx.query("pins/add_pins", uid=manifest.uid, scope=scope,
                         versions=uids[start:start + _KEYED_BATCH])
        if includes:
            tx.query("pins/add_includes", uid=manifest.uid, includes=includes)

    store.write(work)


def find(tx: Transaction, key: str) -> dict[str, Any]:
    """The recorded pin set with uid `key`, or the only one named `key`."""
    rows = tx.query("pins/find", key=key)
    exact = [r for r in rows if r["uid"] == key]
    if exact:
        return exact[0]
    if not rows:
        raise PinSetNotFoundError(
            f"no pin set {key!r} is recorded in this store: give a pin set's uid or name (a "
            "manifest's \"uid\" and \"name\")")
    if len(rows) > 1:
        shown = ", ".join(f"{r['uid']} ({r['created_at']:%Y-%m-%d %H:%M} by {r['created_by']})"
                          for r in rows[:5])
        raise PinSetNotFoundError(f"{len(rows)} pin sets are named {key!r}: give one's uid: {shown}")
    return rows[0]


def rebuild(tx: Transaction, key: str, roots: Sequence[str]) -> Manifest:
    """The manifest of a recorded pin set, rebuilt from the graph: the very document (same
    hash) written when it was pinned, naming the root it was pinned under (pin sets recorded
    before schema 2 do not say: each of `roots` is tried, and the hash tells the right one)."""
    found = find(tx, key)
    if found.get("root"):
        roots = [found["root"]]
    by_scope: dict[str, list[str]] = defaultdict(list)
    for row in tx.query("pins/pinned", uid=found["uid"]):
        by_scope[row["scope"]].append(row["uid"])
    pins = _pins_for(tx, sorted({u for uids in by_scope.values() for u in uids}))
    created = found["created_at"].astimezone(timezone.utc)
    manifest = Manifest(name=found["name"], uid=found["uid"], created_by=found["created_by"],
                        created_at=created.isoformat(), root="", source=found["source"],
                        select=found["selector"])
    for scope, uids in by_scope.items():
        for uid in uids:
            manifest.add(pins[uid], scope)
    manifest.includes = sorted(
        ({"scope": r["scope"], "name": r["name"], "uid": r["uid"], "hash": r["hash"]}
         for r in tx.query("pins/included", uid=found["uid"])), key=lambda i: i["scope"])
    for root in roots:
        manifest.root = root
        if manifest.content_hash() == found["hash"]:
            return manifest
    raise ManifestError(
        f"pin set {found['uid']} ({found['name']!r}) cannot be rebuilt as it was written: "
        f"under {', '.join(roots)} its hash is not the recorded {found['hash'][:19]}. Was it "
        "pinned under another mount of the publish root? pass that as --root; otherwise it "
        "nests pin sets or versions of another store, and only its manifest file holds them")


def diff(a: Manifest, b: Manifest) -> list[dict[str, Any]]:
    """What changed from pin set `a` to `b`: added, removed and re-versioned pins per scope."""
    before = {(scope, pin.asset): pin for scope, pin in a.pins()}
    after = {(scope, pin.asset): pin for scope, pin in b.pins()}
    out = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if old and new and old.version == new.version:
            continue
        change = "added" if old is None else "removed" if new is None else "changed"
        out.append({"scope": key[0], "asset": key[1], "change": change,
                    "from_version": old.version if old else None,
                    "to_version": new.version if new else None,
                    "uri": f"legos:/{key[1]}"})
    return out

