"""What publish keeps for the whole-graph questions (schema 4): each asset's fan-in counts
(`used_by_assets`, `used_by_versions`: what reuse ranks by) and each version's
`earliest_input_at` (what iteration means read), kept by every publish and filled for
what came before (the schema 3 -> 4 upgrade, archive import, the test bulk loader).

Published versions never change, so a version's earliest input is final once written and the
counts only grow. An asset nothing uses keeps null counts, a version without inputs a null
earliest input: a store filled here and one published version by version hold the same values.
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, NamedTuple

from legos.store.base import Transaction

if TYPE_CHECKING:
    from legos.operations.archive_tables import Snapshot
    from legos.store.base import GraphStore

INPUTS = ("DEPENDS_ON", "CONTAINS")
_BATCH = 10_000


class Kept(NamedTuple):
    """The kept values of a whole graph: earliest input by version uid, (using assets, using
    versions) by asset path (absent: none)."""

    earliest: dict[str, datetime]
    counts: dict[str, tuple[int, int]]


def compute(versions: Mapping[str, tuple[str, datetime]],
            inputs: Mapping[str, Sequence[str]]) -> Kept:
    """The kept values from every version's (asset path, created_at) by uid and its direct
    inputs' uids: the same answers as the whole-graph queries (analytics/reuse and the
    iteration pass), from one pass over the edges."""
    created = {uid: at for uid, (_, at) in versions.items()}
    earliest = earliest_inputs({u: list(xs) for u, xs in inputs.items() if xs}, created)
    assets: dict[str, set[str]] = defaultdict(set)
    users: dict[str, set[str]] = defaultdict(set)
    for uid, used in inputs.items():
        mine = versions[uid][0]
        for x in used:
            theirs = versions[x][0]
            if theirs != mine:
                assets[theirs].add(mine)
                users[theirs].add(uid)
    return Kept(earliest, {p: (len(assets[p]), len(users[p])) for p in assets})


def earliest_inputs(inputs: dict[str, list[str]], created: dict[str, datetime]
                     ) -> dict[str, datetime]:
    """For each version with inputs, the earliest creation among its inputs, transitively."""
    order = sorted(inputs, key=created.__getitem__)
    earliest: dict[str, datetime] = {}
    # the earliest instant reached through a version: its own, or its earliest input's
    reach = {uid: at for uid, at in created.items() if uid not in inputs}
    try:
        # oldest first: an input is older than its user, so it has been reached already
        for uid in order:
            first = earliest[uid] = min(map(reach.__getitem__, inputs[uid]))
            reach[uid] = min(first, created[uid])
        return earliest
    except KeyError:  # an input recorded as newer than its user (a clock step): iterate
        reach = dict(created)
        changed = True
        while changed:
            changed = False
            for uid in order:
                first = min(map(reach.__getitem__, inputs[uid]))
                if earliest.get(uid) != first:
                    earliest[uid], changed = first, True
                    reach[uid] = min(first, created[uid])
        return earliest


# -- at publish ----------------------------------------------------------------------------

def keep_published(tx: Transaction, uid: str, path: str, inputs: Iterable[Mapping[str, Any]]
                   ) -> None:
    """In a publish's write transaction, after the new version `uid` of the asset at `path`
    and its edges to `inputs` (rows with the input's uid) are written: its earliest input, and
    the counts of the assets it uses. A few keyed queries, not one: LadybugDB plans the single
    query that does it all as joins of whole tables (30 ms at 100k nodes, 1-2 ms this way)."""
    keep_batch(tx, [(uid, path, [x["uid"] for x in inputs])], now=None)


def keep_batch(tx: Transaction, written: Sequence[tuple[str, str, Sequence[str]]],
               now: datetime | None) -> None:
    """The same for the versions a transaction wrote, (uid, asset path, input uids) each, in
    publish order (an input may be a version written before it here; those have created_at
    `now`). The earlier uses of each asset are read from the store without the new versions."""
    written = [w for w in written if w[2]]
    if not written:
        return
    new = {uid: path for uid, path, _ in written}
    outside = sorted({x for _, _, xs in written for x in xs if x not in new})
    found = {r["uid"]: r for r in tx.query("kept/inputs", uids=outside)} if outside else {}
    reach: dict[str, tuple[datetime, str]] = {}  # uid -> (earliest reach, asset path)
    for uid, row in found.items():
        at, first = _created(row["created_at"]), _utc(row["earliest_input_at"])
        reach[uid] = (min(at, first) if first is not None else at, row["path"])
    before = _earlier_uses(tx, sorted(set(new.values())), sorted(new))
    earliest: list[dict[str, Any]] = []
    uses: dict[str, list[int]] = {}
    for uid, path, xs in written:
        first = min(reach[x][0] for x in xs)
        earliest.append({"uid": uid, "at": first})
        reach[uid] = (min(first, now) if now is not None else first, path)
        for used in sorted({reach[x][1] for x in xs} - {path}):
            counts = uses.setdefault(used, [0, 0])
            counts[1] += 1
            if used not in before.setdefault(path, set()):
                counts[0] += 1
                before[path].add(used)
    tx.query("kept/set_earliest", versions=earliest)
    if uses:  # versions that use only their own asset's (LadybugDB types an empty list badly)
        tx.query("kept/add_uses", uses=[{"path": p, "assets": a, "versions": v}
                                        for p, (a, v) in sorted(uses.items())])


def _earlier_uses(tx: Transaction, paths: list[str], new: list[str]) -> dict[str, set[str]]:
    """The assets each asset's versions other than `new` use. LadybugDB: one keyed query per
    asset (a list of them is joined against whole tables); Neo4j: one query."""
    out: dict[str, set[str]] = defaultdict(set)
    if tx.dialect == "ladybug":
        rows = [r for p in paths for r in tx.query("kept/earlier_uses_of", path=p, new=new)]
    else:
        rows = tx.query("kept/earlier_uses", paths=paths, new=new)
    for r in rows:
        out[r["path"]].add(r["used"])
    return out


def _created(value: datetime) -> datetime:
    """A created_at, which every version has, in UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def _utc(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=timezone.utc)


# -- filled for what came before -----------------------------------------------------------

def fill_snapshot(snap: Snapshot) -> None:
    """Set the kept values of every Version and Asset row of `snap` from its own edges (a
    synthetic graph, or a part of a store whose counts named users left out)."""
    rows = snap.nodes.get("Version", [])
    versions = {v["uid"]: (f"{v['project']}/{v['asset']}", v["created_at"]) for v in rows}
    inputs: dict[str, list[str]] = defaultdict(list)
    for (rel, source, target), items in snap.rels.items():
        if rel in INPUTS and source == target == "Version":
            for user, used, _ in items:
                inputs[user].append(used)
    kept = compute(versions, inputs)
    for v in rows:
        _put(v, "earliest_input_at", kept.earliest.get(v["uid"]))
    for a in snap.nodes.get("Asset", []):
        counts = kept.counts.get(a["path"])
        _put(a, "used_by_assets", counts[0] if counts else None)
        _put(a, "used_by_versions", counts[1] if counts else None)


def _put(row: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        row.pop(key, None)  # a snapshot row leaves a null property out
    else:
        row[key] = value


def fill_store(store: GraphStore) -> None:
    """Compute the kept values of every version and asset of `store` (one read of every
    version and its direct inputs) and write them. LadybugDB: through a staging table loaded by
    COPY and joined on the key (`UNWIND $rows MATCH (v {uid: r.uid}) SET` took 76 s for 44k
    versions at 100k nodes); Neo4j: keyed batches."""
    names, rows = store.read(lambda tx: tx.table("analytics/iteration_inputs"))
    if not rows:
        return
    uid, project, asset, at, xs = (names.index(n) for n in (
        "uid", "project", "asset", "created_at", "inputs"))
    kept = compute({r[uid]: (f"{r[project]}/{r[asset]}", _created(r[at])) for r in rows},
                   {r[uid]: r[xs] for r in rows if r[xs]})
    earliest = sorted(kept.earliest.items())
    counts = sorted((p, a, v) for p, (a, v) in kept.counts.items())
    if store.dialect == "ladybug":
        _fill_ladybug(store, earliest, counts)
        return
    def write(module: str, name: str, rows: list[dict[str, Any]]) -> None:
        store.write(lambda tx: tx.query(module, **{name: rows}))

    for start in range(0, len(earliest), _BATCH):
        write("kept/set_earliest", "versions",
              [{"uid": u, "at": t} for u, t in earliest[start:start + _BATCH]])
    for start in range(0, len(counts), _BATCH):
        write("kept/set_uses", "uses", [{"path": p, "assets": a, "versions": v}
                                        for p, a, v in counts[start:start + _BATCH]])


def _fill_ladybug(store: GraphStore, earliest: list[tuple[str, datetime]],
                  counts: list[tuple[str, int, int]]) -> None:
    from legos.operations.archive_import import _COPY_OPTIONS, _csv_text

    with tempfile.TemporaryDirectory(prefix="legos-kept-") as scratch:
        versions, assets = (os.path.join(scratch, n) for n in ("versions.csv", "assets.csv"))
        if "'" in scratch:
            from legos.errors import ConfigError

            raise ConfigError(f"the temporary folder {scratch} has a quote in its path: set "
                              "TMPDIR to a plain folder")
        with open(versions, "w", encoding="utf-8", newline="") as out:
            out.writelines(f"{_csv_text(u)},{_csv_text(t)}\n" for u, t in earliest)
        with open(assets, "w", encoding="utf-8", newline="") as out:
            out.writelines(f"{_csv_text(p)},{a},{v}\n" for p, a, v in counts)

        def work(tx: Transaction) -> None:
            # fixed DDL and file names made here: nothing from input reaches the text
            tx.run("CREATE NODE TABLE KeptVersion(uid STRING, at TIMESTAMP, PRIMARY KEY (uid))")
            tx.run("CREATE NODE TABLE KeptAsset(path STRING, assets INT64, versions INT64, "
                   "PRIMARY KEY (path))")
            if earliest:
                tx.run(f"COPY KeptVersion FROM '{versions}' ({_COPY_OPTIONS})")
                tx.query("kept/set_earliest_staged")
            if counts:
                tx.run(f"COPY KeptAsset FROM '{assets}' ({_COPY_OPTIONS})")
                tx.query("kept/set_uses_staged")
            tx.run("DROP TABLE KeptVersion")
            tx.run("DROP TABLE KeptAsset")

        store.write(work)
