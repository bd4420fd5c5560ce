"""Backup, restore and moving between backends: `legos export`, `legos import`, `legos digest`
(legos.operations.archive_*, docs/archive-format.md), on both backends and across them."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest
from archive_edit import dropping, rewrite as _rewrite

import legos
import legos.api
from legos.errors import ArchiveError, ConfigError, ConflictError, LegosError
from legos.operations.archive_read import open_archive
from legos.store.schema import load as load_schema

REPO = Path(__file__).resolve().parent.parent
NEO4J = pytest.mark.neo4j

PROJECT_FILE = """\
schema = "legos.project"
version = 1

[metadata]
label = "Demo show"
fps = 24
frame_in = 1001
frame_out = 1100

[tasks.model]
label = "Modelling"

[assets."chr/skaarj"]
label = "Skaarj"
kind = "character"

[shots."seq010/sh0040"]
frame_in = 1001
frame_out = 1120
fps = 25.0
"""


def _file(folder: Path, name: str, content: bytes) -> Path:
    path = folder / "src" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def populate(lg: legos.Legos, folder: Path) -> dict[str, str]:
    """A small production with everything the graph can hold: a project definition, files,
    dependencies (one into another project), members, metadata, statuses, tags, an alias, a
    review and a pin set; and a project of its own beside it."""
    definition = folder / "demo.toml"
    definition.write_text(PROJECT_FILE)
    lg.create_project("demo", definition, user="ana")
    lib = lg.publish("lib", "tex/rust", kind="TextureAsset", user="ben",
                     files=[_file(folder, "rust.png", b"rust pixels")])
    albedo = lg.publish("demo", "chr/skaarj/tex/albedo", kind="TextureAsset", user="ana",
                        files=[_file(folder, "albedo.png", b"albedo v1")],
                        comment='first "pass"\nwith a newline, and commas\u2028\x85 and odd breaks')
    albedo2 = lg.publish("demo", "chr/skaarj/tex/albedo", kind="TextureAsset", user="ana",
                         files=[_file(folder, "albedo.png", b"albedo v2 \xff\x00")],
                         meta={"lod": 2, "ratio": 1.5, "note": "ünïcode ✓", "empty": ""})
    model = lg.publish("demo", "chr/skaarj/model", kind="ModelAsset", user="ana",
                       files=[_file(folder, "model.usda", b"#usda 1.0\n")])
    material = lg.publish("demo", "chr/skaarj/mtl/skin", kind="MaterialAsset", user="cy",
                          files=[_file(folder, "skin.usda", b"#usda 1.0\n")],
                          dependencies=[("albedo", albedo.uri), ("rust", lib.uri)],
                          provenance={"tool": "painter", "version": "9.1"})
    lookdev = lg.publish("demo", "chr/skaarj/lookdev", kind="LookDevPackage", user="cy",
                         members=[model.uri, ("skin", material.uri)])
    lg.set_meta("legos:/demo/chr/skaarj/model", {"dept": "model", "frames": [1001, 1100]},
                user="ana")
    lg.set_meta(albedo.uri, {"lod": 1}, user="ana")
    lg.set_status(albedo.uri, "deprecated", user="ana", note="superseded")
    lg.tag(albedo2.uri, "wip", colour="#ff0000", user="ana")
    lg.set_alias(albedo2.uri, "hero", user="ana")
    revision = lg.submit(lookdev.uri, note="turntable", user="cy")
    lg.review(revision.uid, "approved", note="lovely", user="dee")
    lg.pin(lookdev.uri, name="skaarj-look", user="ana")
    lg.publish("solo", "fx/smoke", kind="FileAsset", user="ana",
               files=[_file(folder, "smoke.vdb", b"smoke")])
    return {"lookdev": lookdev.uri, "albedo": albedo.uri, "material": material.uri,
            "lib": lib.uri}


def _other_store(direction: str, tmp_path: Path, request: pytest.FixtureRequest) -> tuple[str, str]:
    """(source, target) store locations for a direction like "embedded->neo4j"."""
    made = {}
    for side, name in zip(("source", "target"), direction.split("->"), strict=True):
        if name == "embedded":
            made[side] = str(tmp_path / f"{side}-store")
        else:
            from legos.store import open_store

            uri = request.getfixturevalue("neo4j_uri")
            with open_store(uri, schema=False) as store:
                store.wipe()
            made[side] = uri
    if made["source"] == made["target"]:
        pytest.skip("one Neo4j server: a neo4j->neo4j copy needs two databases")
    return made["source"], made["target"]


DIRECTIONS = ["embedded->embedded", pytest.param("embedded->neo4j", marks=NEO4J),
              pytest.param("neo4j->embedded", marks=NEO4J)]


def _tree(root: Path) -> dict[str, tuple[str, int]]:
    """Every file under a publish root but legos's own folder: path -> (sha256, mode bits)."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not rel.startswith(".legos"):
            out[rel] = (hashlib.sha256(path.read_bytes()).hexdigest(),
                        stat.S_IMODE(path.stat().st_mode))
    return out


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_round_trip_between_backends_keeps_digest_files_and_answers(direction, tmp_path, request):
    source, target = _other_store(direction, tmp_path, request)
    with legos.api.init(source, tmp_path / "publish") as lg:
        uris = populate(lg, tmp_path)
        digest = lg.digest()
        report = lg.export(tmp_path / "studio.tar", with_files=True)
        deps = {(r.uri, r.depth) for r in lg.dependencies(uris["lookdev"])}
        history = [(c.field, c.from_value, c.to_value) for c in lg.changes(uris["albedo"])]
    assert report.digest == digest and report.files == 6
    imported = legos.api.import_archive(tmp_path / "studio.tar", target, tmp_path / "copy")
    assert imported.files == 6 and not imported.took_over_root
    with legos.open(target) as copy:
        assert copy.digest() == digest
        assert {(r.uri, r.depth) for r in copy.dependencies(uris["lookdev"])} == deps
        assert [(c.field, c.from_value, c.to_value)
                for c in copy.changes(uris["albedo"])] == history
        assert copy.resolve(uris["albedo"]).path == str(
            tmp_path / "copy/demo/chr/skaarj/tex/albedo/v001/albedo.png")
        assert copy.meta("legos:/demo/chr/skaarj/model") == {"dept": "model",
                                                             "frames": [1001, 1100]}
        assert copy.project("demo").metadata.label == "Demo show"
        assert copy.select("demo/chr/skaarj/tex/albedo", "tag:hero").number == 2
        # the copy goes on as a store of its own: the next version, under the new root
        nxt = copy.publish("demo", "chr/skaarj/tex/albedo", kind="TextureAsset",
                           files=[_file(tmp_path, "albedo.png", b"albedo v3")])
        assert nxt.number == 3 and (tmp_path / "copy/demo/chr/skaarj/tex/albedo/v003").is_dir()
    # the files came back byte for byte, read-only, and the new root names the new store
    original = _tree(tmp_path / "publish")
    copied = _tree(tmp_path / "copy")
    del copied["demo/chr/skaarj/tex/albedo/v003/albedo.png"]
    assert copied == original and all(mode & 0o222 == 0 for _, mode in copied.values())
    marker = json.loads((tmp_path / "copy/.legos/root.json").read_text())
    source_marker = json.loads((tmp_path / "publish/.legos/root.json").read_text())
    assert marker["root_id"] != source_marker["root_id"]


