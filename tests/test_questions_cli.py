"""The question commands, as a TD types them: `legos query`, `impact`, `stale`, `diff`,
`path`, `evolution`, with --json and --as-of, on both backends."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def shot(run, make_file):
    """albedo v1/v2 -> skin v1/v2 -> shot package v1/v2 -> comp v1/v2."""
    def publish(*args):
        return run("publish", *args, "--json").stdout

    uris = {}
    for n in (1, 2):
        albedo = json.loads(publish("demo/tex/albedo", "--kind", "TextureAsset", "--file",
                                    str(make_file(f"albedo{n}.png", f"a{n}"))))["uri"]
        skin = json.loads(publish("demo/mtl/skin", "--kind", "MaterialAsset", "--file",
                                  str(make_file("skin.usda")), "--dep", f"texture={albedo}"))["uri"]
        pkg = json.loads(publish("demo/sh010/pkg", "--kind", "ShotPackage",
                                 "--member", f"skin={skin}"))["uri"]
        comp = json.loads(publish("demo/sh010/comp", "--kind", "RenderAsset", "--file",
                                  str(make_file("comp.exr")), "--dep", f"shot={pkg}"))["uri"]
        uris[n] = {"albedo": albedo, "skin": skin, "pkg": pkg, "comp": comp}
    return uris


def _json(result):
    return json.loads(result.stdout)


def test_impact_prints_rebuild_waves(run, shot):
    rows = _json(run("impact", shot[1]["albedo"], "--json"))
    assert [(r["asset"], r["version"], r["wave"]) for r in rows] == [
        ("mtl/skin", 1, 1), ("sh010/pkg", 1, 2), ("sh010/comp", 1, 3)]
    assert {"uri", "asset", "version", "kind", "status", "depth"} <= set(rows[0])
    table = run("impact", shot[1]["albedo"]).stdout
    assert "wave" in table and "sh010/comp" in table


def test_stale_and_any_newer(run, shot):
    assert _json(run("stale", shot[1]["comp"], "--json")) == []
    run("status", shot[2]["skin"], "approved")
    [row] = _json(run("stale", shot[1]["comp"], "--json"))
    assert (row["asset"], row["version"], row["newer_version"], row["newer_status"]) == (
        "mtl/skin", 1, 2, "approved")
    anything = _json(run("stale", shot[1]["comp"], "--json", "--any-newer"))
    assert {r["asset"] for r in anything} == {"mtl/skin", "tex/albedo", "sh010/pkg"}


def test_diff_prints_change_with_from_and_to_versions(run, shot):
    rows = _json(run("diff", shot[1]["comp"], shot[2]["comp"], "--json"))
    assert {(r["asset"], r["change"], r["from_version"], r["to_version"]) for r in rows} == {
        ("sh010/pkg", "changed", 1, 2), ("mtl/skin", "changed", 1, 2),
        ("tex/albedo", "changed", 1, 2)}
    assert all({"uri", "asset", "version"} <= set(r) for r in rows)


def test_diff_prints_the_files_that_changed(run, shot):
    rows = _json(run("diff", shot[1]["albedo"], shot[2]["albedo"], "--json"))
    assert [(r["change"], r["file"]) for r in rows] == [("added", "albedo2.png"),
                                                         ("removed", "albedo1.png")]
    result = run("diff", shot[1]["albedo"], shot[2]["albedo"])
    assert "albedo2.png" in result.stdout and "the same inputs" in result.stderr
    result = run("diff", shot[1]["comp"], shot[2]["comp"])
    assert "the same files" in result.stderr and "tex/albedo" in result.stdout


def test_path_prints_the_chain_and_says_when_there_is_none(run, shot):
    steps = _json(run("path", shot[2]["comp"], shot[2]["albedo"], "--json"))
    assert [(s["asset"], s["role"]) for s in steps] == [
        ("sh010/comp", None), ("sh010/pkg", "shot"), ("mtl/skin", "skin"),
        ("tex/albedo", "texture")]
    text = run("path", shot[2]["comp"], shot[2]["albedo"]).stdout
    assert "--texture-->" in text
    none = run("path", shot[2]["albedo"], shot[2]["comp"])
    assert none.stdout == "" and "swap them" in none.stderr
    # no version: the one comp v1 uses, not the latest
    steps = _json(run("path", shot[1]["comp"], "legos:/demo/tex/albedo", "--json"))
    assert steps[-1]["uri"] == shot[1]["albedo"]


def test_evolution_lists_input_changes(run, shot):
    steps = _json(run("evolution", "legos:/demo/sh010/pkg", "--json"))
    assert [s["version"] for s in steps] == [1, 2]
    assert [(c["asset"], c["from_version"], c["to_version"]) for c in steps[1]["changes"]] == [
        ("demo/mtl/skin", 1, 2)]


def test_as_of_takes_the_graph_back_and_bad_times_are_refused(run, shot):
    first_comp = _json(run("show", shot[1]["comp"], "--json"))
    at = first_comp["created_at"]
    rows = _json(run("impact", shot[1]["albedo"], "--json", "--as-of", at))
    assert all(r["version"] == 1 for r in rows) and len(rows) == 3
    deps = _json(run("deps", "legos:/demo/sh010/comp", "--json", "--as-of", at))
    assert {(r["asset"], r["version"]) for r in deps} == {
        ("sh010/pkg", 1), ("mtl/skin", 1), ("tex/albedo", 1)}
    bad = run("impact", shot[1]["albedo"], "--as-of", "2026-03-01T18:00", ok=False)
    assert bad.exit_code == 2 and "--as-of" in bad.stderr and "zone" in bad.stderr


def test_query_lists_questions_and_runs_one_by_name(run, shot):
    listed = _json(run("query", "--list", "--json"))
    names = {q["name"] for q in listed}
    assert {"lineage/path", "lineage/stale", "lineage/evolution"} <= names
    assert "publish/create_version" not in names and "store/wipe" not in names
    path = next(q for q in listed if q["name"] == "lineage/path")
    assert set(path["params"]) == {"from_uid", "to_uid"}
    rows = _json(run("query", "lineage/path", "-p", f"from_uid={shot[2]['comp']}",
                     "-p", f"to_uid={shot[2]['albedo']}", "--json"))
    assert rows[0]["roles"] == ["shot", "skin", "texture"]
    assert rows[0]["uris"][0] == shot[2]["comp"] and "uids" not in rows[0]
    table = run("query", "lineage/path", "-p", f"from_uid={shot[2]['comp']}",
                "-p", f"to_uid={shot[2]['albedo']}").stdout
    assert "legos:/demo/tex/albedo?version=2" in table
    assert not {q["name"] for q in listed if q["name"].startswith(("bench/", "bulk/"))}
    history = run("query", "versions/history", "--param", "path=demo/sh010/pkg").stdout
    assert "version" in history


@pytest.mark.parametrize("args, message", [
    (("query", "lineage/path", "-p", "from_uid"), "is not KEY=VALUE"),
    (("query", "lineage/path", "-p", "nope=1"), "takes no parameter 'nope'"),
    (("query", "store/wipe"), "changes the store"),
    (("query", "versions/history", "-p", "path=x", "--as-of", "2026-01-01"), "does not look at time"),
    (("impact", "legos:/demo/nothing?version=1"), "no asset legos:/demo/nothing"),
    (("diff", "legos:/demo/sh010/comp?version=1", "legos:/demo/sh010/comp?version=5"),
     "does not exist"),
])
def test_bad_input_is_one_clear_line(run, shot, args, message):
    result = run(*args, ok=False)
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_deps_and_impact_draw_pictures_with_stale_inputs_marked(run, shot, tmp_path):
    run("status", shot[2]["skin"], "approved")
    dot = run("deps", shot[1]["comp"], "--format", "dot").stdout
    assert dot.lstrip().startswith(("digraph", "strict digraph"))
    for uri in (shot[1]["pkg"], shot[1]["skin"], shot[1]["albedo"]):
        assert uri in dot                                  # every version, with its URI
    assert "cluster" in dot                                # the shot package holds the skin
    assert dot.count("stale") >= 1                         # skin v1: v2 is approved
    mermaid = run("deps", shot[1]["comp"], "--format", "mermaid").stdout
    assert "flowchart LR" in mermaid and "subgraph" in mermaid
    svg = tmp_path / "impact.svg"
    run("impact", shot[1]["albedo"], "--format", "svg", "-o", str(svg))
    import xml.etree.ElementTree as ElementTree

    text = ElementTree.parse(svg).getroot()
    assert text.tag.endswith("svg")
    assert "sh010/comp" in svg.read_text()
    png = tmp_path / "deps.png"
    run("deps", shot[2]["comp"], "--reverse", "--format", "png", "-o", str(png))
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
