"""The Folder index (schema 4, legos.folders): publish's nesting check probes it by key, so it
must hold every version's folder and the folders above them, whichever way the versions came
in: single and batch publishes, the schema 4 upgrade, an archive import, the test bulk loader.
On both backends."""

from __future__ import annotations

import pytest

import legos
import legos.api
from legos import folders
from legos.batch import PublishItem
from legos.errors import PublishFolderError
from legos.operations.archive_import import load_snapshot
from legos.operations.archive_read import open_archive
from legos.store import migrations, open_store
from legos.testing import generate
from legos.testing.bulk import bulk_load

NESTING = "{root}/{project}/{asset}/r{version}/{file}"  # lets an asset sit in a version folder
DEFAULT = "{root}/{project}/{asset}/v{version:03}/{file}"


def _index(store) -> list[dict[str, str]]:
    rows = store.read(lambda tx: tx.run("MATCH (f:Folder) RETURN f.path AS path, "
                                        "f.owner AS owner"))
    return sorted(rows, key=lambda r: r["path"])


def _derived(store) -> list[dict[str, str]]:
    versions = store.read(lambda tx: tx.query("folders/version_folders"))
    return folders.index_rows((v["uid"], v["folder"]) for v in versions)


def _populate(lg: legos.Legos, make_file) -> None:
    src = make_file("a.txt", "a")
    lg.publish("p", "chr/hero/model", kind="FileAsset", files=[src])
    lg.publish("p", "chr/hero/model", kind="FileAsset", files=[make_file("b.txt", "b")])
    results = lg.publish_many([PublishItem("p", "chr/hero/tex", "FileAsset", files=[src]),
                               PublishItem("q", "env/town", "FileAsset", files=[src]),
                               PublishItem("q", "env/town", "FileAsset", files=[src])])
    assert all(r.ok for r in results)
    lg.configure(template=NESTING)
    lg.publish("q", "lib/v001", kind="FileAsset", files=[src])  # folder q/lib/v001/r1
    lg.configure(template=DEFAULT)


def _refuses_nesting(lg: legos.Legos, make_file) -> None:
    """A version folder inside an existing one, and one holding existing ones, are refused
    (single and batch), each naming the version in the way."""
    lg.configure(template=NESTING)
    src = make_file("n.txt", "n")
    with pytest.raises(PublishFolderError, match=r"'p/chr/hero/model/v001/r1'.*"
                                                 r"'p/chr/hero/model/v001' of legos:/p/chr/"
                                                 r"hero/model\?version=1"):
        lg.publish("p", "chr/hero/model/v001", kind="FileAsset", files=[src])
    [inside] = lg.publish_many([PublishItem("q", "env/town/v002", "FileAsset", files=[src])])
    assert isinstance(inside.error, PublishFolderError)
    assert "legos:/q/env/town?version=2" in str(inside.error)
    lg.configure(template=DEFAULT)
    with pytest.raises(PublishFolderError, match=r"'q/lib/v001'.*'q/lib/v001/r1' of "
                                                 r"legos:/q/lib/v001\?version=1"):
        lg.publish("q", "lib", kind="FileAsset", files=[src])
    [holding] = lg.publish_many([PublishItem("q", "lib", "FileAsset", files=[src])])
    assert isinstance(holding.error, PublishFolderError)
    assert "'q/lib/v001/r1'" in str(holding.error)
    assert lg.info().versions == 6


def test_publishes_keep_the_index_of_every_version_folder(lg, make_file):
    _populate(lg, make_file)
    assert _index(lg.store) == _derived(lg.store)
    assert {"path": "p/chr/hero/model/v002", "owner": lg.show(
        "legos:/p/chr/hero/model?version=2").uid} in _index(lg.store)
    assert {"path": "p/chr", "owner": ""} in _index(lg.store)
    _refuses_nesting(lg, make_file)
    assert _index(lg.store) == _derived(lg.store)  # a refused publish adds nothing


def test_the_schema_4_upgrade_indexes_the_versions_of_before(lg, make_file):
    _populate(lg, make_file)
    lg.store.write(lambda tx: tx.run("MATCH (f:Folder) DELETE f"))  # a store of schema 3
    lg.store.write(lambda tx: tx.run("CREATE (:Folder {path: 'p', owner: ''})"))  # half filled
    migrations.STEPS[3](lg.store)
    assert _index(lg.store) == _derived(lg.store)
    migrations.STEPS[3](lg.store)  # again (a crash mid-upgrade reruns it): nothing changes
    assert _index(lg.store) == _derived(lg.store)
    _refuses_nesting(lg, make_file)


def test_an_import_rebuilds_the_index_from_the_versions(lg, make_file, store_location,
                                                        tmp_path):
    _populate(lg, make_file)
    digest = lg.digest()
    lg.export(tmp_path / "a.tar")
    lg.close()
    if store_location.startswith(("bolt", "neo4j")):  # one server: import into it again
        with open_store(store_location, schema=False) as store:
            store.wipe()
        target = store_location
    else:
        target = str(tmp_path / "copy")
    legos.api.import_archive(tmp_path / "a.tar", target, tmp_path / "copy-root")
    with legos.open(target) as copy:
        assert copy.digest() == digest
        assert _index(copy.store) == _derived(copy.store) and _index(copy.store)
        _refuses_nesting(copy, make_file)
        copy.store.wipe()
    # an archive's own Folder rows are not trusted: missing or wrong, the index is rebuilt
    snap = open_archive(tmp_path / "a.tar").snapshot
    snap.nodes["Folder"] = [{"path": "p/chr/hero/model/v001", "owner": ""}]
    with open_store(target, create=True) as store:
        load_snapshot(store, snap)
        assert _index(store) == _derived(store) and len(_index(store)) > 1


@pytest.mark.parametrize("beside_a_version", [False, True], ids=["empty", "batched"])
def test_the_bulk_loader_indexes_what_it_loads(lg, make_file, beside_a_version):
    graph = generate(0.002)
    if beside_a_version:  # a store that holds something takes the batched path
        lg.publish("other", "lib/note", kind="FileAsset", files=[make_file("n.txt", "n")])
    bulk_load(lg.store, graph)
    assert _index(lg.store) == _derived(lg.store)
    assert len(_index(lg.store)) > len(graph.versions)
    taken = graph.versions[0]
    lg.configure(template=NESTING)
    with pytest.raises(PublishFolderError, match=rf"{taken.asset}\?version={taken.number}"):
        lg.publish(taken.project, f"{taken.asset}/v{taken.number:03}", kind="FileAsset",
                   files=[make_file("x.txt", "x")])