def test_digest_changes_with_the_content(lg, tmp_path):
    populate(lg, tmp_path)
    before = lg.digest()
    assert lg.digest() == before
    lg.set_meta("legos:/solo/fx/smoke", {"dept": "fx"}, user="ana")
    assert lg.digest() != before


def test_import_refuses_a_store_that_holds_anything(lg, tmp_path):
    populate(lg, tmp_path)
    lg.export(tmp_path / "a.tar")
    with pytest.raises(ConflictError, match=r"already holds .* import only into an empty store"):
        legos.api.import_archive(tmp_path / "a.tar", lg.store.location, tmp_path / "elsewhere")
    assert lg.show("legos:/solo/fx/smoke?version=1").number == 1  # untouched


def test_import_into_a_store_made_by_init_takes_its_root(lg, tmp_path, store_location):
    with legos.api.init(tmp_path / "src", tmp_path / "src-root") as source:
        populate(source, tmp_path)
        digest = source.digest()
        source.export(tmp_path / "a.tar", with_files=True)
    report = legos.api.import_archive(tmp_path / "a.tar", store_location)
    assert report.root == str(tmp_path / "publish")  # what the lg fixture's init recorded
    assert lg.digest() == digest
    assert (tmp_path / "publish/solo/fx/smoke/v001/smoke.vdb").read_bytes() == b"smoke"


