"""Metadata on assets and versions, on both backends: set at publish (in its transaction) or
later (every change recorded), shown, and found by `ls --where` terms."""

from __future__ import annotations

import json

import pytest

from legos import catalog
from legos.errors import AssetNotFoundError, InvalidInputError, InvalidURIError, NotFoundError

SHOT = "legos:/demo/seq/sh010/anim"


def metadata_nodes(lg) -> int:
    return lg.store.read(lambda tx: tx.run("MATCH (m:Metadata) RETURN count(m) AS n"))[0]["n"]


@pytest.fixture
def shot(lg, make_file):
    return lg.publish("demo", "seq/sh010/anim", kind="FileAsset", files=[make_file("a.usd")],
                      meta={"frame_in": 1001, "label": "Hero shot", "fps": 23.976,
                            "cams": ["main", "wide"], "approved": False}, user="ana")


# -- at publish -----------------------------------------------------------------------------

def test_publish_keeps_json_values_and_plain_text(run, make_file):
    source = make_file("a.usd")
    run("publish", "demo/seq/sh010/anim", "--kind", "FileAsset", "--file", str(source),
        "--meta", "frame_in=1001", "--meta", "fps=23.976", "--meta", "label=Hero shot",
        "--meta", 'cams=["main","wide"]', "--meta", 'size={"w":2048,"h":858}',
        "--meta", "approved=true", "--meta", 'code="007"', "--meta", "take=007",
        "--meta", "empty=")
    shown = json.loads(run("show", SHOT, "--json").stdout)
    assert shown["meta"] == {"frame_in": 1001, "fps": 23.976, "label": "Hero shot",
                             "cams": ["main", "wide"], "size": {"w": 2048, "h": 858},
                             "approved": True, "code": "007", "take": "007", "empty": ""}
    text = run("show", SHOT).stdout
    assert "meta frame_in" in text and "Hero shot" in text and '["main", "wide"]' in text


def test_publish_meta_is_on_the_version_it_made(lg, shot, make_file):
    assert shot.meta == {"frame_in": 1001, "label": "Hero shot", "fps": 23.976,
                         "cams": ["main", "wide"], "approved": False}
    assert lg.show(shot.uri).meta == shot.meta
    second = lg.publish("demo", "seq/sh010/anim", kind="FileAsset",
                        files=[make_file("a.usd", "v2")])
    assert second.meta == {}  # metadata is a version's own, never inherited
    assert lg.meta("legos:/demo/seq/sh010/anim") == {}  # nor the asset's


def test_a_failed_publish_leaves_no_metadata(lg, make_file, monkeypatch):
    from legos import publish

    def fail(self, final):
        raise OSError(28, "No space left on device", str(final))

    monkeypatch.setattr(publish._Placement, "place", fail)
    with pytest.raises(OSError, match="No space left"):
        lg.publish("demo", "chr/a", kind="ModelAsset", files=[make_file("a.usd")],
                   meta={"frame_in": 1001, "note": "x"})
    assert metadata_nodes(lg) == 0
    assert lg.assets() == [] or all(a.latest == 0 for a in lg.assets())


@pytest.mark.parametrize("meta, message", [
    ({"bad key": 1}, "metadata key 'bad key' is not valid"),
    ({"1st": 1}, "metadata key '1st' is not valid"),
    ({"k": None}, "unset a key"),
    ({"k": float("nan")}, "give a finite number"),
    ({"k": {1, 2}}, "must be JSON-able"),
    ({"k": "x" * 70000}, "at most 65536"),
    ({"k" * 200: 1}, "at most 128"),
])
def test_bad_publish_metadata_is_refused_before_anything_is_written(lg, make_file, meta,
                                                                     message):
    with pytest.raises(InvalidInputError, match=message):
        lg.publish("demo", "chr/a", kind="ModelAsset", files=[make_file("a.usd")], meta=meta)
    assert lg.assets() == [] and metadata_nodes(lg) == 0


# -- set and unset, recorded ----------------------------------------------------------------

def test_a_version_metadata_change_is_recorded_like_a_status_change(lg, shot):
    answer = lg.set_meta(shot.uri, {"frame_in": 1009, "qc": "ok"}, user="bob", note="re-cut")
    assert (answer.uri, answer.owner) == (shot.uri, "version")
    assert [(c.field, c.from_value, c.to_value, c.user, c.note) for c in answer.changes] == [
        ("meta:frame_in", "1001", "1009", "bob", "re-cut"), ("meta:qc", None, '"ok"', "bob",
                                                             "re-cut")]
    assert lg.set_meta(shot.uri, {"frame_in": 1009}).changes == []  # the value it has
    removed = lg.unset_meta(shot.uri, "qc", user="cy")
    assert [(c.field, c.from_value, c.to_value, c.user) for c in removed.changes] == [
        ("meta:qc", '"ok"', None, "cy")]
    after = lg.show(shot.uri)
    assert after.meta["frame_in"] == 1009 and "qc" not in after.meta
    assert after.content_hash == shot.content_hash  # the content stays as published
    assert after.representations == shot.representations
    assert [(c.field, c.from_value, c.to_value) for c in lg.changes(shot.uri)] == [
        ("meta:frame_in", "1001", "1009"), ("meta:qc", None, '"ok"'), ("meta:qc", '"ok"', None)]
    assert [c.field for c in lg.meta_changes(shot.uri).changes] == ["meta:frame_in", "meta:qc",
                                                                    "meta:qc"]


