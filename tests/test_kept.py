"""What publish keeps for the whole-graph questions (schema 4, legos.kept): each asset's fan-in
counts and each version's earliest input must equal their recomputation from the whole graph
(the edge count of analytics/reuse, each version's closure walk, networkx), whichever way the
versions came in: single and batch publishes, the schema 4 upgrade (also of a store written by
an old release), an archive import (of schema 4 and of schema 3, and of one project's part),
the test bulk loader. On both backends."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import networkx as nx
import pytest
from archive_edit import dropping, rewrite

import legos
import legos.api
from legos.analytics import iterations, reuse
from legos.analytics.params import NO_LIMIT
from legos.batch import PublishItem
from legos.store import migrations, open_store
from legos.testing import generate
from legos.testing.bulk import bulk_load

FUTURE = datetime(2100, 1, 1, tzinfo=timezone.utc)
UNSET = ("MATCH (a:Asset) SET a.used_by_assets = NULL, a.used_by_versions = NULL",
         "MATCH (v:Version) SET v.earliest_input_at = NULL")


def _kept(store) -> tuple[dict[str, tuple[int, int]], dict[str, datetime]]:
    assets = store.read(lambda tx: tx.run(
        "MATCH (a:Asset) RETURN a.path AS path, a.used_by_assets AS a, a.used_by_versions AS v"))
    versions = store.read(lambda tx: tx.run(
        "MATCH (v:Version) RETURN v.uid AS uid, v.earliest_input_at AS at"))
    return ({r["path"]: (r["a"], r["v"]) for r in assets if r["a"] is not None or r["v"]},
            {r["uid"]: _utc(r["at"]) for r in versions if r["at"] is not None})


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def _recomputed(store) -> tuple[dict[str, tuple[int, int]], dict[str, datetime]]:
    """The same from the whole graph: analytics/reuse's count over every edge (as of a time
    after the newest version, where it is not read from the kept counts) and each version's
    closure walk (analytics.iterations), the latter checked against networkx."""
    rows = store.read(lambda tx: tx.query("analytics/reuse", project="", kind="", by="assets",
                                          top=NO_LIMIT, as_of=FUTURE))
    counts = {f"{r['project']}/{r['asset']}": (r["user_assets"], int(r["user_versions"]))
              for r in rows}
    walked = {i.uid: i.earliest_at for i in store.read(lambda tx: iterations(tx, as_of=FUTURE))}
    edges = store.read(lambda tx: tx.run(
        "MATCH (u:Version)-[:DEPENDS_ON|CONTAINS]->(x:Version) RETURN u.uid AS u, x.uid AS x"))
    created = {r["uid"]: _utc(r["at"]) for r in store.read(lambda tx: tx.run(
        "MATCH (v:Version) RETURN v.uid AS uid, v.created_at AS at"))}
    graph = nx.DiGraph((r["u"], r["x"]) for r in edges)
    assert walked == {u: min(created[x] for x in nx.descendants(graph, u))
                      for u in graph if graph.out_degree(u)}
    return counts, walked


def _exact(store) -> tuple[dict[str, tuple[int, int]], dict[str, datetime]]:
    kept = _kept(store)
    assert kept == _recomputed(store)
    # reuse at or after the newest version reads the kept counts: the whole-graph answer
    every = store.read(lambda tx: tx.query("analytics/reuse", project="", kind="", by="versions",
                                           top=NO_LIMIT, as_of=FUTURE))
    now = store.read(lambda tx: reuse(tx, top=0, by="versions", as_of=FUTURE))
    assert [(r.project, r.asset, r.kind, r.version, r.user_assets, r.user_versions)
            for r in now] == [(r["project"], r["asset"], r["kind"], r["version"],
                               r["user_assets"], int(r["user_versions"])) for r in every]
    return kept


def _populate(lg: legos.Legos, make_file) -> dict[str, str]:
    tex = lg.publish("p", "tex/rust", kind="TextureAsset", files=[make_file("a.png", "a")])
    tex2 = lg.publish("p", "tex/rust", kind="TextureAsset", files=[make_file("b.png", "b")])
    m1 = lg.publish("p", "chr/model", kind="ModelAsset", files=[make_file("m.usda", "1")],
                    dependencies=[tex.uri])
    m2 = lg.publish("p", "chr/model", kind="ModelAsset", files=[make_file("m.usda", "2")],
                    dependencies=[tex2.uri, m1.uri])  # its own asset's version: not a use
    look = lg.publish("p", "chr/look", kind="LookDevPackage", members=[m2.uri, ("t", tex.uri)])
    lg.publish("q", "sh010/pkg", kind="ShotPackage", members=[look.uri],
               dependencies=[tex2.uri])
    # inputs of its own asset only: no use to count (and no empty list sent to the engine)
    lg.publish("p", "tex/rust", kind="TextureAsset", files=[make_file("c.png", "c")],
               dependencies=[tex2.uri])
    return {"tex": tex.uri, "model": m2.uri, "look": look.uri}


def test_single_publishes_keep_fan_in_and_earliest_inputs(lg, make_file):
    uris = _populate(lg, make_file)
    counts, earliest = _exact(lg.store)
    # tex: used by model (v1, v2), look and the shot; model by look; look by the shot
    assert counts == {"p/tex/rust": (3, 4), "p/chr/model": (1, 1), "p/chr/look": (1, 1)}
    tex = lg.show(uris["tex"])
    assert earliest[lg.show(uris["look"]).uid] == tex.created_at
    # a publish that repeats the latest and is skipped changes nothing
    lg.publish("q", "sh010/pkg", kind="ShotPackage", members=[uris["look"]],
               dependencies=["legos:/p/tex/rust?version=2"], skip_unchanged=True)
    assert _exact(lg.store) == (counts, earliest)


def test_a_batch_keeps_them_in_order_with_its_inner_dependencies(lg, make_file):
    uris = _populate(lg, make_file)
    src = make_file("x.txt", "x")
    results = lg.publish_many([
        PublishItem("p", "tex/moss", "TextureAsset", files=[src]),
        PublishItem("p", "chr/model", "ModelAsset", files=[src],
                    dependencies=["legos:/p/tex/moss?version=1", uris["tex"]]),
        PublishItem("p", "chr/model", "ModelAsset", files=[make_file("y.txt", "y")],
                    dependencies=["legos:/p/tex/moss?version=1"]),   # a second use: not first
        PublishItem("q", "sh020/pkg", "ShotPackage",
                    members=["legos:/p/chr/model?version=4", uris["look"]]),
        PublishItem("q", "sh010/pkg", "ShotPackage",                  # the store's shot again
                    members=[uris["look"], "legos:/p/chr/model?version=3"]),
    ], chunk=3)
    assert all(r.ok for r in results), [r.error for r in results]
    counts, earliest = _exact(lg.store)
    assert counts["p/tex/moss"] == (1, 2) and counts["p/chr/look"] == (2, 3)
    assert counts["p/chr/model"] == (3, 3)  # the look, sh020 v1, sh010 v2 (direct uses only)
    shot = lg.show("legos:/q/sh020/pkg?version=1")
    assert earliest[shot.uid] == lg.show(uris["tex"]).created_at


def test_the_schema_4_upgrade_fills_them_for_the_versions_of_before(lg, make_file):
    _populate(lg, make_file)
    expected = _exact(lg.store)
    for text in UNSET:  # a store of schema 3
        lg.store.write(lambda tx, text=text: tx.run(text))
    assert _kept(lg.store) == ({}, {})
    migrations.STEPS[3](lg.store)
    assert _exact(lg.store) == expected
    migrations.STEPS[3](lg.store)  # again (a crash mid-upgrade reruns it): nothing changes
    assert _exact(lg.store) == expected


def test_a_store_of_an_old_release_is_upgraded_with_them(store_location, tmp_path):
    from test_publish_safety import _OLD_PUBLISHES, _old_release

    old = _old_release(tmp_path)
    done = subprocess.run([sys.executable, "-c", _OLD_PUBLISHES, store_location,
                           str(tmp_path / "publish"), str(tmp_path / "src")],
                          capture_output=True, text=True, cwd=old,
                          env={**os.environ, "PYTHONPATH": str(old)})
    assert done.returncode == 0, done.stderr[-2000:]
    with legos.open(store_location) as lg:
        counts, earliest = _exact(lg.store)
        # tex used by the model's two versions; the model by the look
        assert counts == {"show/chr/Knight/tex": (1, 2), "show/chr/Knight/model": (1, 1)}
        assert len(earliest) == 3


def _target(store_location: str, tmp_path: Path, name: str) -> str:
    if store_location.startswith(("bolt", "neo4j")):  # one server: import into it again
        with open_store(store_location, schema=False) as store:
            store.wipe()
        return store_location
    return str(tmp_path / name)


def _as_schema_3(archive: Path, out: Path) -> Path:
    """The archive as schema 3 wrote it: no kept values (its Folder rows are not read)."""
    gone = {"nodes/Asset.jsonl": ("used_by_assets", "used_by_versions"),
            "nodes/Version.jsonl": ("earliest_input_at",)}

    def manifest(doc: dict) -> None:
        doc["schema_version"] = 3
        doc["meta"].pop("schema_version", None)

    return rewrite(archive, out, manifest, dropping(gone))


@pytest.mark.parametrize("schema", [4, 3])
def test_an_import_carries_or_fills_them(lg, make_file, store_location, tmp_path, schema):
    _populate(lg, make_file)
    expected, digest = _exact(lg.store), lg.digest()
    lg.export(tmp_path / "a.tar")
    lg.close()
    archive = tmp_path / "a.tar" if schema == 4 else _as_schema_3(tmp_path / "a.tar",
                                                                tmp_path / "v3.tar")
    target = _target(store_location, tmp_path, "copy")
    report = legos.api.import_archive(archive, target, tmp_path / "copy-root")
    assert report.upgraded == (schema == 3)
    with legos.open(target) as copy:
        assert _exact(copy.store) == expected
        assert copy.digest() == digest


def test_a_project_export_counts_only_the_users_it_holds(lg, make_file, store_location,
                                                         tmp_path):
    _populate(lg, make_file)  # project q's shot uses p's look and texture
    lg.export(tmp_path / "p.tar", projects=["p"])
    lg.close()
    target = _target(store_location, tmp_path, "part")
    legos.api.import_archive(tmp_path / "p.tar", target, tmp_path / "part-root")
    with legos.open(target) as part:
        counts, _ = _exact(part.store)
        assert counts == {"p/tex/rust": (2, 3), "p/chr/model": (1, 1)}


@pytest.mark.parametrize("beside_a_version", [False, True], ids=["empty", "batched"])
def test_the_bulk_loader_fills_them(lg, make_file, beside_a_version):
    graph = generate(0.002)
    if beside_a_version:  # a store that holds something takes the batched path
        _populate(lg, make_file)
    bulk_load(lg.store, graph)
    counts, earliest = _exact(lg.store)
    # and against the generator's own edges (plain Python over the synthetic graph)
    users: dict[str, set[str]] = {}
    by_uid = graph.version_by_uid
    for e in graph.edges:
        source, target = by_uid[e.source], by_uid[e.target]
        if source.asset_uid != target.asset_uid:
            users.setdefault(f"{target.project}/{target.asset}", set()).add(e.source)
    synthetic = {p: (len({f"{by_uid[u].project}/{by_uid[u].asset}" for u in us}), len(us))
                 for p, us in users.items()}
    assert {p: c for p, c in counts.items() if p in synthetic} == synthetic
    assert len(earliest) >= len({e.source for e in graph.edges})