@pytest.mark.parametrize("field, value, said", [
    ("format_version", 2, "archive format version 2, newer than this legos"),
    ("schema_version", 99, "schema version 99, newer than this legos's"),
])
def test_an_archive_from_a_newer_legos_is_refused(lg, tmp_path, field, value, said):
    populate(lg, tmp_path)
    lg.export(tmp_path / "a.tar")
    newer = _rewrite(tmp_path / "a.tar", tmp_path / "newer.tar",
                     manifest_edit=lambda m: m.update({field: value, "legos_version": "9.0"}))
    target = tmp_path / "target"
    with pytest.raises(ArchiveError, match=said + r".*legos 9\.0; upgrade legos"):
        legos.api.import_archive(newer, target, tmp_path / "root2")
    assert not target.exists() and not (tmp_path / "root2").exists()


def test_an_archive_of_schema_1_is_imported_then_upgraded(lg, tmp_path):
    """A store of schema 1 had no asset `folded`, version `folder` or `entry`: the upgrade
    steps fill them in after the import, and the result is the graph the new legos makes."""
    populate(lg, tmp_path)
    digest = lg.digest()
    lg.export(tmp_path / "a.tar")

    strip = dropping({"nodes/Asset.jsonl": ("folded",),
                      "nodes/Version.jsonl": ("folder", "entry")})

    def older(manifest: dict) -> None:
        manifest["schema_version"] = 1
        for key in ("root_id", "schema_version"):
            manifest["meta"].pop(key, None)

    old = _rewrite(tmp_path / "a.tar", tmp_path / "v1.tar", older, strip)
    report = legos.api.import_archive(old, tmp_path / "upgraded", tmp_path / "root2")
    assert report.upgraded and report.schema_version == 1
    with legos.open(tmp_path / "upgraded") as up:
        assert up.info().schema_version == load_schema().version
        assert up.digest() == digest


def test_a_project_export_holds_its_part_and_refuses_what_it_would_cut(lg, tmp_path):
    uris = populate(lg, tmp_path)
    with pytest.raises(ConflictError, match=r"versions of demo use versions of lib .*"
                       r"--project demo --project lib"):
        lg.export(tmp_path / "demo.tar", projects=["demo"])
    assert not (tmp_path / "demo.tar").exists()
    both = lg.export(tmp_path / "demo.tar", projects=["demo", "lib"], with_files=True)
    assert both.digest == lg.digest(["demo", "lib"]) != lg.digest()
    archive = open_archive(tmp_path / "demo.tar")
    try:
        nodes = archive.snapshot.nodes
        assert {a["project"] for a in nodes["Asset"]} == {"demo", "lib"}
        assert {p["code"] for p in nodes["Project"]} == {"demo", "lib"}
        assert len(nodes["PinSet"]) == 1 and len(nodes["Revision"]) == 1
        assert {u["name"] for u in nodes["User"]} == {"ana", "ben", "cy"}  # dee only reviewed
        assert nodes["Entry"] and nodes["ProjectLoad"]
    finally:
        archive.close()
    legos.api.import_archive(tmp_path / "demo.tar", tmp_path / "offline", tmp_path / "root2")
    with legos.open(tmp_path / "offline") as offline:
        assert offline.digest(["demo", "lib"]) == both.digest
        assert offline.digest() == both.digest  # nothing else came along
        assert [a.path for a in offline.assets("solo")] == []
        assert offline.resolve(uris["material"]).path.startswith(str(tmp_path / "root2"))
    solo = lg.export(tmp_path / "solo.tar", projects=["solo"])
    assert solo.nodes and solo.digest == lg.digest(["solo"])