def test_asset_metadata_is_the_assets_own_and_its_changes_are_recorded(lg, shot):
    asset = "legos:/demo/seq/sh010/anim"
    answer = lg.set_meta(asset, {"fps": 24, "frame_in": 990}, user="ana")
    assert (answer.uri, answer.owner) == (asset, "asset")
    assert lg.meta(asset) == {"fps": 24, "frame_in": 990}
    assert lg.meta("demo/seq/sh010/anim") == {"fps": 24, "frame_in": 990}  # PROJECT/ASSET
    assert lg.show(shot.uri).meta["frame_in"] == 1001  # the version's is its own
    lg.unset_meta(asset, ["fps"], user="bob")
    assert [(c.field, c.from_value, c.to_value, c.user) for c in lg.meta_changes(asset).changes] \
        == [("meta:fps", None, "24", "ana"), ("meta:frame_in", None, "990", "ana"),
            ("meta:fps", "24", None, "bob")]
    assert [c.field for c in lg.changes(shot.uri)] == []  # the version's trail is untouched


def test_a_uri_without_version_names_the_asset_and_rules_name_a_version(lg, shot):
    lg.set_meta("legos:/demo/seq/sh010/anim?version=latest", {"a": 1})
    lg.set_meta("legos:/demo/seq/sh010/anim?status=published", {"b": 2})
    lg.set_meta("legos:/demo/seq/sh010/anim", {"c": 3})
    assert {"a", "b"} <= lg.show(shot.uri).meta.keys() and "c" not in lg.show(shot.uri).meta
    assert lg.meta("legos:/demo/seq/sh010/anim") == {"c": 3}
    assert lg.meta("legos:/demo/seq/sh010/anim?version=1")["a"] == 1
    # the ambiguous case: a key on the latest version, unset through the asset's URI
    with pytest.raises(NotFoundError, match=r"has no metadata 'label' \(it has c\), but its "
                                            r"latest version does.*\?version=1"):
        lg.unset_meta("legos:/demo/seq/sh010/anim", "label")
    with pytest.raises(NotFoundError, match=r"\?version=1 has no metadata 'nope'"):
        lg.unset_meta(shot.uri, "nope")


@pytest.mark.parametrize("uri, values, error, message", [
    ("legos:/demo/seq/sh010/anim?rep=usd", {"a": 1}, InvalidURIError, "drop rep="),
    ("legos:/demo/nope", {"a": 1}, AssetNotFoundError, "no asset legos:/demo/nope"),
    ("legos:/demo/seq/sh010/anim?version=7", {"a": 1}, NotFoundError, "does not exist"),
    ("legos:/demo/seq/sh010/anim", {"a b": 1}, InvalidInputError, "key 'a b' is not valid"),
    ("legos:/demo/seq/sh010/anim", ["a"], InvalidInputError, "must be a mapping"),
    ("/demo/x", {"a": 1}, InvalidURIError, "starts with '/'"),
])
def test_bad_targets_and_values_are_clear_errors(lg, shot, uri, values, error, message):
    with pytest.raises(error, match=message):
        lg.set_meta(uri, values)


def test_many_versions_read_at_once_carry_their_metadata(lg, shot, make_file):
    other = lg.publish("demo", "chr/b", kind="ModelAsset", files=[make_file("b.usd")],
                       meta={"lod": 2})
    both = lg.store.read(lambda tx: catalog.versions_by_uid(tx, [shot.uid, other.uid], None))
    assert both[shot.uid].meta == shot.meta and both[other.uid].meta == {"lod": 2}


# -- ls --where -----------------------------------------------------------------------------

@pytest.fixture
def cast(lg, make_file):
    """Three assets: metadata on the assets, on latest versions and on an older version."""
    def pub(name, meta=None, content="x"):
        return lg.publish("demo", name, kind="ModelAsset", files=[make_file("m.usd", content)],
                          meta=meta)
    pub("chr/a", {"lod": 1, "dept": "Model"})
    pub("chr/b", {"lod": 3, "dept": "lookdev"}, "1")
    pub("chr/b", {"lod": 2}, "2")                 # b's latest: lod 2, no dept
    pub("chr/c", {"lod": 5, "ok": True})
    lg.set_meta("legos:/demo/chr/a", {"tier": "hero", "budget": 10.5})
    lg.set_meta("legos:/demo/chr/c", {"tier": "background", "lod": 9})
    return lg


