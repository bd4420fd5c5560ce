"""Batch publishing (`Legos.publish_many`) on both backends: gap-free numbers, inputs made
earlier in the same batch, a failing version left out whole while the others are published,
chunks, and single publishes running beside a batch."""

from __future__ import annotations

import threading
from pathlib import Path

from legos.batch import PublishItem
from legos.errors import (
    KindMismatchError,
    PublishFolderError,
    PublishValidationError,
    VersionNotFoundError,
)
from legos.hooks import Finding, hookimpl, register, unregister


def _folders(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("v0*") if p.is_dir())


def _versions(lg) -> int:
    return lg.store.read(lambda tx: tx.run("MATCH (v:Version) RETURN count(v) AS n"))[0]["n"]


def test_publish_many_numbers_versions_gap_free_and_links_earlier_items(lg, make_file):
    src = make_file("a.txt", "a")
    items = [PublishItem("demo", "tex/albedo", "FileAsset", files=[src], comment=f"t{i}")
             for i in range(3)]
    items.append(PublishItem("demo", "mtl/skin", "FileAsset", files=[src],
                             dependencies=[("texture", "legos:/demo/tex/albedo?version=2")]))
    items.append(PublishItem("demo", "look", "LookDevPackage",
                             members=["legos:/demo/mtl/skin?version=1"]))
    results = lg.publish_many(items, chunk=2)
    assert [r.error for r in results] == [None] * 5
    assert [r.version.uri for r in results] == [
        "legos:/demo/tex/albedo?version=1", "legos:/demo/tex/albedo?version=2",
        "legos:/demo/tex/albedo?version=3", "legos:/demo/mtl/skin?version=1",
        "legos:/demo/look?version=1"]
    assert [r.version.comment for r in results[:3]] == ["t0", "t1", "t2"]
    deps = lg.dependencies("legos:/demo/mtl/skin?version=1")
    assert [(d.uri, d.role) for d in deps] == [("legos:/demo/tex/albedo?version=2", "texture")]
    assert [m.uri for m in lg.contents("legos:/demo/look?version=1")] == [
        "legos:/demo/mtl/skin?version=1"]
    published = Path(results[0].version.representations[0].path)
    assert published.read_text() == "a"
    assert _folders(lg.root) == ["demo/look/v001", "demo/mtl/skin/v001", "demo/tex/albedo/v001",
                                 "demo/tex/albedo/v002", "demo/tex/albedo/v003"]


def test_a_failing_version_is_left_out_whole_and_the_others_are_published(lg, make_file):
    src = make_file("m.obj", "v 0 0 0\n")
    lg.publish("demo", "prop/chair", kind="ModelAsset", files=[src])
    items = [
        PublishItem("demo", "prop/table", "ModelAsset", files=[src]),
        PublishItem("demo", "prop/chair", "FileAsset", files=[src]),          # kind mismatch
        PublishItem("demo", "prop/lamp", "ModelAsset", files=[src],
                    dependencies=["legos:/demo/prop/nothing?version=1"]),      # missing input
        PublishItem("demo", "prop/table", "ModelAsset", files=[src]),
        PublishItem("demo", "prop/rug", "ModelAsset", files=[src],             # on a failed one
                    dependencies=["legos:/demo/prop/lamp?version=1"]),
        PublishItem("demo", "prop/chair", "ModelAsset", files=[src], number=3),  # it gets 2
    ]
    results = lg.publish_many(items)
    assert [r.ok for r in results] == [True, False, False, True, False, False]
    assert isinstance(results[1].error, KindMismatchError)
    assert isinstance(results[2].error, VersionNotFoundError)
    assert isinstance(results[4].error, VersionNotFoundError)
    assert "version 2, not 3" in str(results[5].error)
    assert [r.version.uri for r in results if r.ok] == [
        "legos:/demo/prop/table?version=1", "legos:/demo/prop/table?version=2"]
    assert _versions(lg) == 3  # chair 1 (before), table 1 and 2: nothing of the failed ones
    assert _folders(lg.root) == ["demo/prop/chair/v001", "demo/prop/table/v001",
                                 "demo/prop/table/v002"]
    assert [h.version for h in lg.history("legos:/demo/prop/chair")] == [1]
    assert lg.publish("demo", "prop/chair", kind="ModelAsset", files=[src]).number == 2
    staging = lg.root / ".legos/staging"
    assert not staging.exists() or list(staging.iterdir()) == []


