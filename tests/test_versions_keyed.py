"""Several versions by uid (catalog.versions_by_uid): on LadybugDB, up to a hundred are read one
keyed query each (its UNWIND of uids joins whole tables); both ways give the same versions."""

from __future__ import annotations

from legos import catalog


def _three(lg, make_file):
    tex = lg.publish("demo", "lib/tex/rust", kind="TextureAsset",
                     files=[make_file("rust.png"), make_file("rust_n.png")], user="ben")
    mat = lg.publish("demo", "chr/a/mtl/skin", kind="MaterialAsset",
                     files=[make_file("a.usda")], dependencies=[tex.uri], user="cleo")
    lg.tag(mat.uri, "hero", user="cleo")
    lg.set_meta(mat.uri, {"shader": "pbr"}, user="cleo")
    bare = lg.publish("demo", "chr/a/notes", kind="MaterialAsset", files=[make_file("n.usda")],
                      user="cleo")
    return [tex.uid, mat.uid, bare.uid]


def test_a_few_versions_are_read_by_key_and_equal_the_batch(lg, make_file, modules_asked,
                                                            monkeypatch):
    uids = _three(lg, make_file)
    modules_asked.clear()
    keyed = lg.store.read(lambda tx: catalog.versions_by_uid(tx, uids, None))
    if lg.store.dialect == "ladybug":
        assert modules_asked == ["versions/one"] * 3
    monkeypatch.setattr(catalog, "_KEYED_AT_MOST", 0)
    batch = lg.store.read(lambda tx: catalog.versions_by_uid(tx, uids, None))
    assert keyed == batch
    assert keyed[uids[1]].tags == ("hero",) and keyed[uids[1]].meta == {"shader": "pbr"}
    assert [r.name for r in keyed[uids[0]].representations] == ["rust.png", "rust_n.png"]