@pytest.mark.parametrize("terms, expected", [
    (["lod=1"], ["chr/a"]),
    (["lod=1.0"], ["chr/a"]),                   # numbers compare as numbers
    (["lod>1"], ["chr/b", "chr/c"]),
    (["lod>=2", "lod<=2"], ["chr/b"]),
    (["lod<2"], ["chr/a"]),
    (["lod=3"], []),                            # b's older version only: ls looks at latest
    (["lod=9"], ["chr/c"]),                     # the asset's own
    (["dept~mod"], ["chr/a"]),                  # substring, any case
    (["dept=Model"], ["chr/a"]),
    (["dept=model"], []),                       # = is exact
    (["tier~o", "lod>4"], ["chr/c"]),           # ANDed, each term on asset or latest version
    (["ok=true"], ["chr/c"]),
    (["budget<11", "tier=hero"], ["chr/a"]),
    (["missing=1"], []),
])
def test_ls_where_matches_asset_or_latest_version_metadata(cast, terms, expected):
    assert [a.name for a in cast.assets(where=terms)] == expected


@pytest.mark.parametrize("term, message", [
    ("lod<big", "'<' compares numbers, and 'big' is not one"),
    ("lod>true", "'>' compares numbers"),
    ("lod", "is not a metadata term"),
    ("=3", "metadata key '' is not valid"),
    ("bad key=1", "metadata key 'bad key' is not valid"),
    ("note~", "'~' needs some text"),
    ("lod=null", "null is not a metadata value"),
])
def test_ls_where_bad_terms_are_clear_errors(cast, term, message):
    with pytest.raises(InvalidInputError, match=message):
        cast.assets(where=[term])


def test_cli_ls_where_and_meta_commands(run, make_file):
    run("publish", "demo/chr/a", "--kind", "ModelAsset", "--file", str(make_file("a.usd")),
        "--meta", "lod=1")
    run("publish", "demo/chr/b", "--kind", "ModelAsset", "--file", str(make_file("b.usd")),
        "--meta", "lod=4")
    said = run("meta", "set", "legos:/demo/chr/b", "tier=hero", "budget=3").stdout
    assert "asset legos:/demo/chr/b: tier: (none) -> \"hero\"" in said
    said = run("meta", "set", "legos:/demo/chr/a?version=1", "lod=2").stdout
    assert "version legos:/demo/chr/a?version=1: lod: 1 -> 2" in said
    rows = json.loads(run("ls", "demo", "--where", "lod>1", "--json").stdout)
    assert [r["asset"] for r in rows] == ["chr/a", "chr/b"]
    rows = json.loads(run("ls", "demo", "--where", "lod>1", "--where", "tier~HER",
                          "--json").stdout)
    assert [r["asset"] for r in rows] == ["chr/b"]
    shown = json.loads(run("meta", "show", "legos:/demo/chr/b", "--json").stdout)
    assert shown == {"uri": "legos:/demo/chr/b", "owner": "asset",
                     "meta": {"budget": 3, "tier": "hero"}}
    shown = json.loads(run("meta", "show", "legos:/demo/chr/b?version=latest", "--json").stdout)
    assert shown == {"uri": "legos:/demo/chr/b?version=1", "owner": "version",
                     "meta": {"lod": 4}}
    run("meta", "unset", "legos:/demo/chr/b", "budget")
    trail = json.loads(run("meta", "changes", "legos:/demo/chr/b", "--json").stdout)
    assert [(c["field"], c["from_value"], c["to_value"]) for c in trail["changes"]] == [
        ("meta:tier", None, '"hero"'), ("meta:budget", None, "3"), ("meta:budget", "3", None)]
    changes = json.loads(run("changes", "legos:/demo/chr/a?version=1", "--json").stdout)
    assert [(c["field"], c["from_value"], c["to_value"]) for c in changes] == [
        ("meta:lod", "1", "2")]


@pytest.mark.parametrize("args, message", [
    (["ls", "--where", "lod<x"], "'lod<x': '<' compares numbers, and 'x' is not one"),
    (["ls", "--where", "lod"], "'lod' is not a metadata term"),
    (["meta", "set", "legos:/demo/chr/a", "1x=2"], "metadata key '1x' is not valid"),
    (["meta", "set", "legos:/demo/chr/a", "novalue"], "'novalue' is not KEY=VALUE"),
    (["meta", "set", "legos:/demo/chr/a", "x=1", "x=2"], "'x' is given twice"),
    (["meta", "set", "legos:/demo/chr/a?rep=usd", "x=1"], "drop rep="),
    (["meta", "set", "legos:/demo/chr/nope", "x=1"], "no asset legos:/demo/chr/nope"),
    (["meta", "unset", "legos:/demo/chr/a", "lod"], "but its latest version does"),
    (["meta", "show", "legos:demo"], "is not a legos URI"),
    (["analytics", "search", "--where", "lod>x"], "'>' compares numbers"),
    (["publish", "demo/chr/b", "--kind", "ModelAsset", "--meta", "a b=1"],
     "metadata key 'a b' is not valid"),
])
def test_cli_bad_metadata_input_is_one_line(run, make_file, args, message):
    run("publish", "demo/chr/a", "--kind", "ModelAsset", "--file", str(make_file("a.usd")),
        "--meta", "lod=1")
    result = run(*args, ok=False)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("legos: error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