def test_import_with_files_checks_every_hash_and_leaves_nothing_when_one_is_wrong(lg, tmp_path):
    populate(lg, tmp_path)
    lg.export(tmp_path / "a.tar", with_files=True)

    def corrupt(name: str, data: bytes) -> bytes:
        return b"albedo v9" if name.endswith("albedo/v001/albedo.png") else data

    bad = _rewrite(tmp_path / "a.tar", tmp_path / "bad.tar", member_edit=corrupt)
    target = tmp_path / "target"
    with pytest.raises(ArchiveError, match=r"albedo/v001/albedo\.png with size 9 .* damaged"):
        legos.api.import_archive(bad, target, tmp_path / "root2")
    assert not target.exists()
    assert [p for p in (tmp_path / "root2").rglob("*") if p.is_file()] == []


def test_restoring_onto_the_same_root_takes_it_over(tmp_path):
    """The store is lost, the root is not: the import keeps the root (its marker names the
    archived store), and brings back a file that went missing since."""
    with legos.api.init(tmp_path / "s", tmp_path / "publish") as lg:
        populate(lg, tmp_path)
        digest = lg.digest()
        lg.export(tmp_path / "backup.tar", with_files=True)
    smoke = tmp_path / "publish/solo/fx/smoke/v001/smoke.vdb"
    os.chmod(smoke.parent, 0o755)
    smoke.unlink()
    report = legos.api.import_archive(tmp_path / "backup.tar", tmp_path / "restored",
                                      tmp_path / "publish")
    assert report.took_over_root and report.files == 1
    with legos.open(tmp_path / "restored") as lg:
        assert lg.digest() == digest
        assert Path(lg.resolve("legos:/solo/fx/smoke?version=1").path).read_bytes() == b"smoke"


def test_a_root_of_another_store_is_refused(lg, tmp_path):
    populate(lg, tmp_path)
    lg.export(tmp_path / "a.tar")
    with legos.api.init(tmp_path / "other", tmp_path / "other-root"):
        pass
    with pytest.raises(ConfigError, match="already the publish root of another legos store"):
        legos.api.import_archive(tmp_path / "a.tar", tmp_path / "t", tmp_path / "other-root")
    assert not (tmp_path / "t").exists()