def test_a_refused_validation_fails_its_item_only(lg, make_file):
    src = make_file("a.txt", "a")

    class NoEmptyComment:
        @hookimpl
        def validate_publish(self, request):
            if not request.comment:
                yield Finding("error", "say what changed")

    name = register(NoEmptyComment(), "no_empty_comment")
    try:
        results = lg.publish_many([
            PublishItem("demo", "a", "FileAsset", files=[src], comment="ok"),
            PublishItem("demo", "a", "FileAsset", files=[src]),
            PublishItem("demo", "a", "FileAsset", files=[src], comment="again")])
    finally:
        unregister(name)
    assert [r.ok for r in results] == [True, False, True]
    assert isinstance(results[1].error, PublishValidationError)
    assert [r.version.number for r in results if r.ok] == [1, 2]


def test_single_publishes_beside_a_batch_keep_numbers_unique_and_gap_free(lg, make_file):
    src = make_file("a.txt", "a")
    items = [PublishItem("demo", "shared", "FileAsset", files=[src], user="batch")
             for _ in range(30)]
    singles: list[int] = []
    failures: list[BaseException] = []

    def publish_singles() -> None:
        try:
            for _ in range(10):
                singles.append(lg.publish("demo", "shared", kind="FileAsset", files=[src],
                                          user="single").number)
        except BaseException as exc:  # reported below, with the numbers
            failures.append(exc)

    thread = threading.Thread(target=publish_singles)
    thread.start()
    results = lg.publish_many(items, chunk=7)
    thread.join()
    assert failures == []
    batch = [r.version.number for r in results]
    assert all(r.ok for r in results)
    assert sorted(batch + singles) == list(range(1, 41))
    assert batch == sorted(batch)  # a batch's versions keep its order
    assert len(_folders(lg.root)) == 40


def test_publish_many_of_nothing_and_of_skipped_unchanged(lg, make_file):
    assert lg.publish_many([]) == []
    src = make_file("a.txt", "a")
    first = lg.publish("demo", "same", kind="FileAsset", files=[src])
    [result] = lg.publish_many([PublishItem("demo", "same", "FileAsset", files=[src],
                                            skip_unchanged=True)])
    assert result.ok and result.skipped and result.version == first
    assert _versions(lg) == 1


def test_a_batch_version_whose_folder_would_hold_another_fails_alone(lg, make_file):
    lg.configure(template="{root}/{project}/{asset}/r{version}/{file}")
    older = lg.publish("p", "a/v001", kind="FileAsset", files=[make_file("old.txt", "keep")])
    lg.configure(template="{root}/{project}/{asset}/v{version:03}/{file}")
    src = make_file("new.txt", "new")
    results = lg.publish_many([PublishItem("p", "b", "FileAsset", files=[src]),
                               PublishItem("p", "a", "FileAsset", files=[src]),
                               PublishItem("p", "c", "FileAsset", files=[src])])
    assert [r.ok for r in results] == [True, False, True]
    assert isinstance(results[1].error, PublishFolderError)
    assert "'p/a/v001/r1'" in str(results[1].error)
    assert Path(older.representations[0].path).read_text() == "keep"
    assert sorted(a.path for a in lg.assets()) == ["p/a/v001", "p/b", "p/c"]


def test_a_batch_answers_each_version_as_the_store_shows_it(lg, make_file, tmp_path):
    make_file("pkg/look.usda", "#usda 1.0\n")
    make_file("pkg/notes.txt", "n")
    results = lg.publish_many([
        PublishItem("demo", "look", "FileAsset", files=[tmp_path / "src/pkg"],
                    entry="look.usda", comment="with all", user="ana", status="approved",
                    provenance={"tool": "bench", "n": 1}, meta={"frame_in": 1001, "dept": "lgt"}),
        PublishItem("demo", "look", "FileAsset", files=[make_file("b.txt", "b")])])
    for result in results:
        assert result.version == lg.show(result.version.uri)
    assert results[0].version.meta == {"dept": "lgt", "frame_in": 1001}
    assert results[0].version.entry == "look.usda"


def test_an_asset_is_linked_to_its_project_once_by_single_and_batch_publishes(lg, make_file):
    src = make_file("a.txt", "a")
    lg.publish("demo", "one", kind="FileAsset", files=[src])
    lg.publish("demo", "one", kind="FileAsset", files=[src])
    lg.publish_many([PublishItem("demo", "two", "FileAsset", files=[src]),
                     PublishItem("demo", "one", "FileAsset", files=[src]),
                     PublishItem("demo", "two", "FileAsset", files=[src])])
    rows = lg.store.read(lambda tx: tx.run(
        "MATCH (a:Asset)-[:IN_PROJECT]->(p:Project) RETURN a.path AS path, p.code AS code"))
    assert sorted((r["path"], r["code"]) for r in rows) == [("demo/one", "demo"),
                                                            ("demo/two", "demo")]