@pytest.mark.parametrize("damage", [
    b"", b"not a tar at all", "truncated", "no-manifest", "manifest-not-json", "bad-row",
    "dangling-edge", "escaping-path", "wrong-type", "unknown-label",
])
def test_a_damaged_archive_is_an_archive_error_and_writes_nothing(lg, tmp_path, damage):
    populate(lg, tmp_path)
    lg.export(tmp_path / "a.tar")
    path = tmp_path / "bad.tar"
    original = (tmp_path / "a.tar").read_bytes()

    def rows(name: str, edit):
        def member(member_name: str, data: bytes) -> bytes:
            if member_name != name:
                return data
            lines = [json.loads(x) for x in data.decode().split("\n") if x]
            edit(lines)
            return "".join(json.dumps(x) + "\n" for x in lines).encode()
        return member

    if isinstance(damage, bytes):
        path.write_bytes(damage)
    elif damage == "truncated":
        path.write_bytes(original[: len(original) // 2])
    elif damage == "no-manifest":
        with tarfile.open(path, "w"):
            pass
    elif damage == "manifest-not-json":
        _rewrite(tmp_path / "a.tar", path, member_edit=lambda n, d: b"{" if n == "manifest.json"
                 else d)
    elif damage == "bad-row":
        _rewrite(tmp_path / "a.tar", path, member_edit=lambda n, d: d + b"[1,2\n"
                 if n == "nodes/Asset.jsonl" else d)
    elif damage == "dangling-edge":
        _rewrite(tmp_path / "a.tar", path, member_edit=rows(
            "relationships/DEPENDS_ON/Version-Version.jsonl",
            lambda lines: lines[0].update({"to": "no-such-version"})))
    elif damage == "escaping-path":
        _rewrite(tmp_path / "a.tar", path, member_edit=rows(
            "nodes/Representation.jsonl",
            lambda lines: lines[0].update({"path": "../../etc/passwd"})))
    elif damage == "wrong-type":
        _rewrite(tmp_path / "a.tar", path, member_edit=rows(
            "nodes/Version.jsonl", lambda lines: lines[0].update({"number": "1"})))
    elif damage == "unknown-label":
        _rewrite(tmp_path / "a.tar", path, manifest_edit=lambda m: m["tables"].append(
            {"kind": "nodes", "label": "Evil`) DETACH DELETE n //", "file": "x", "rows": 0}))
    target = tmp_path / "target"
    with pytest.raises(ArchiveError):
        legos.api.import_archive(path, target, tmp_path / "root2")
    assert not target.exists() and not (tmp_path / "root2").exists()


def test_cli_export_import_digest(run, tmp_path, make_file, store_location):
    run("publish", "demo/prop/chair", "--kind", "ModelAsset", "--file",
        str(make_file("chair.usda", "#usda 1.0\n")), "--meta", "lod=1")
    digest = run("digest").output.strip()
    assert len(digest) == 64
    done = json.loads(run("export", "--with-files", "-o", str(tmp_path / "a.tar.gz"),
                          "--json").output)
    assert done["digest"] == digest and done["files"] == 1
    target = str(tmp_path / "copy")
    imported = json.loads(run("import", str(tmp_path / "a.tar.gz"), "--store", target, "--root",
                              str(tmp_path / "copy-root"), "--json").output)
    assert imported["files"] == 1 and imported["backend"] == "embedded"
    assert run("digest", "--store", target).output.strip() == digest
    refused = run("import", str(tmp_path / "a.tar.gz"), "--store", target, ok=False)
    assert refused.exit_code == 1
    assert "import only into an empty store" in refused.stderr
    assert run("digest", "--project", "demo").output.strip() == digest


# -- export while publishing ----------------------------------------------------------------

PUBLISHER = """
import sys, legos
from pathlib import Path
store, root, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
src = Path(root).parent / "pub-src.txt"
src.write_text("x")
with legos.open(store) as lg:
    previous = None
    for i in range(count):
        deps = [previous.uri] if previous else []
        asset = f"chr/a{i % 3}/tex"
        previous = lg.publish("busy", asset, kind="FileAsset", files=[src], user="bot",
                              dependencies=deps, comment=f"{i}")
        if i % 4 == 0:
            lg.set_status(previous.uri, "approved", user="bot")
        print(i, flush=True)
"""


def _check_whole(path: Path) -> int:
    archive = open_archive(path)  # every relationship's ends are in it, or this raises
    try:
        snap = archive.snapshot
        numbers: dict[str, list[int]] = {}
        for v in snap.nodes["Version"]:
            numbers.setdefault(f"{v['project']}/{v['asset']}", []).append(v["number"])
        for asset in snap.nodes["Asset"]:
            got = sorted(numbers.get(asset["path"], []))
            assert got == list(range(1, asset["version_count"] + 1)), (asset["path"], got)
        versions = {v["uid"] for v in snap.nodes["Version"]}
        with_asset = {s for (rel, _, _), rows in snap.rels.items() if rel == "VERSION_OF"
                      for s, _, _ in rows}
        assert versions == with_asset
        return len(versions)
    finally:
        archive.close()


def test_export_while_another_process_publishes_is_whole(store_location, tmp_path):
    with legos.api.init(store_location, tmp_path / "publish") as lg:
        lg.publish("busy", "seed", kind="FileAsset", files=[_file(tmp_path, "s.txt", b"s")])
    env = {**os.environ, "LEGOS_USER": "bot", "PYTHONPATH": str(REPO)}
    publisher = subprocess.Popen(
        [sys.executable, "-c", PUBLISHER, store_location, str(tmp_path / "publish"), "40"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    sizes = []
    try:
        assert publisher.stdout.readline()  # it is publishing
        with legos.open(store_location) as lg:
            for n in range(4):
                lg.export(tmp_path / f"snap{n}.tar")
                sizes.append(_check_whole(tmp_path / f"snap{n}.tar"))
                time.sleep(0.2)
    finally:
        _out, err = publisher.communicate(timeout=300)
    assert publisher.returncode == 0, err[-2000:]
    assert sizes == sorted(sizes) and sizes[0] >= 2  # later snapshots hold more
    with legos.open(store_location) as lg:
        lg.export(tmp_path / "final.tar")
    assert _check_whole(tmp_path / "final.tar") == 41


def test_every_error_from_reading_is_a_legos_error(tmp_path):
    """The archive reader's contract (the hypothesis fuzzing in the security tests relies on
    it): arbitrary bytes give an ArchiveError, nothing else."""
    import random

    rng = random.Random(7)
    for n in range(30):
        path = tmp_path / f"junk{n}.tar"
        path.write_bytes(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000))))
        with pytest.raises(LegosError):
            open_archive(path).close()


def test_a_read_committed_snapshot_is_cut_back_to_whole_publishes():
    """What Neo4j's export does with a publish that committed between its table reads: the
    version read past its asset's counter, its file and its edges go; the rest stays."""
    from datetime import datetime, timezone

    from legos.operations.archive_export import consistent_cut
    from legos.operations.archive_tables import Snapshot

    at = datetime(2026, 1, 5, tzinfo=timezone.utc)
    snap = Snapshot(schema_version=3)
    snap.nodes["Project"] = [{"code": "p", "created_at": at}]
    snap.nodes["Asset"] = [{"path": "p/a", "uid": "A", "project": "p", "name": "a",
                            "version_count": 2}]
    snap.nodes["Version"] = [{"uid": f"v{n}", "project": "p", "asset": "a", "number": n}
                             for n in (1, 2, 3)]
    snap.nodes["Representation"] = [{"uid": "r3", "path": "p/a/v003/f"}]
    snap.nodes["Change"] = [{"uid": "c9", "field": "status"}]  # its edge was not read yet
    snap.rels[("IN_PROJECT", "Asset", "Project")] = [("p/a", "p", {})]
    snap.rels[("VERSION_OF", "Version", "Asset")] = [(f"v{n}", "p/a", {}) for n in (1, 2, 3)]
    snap.rels[("DEPENDS_ON", "Version", "Version")] = [("v2", "v1", {"role": "x"}),
                                                       ("v3", "v2", {"role": "x"})]
    snap.rels[("HAS_REPRESENTATION", "Version", "Representation")] = [("v3", "r3", {})]
    snap.rels[("CHANGE_OF", "Change", "Version")] = []
    dropped = consistent_cut(snap)
    assert [v["uid"] for v in snap.nodes["Version"]] == ["v1", "v2"]
    assert snap.nodes["Representation"] == [] and snap.nodes["Change"] == []
    assert snap.rels[("DEPENDS_ON", "Version", "Version")] == [("v2", "v1", {"role": "x"})]
    assert [r[0] for r in snap.rels[("VERSION_OF", "Version", "Asset")]] == ["v1", "v2"]
    assert dropped == 6  # v3, its file, the change, and v3's three edges


def test_archive_benchmark_prints_its_records_on_a_tiny_graph(tmp_path):
    """benchmarks/archive.py runs end to end (no timed assertion: the figures are for notes)."""
    pytest.importorskip("networkx")
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "archive.py"), "--size", "0.01",
         "--backend", "embedded", "--repeat", "1", "--json", "--work-dir", str(tmp_path / "w")],
        capture_output=True, text=True, timeout=300, cwd=REPO / "benchmarks")
    assert done.returncode == 0, done.stderr[-3000:]
    [record] = json.loads(done.stdout)
    assert {"name", "backend", "size", "median_s", "ratio_vs_networkx"} <= set(record)
    assert (record["name"], record["backend"], record["size"]) == ("import", "embedded", 0.01)
    assert record["median_s"] > 0 and record["ratio_vs_networkx"] > 0
