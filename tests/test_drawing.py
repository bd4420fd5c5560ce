"""Pictures of lineage subgraphs: DOT, Mermaid, SVG and PNG, by Graphviz and by the fallback."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from io import BytesIO

import networkx as nx
import pytest

from legos.drawing import FORMATS, Edge, Node, render
from legos.drawing.scene import PALETTE, UNKNOWN_COLOUR
from legos.errors import ConfigError, InvalidInputError
from legos.testing import generate, lineage_digraph

HAS_DOT = shutil.which("dot") is not None
needs_dot = pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot binary is not installed")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _node(uid: str, asset: str, kind: str, version: int = 1, **flags: bool) -> Node:
    return Node(uid, f"legos:/show/{asset}?version={version}", "show", asset, kind, version,
                "published", **flags)


@pytest.fixture(scope="module")
def shot() -> tuple[list[Node], list[Edge]]:
    """A shot version's dependency closure from the synthetic production, 100-200 versions,
    with the versions marked stale that have a newer approved version of their asset."""
    graph = generate(0.02)
    digraph = lineage_digraph(graph)
    shots = [v for v in graph.versions if v.kind == "ShotPackage"]
    start = min(shots, key=lambda v: abs(len(nx.descendants(digraph, v.uid)) - 150))
    keep = nx.descendants(digraph, start.uid) | {start.uid}
    approved: dict[str, int] = {}
    for v in graph.versions:
        if v.status == "approved":
            approved[v.asset_uid] = max(approved.get(v.asset_uid, 0), v.number)
    versions = graph.version_by_uid
    nodes = [Node(u, versions[u].uri, versions[u].project, versions[u].asset, versions[u].kind,
                  versions[u].number, versions[u].status, start=u == start.uid,
                  stale=approved.get(versions[u].asset_uid, 0) > versions[u].number)
             for u in sorted(keep)]
    edges = [Edge(s, t, data["type"].lower(), data["name"])
             for s, t, data in digraph.subgraph(keep).edges(data=True)]
    assert 100 <= len(nodes) <= 200 and any(n.stale for n in nodes)
    return nodes, edges


@pytest.fixture
def lookdev() -> tuple[list[Node], list[Edge]]:
    """A lookdev package holding a model and a material on a stale texture, with an unknown
    kind and names full of Mermaid's and DOT's special characters."""
    nodes = [
        _node("pkg", "chr/skaarj/lookdev", "LookDevPackage", 4, start=True),
        _node("mdl", "chr/skaarj/model", "ModelAsset", 2),
        _node("mtl", "chr/skaarj/mtl/skin", "MaterialAsset", 3),
        _node("tex", "chr/skaarj/tex/albedo", "TextureAsset", 1, stale=True),
        _node("odd", 'chr/skaarj/odd "q" [x] |y| {z} <w> #1; end', "GroomAsset", 7),
    ]
    edges = [
        Edge("pkg", "mdl", "contains", "model"),
        Edge("pkg", "mtl", "contains", "material"),
        Edge("mtl", "tex", "depends_on", "albedo"),
        Edge("mtl", "odd", "depends_on", 'role "x" [1] | 2'),
    ]
    return nodes, edges


def _dot_json(source: bytes) -> dict:
    out = subprocess.run(["dot", "-Tjson"], input=source, capture_output=True, check=True)
    return json.loads(out.stdout)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG_SIGNATURE)
    import matplotlib.image

    height, width = matplotlib.image.imread(BytesIO(data), format="png").shape[:2]
    assert (width, height) == struct.unpack(">II", data[16:24])
    return width, height


# -- DOT ---------------------------------------------------------------------------------------

@needs_dot
def test_dot_of_a_shot_parses_with_one_node_per_version_and_a_cluster_per_package(shot):
    nodes, edges = shot
    drawn = _dot_json(render(nodes, edges, "dot"))
    objects = drawn["objects"]
    versions = [o for o in objects if "tooltip" in o and o["name"] != "legend"]
    assert sorted(o["tooltip"] for o in versions) == sorted(n.uri for n in nodes)
    holders = {e.source for e in edges if e.relation == "contains"}
    clusters = [o for o in objects if o["name"].startswith("cluster_")]
    assert len(clusters) == len(holders)
    assert len(drawn["edges"]) == len(edges)
    # a big picture leaves roles off its edges to stay legible
    assert not any("label" in e for e in drawn["edges"])


@needs_dot
def test_dot_colours_kinds_and_marks_stale_and_start(shot):
    nodes, edges = shot
    objects = _dot_json(render(nodes, edges, "dot"))["objects"]
    by_uri = {o["tooltip"]: o for o in objects if "tooltip" in o}
    for node in nodes:
        drawn = by_uri[node.uri]
        assert drawn["fillcolor"] == PALETTE[node.kind]
        assert ("dashed" in drawn["style"]) == node.stale
        assert ("stale" in drawn["label"]) == node.stale
        assert ("start" in drawn["label"]) == node.start
    legend = next(o for o in objects if o["name"] == "legend")
    assert all(kind in legend["label"] for kind in {n.kind for n in nodes})


def test_dot_of_a_small_graph_clusters_members_and_labels_roles(lookdev):
    nodes, edges = lookdev
    source = render(nodes, edges, "dot").decode()
    cluster = re.search(r"subgraph cluster_(\w+) \{(.*?)\n\t\}", source, re.S)
    assert cluster is not None
    inside = cluster.group(2)
    assert "skaarj/model" in inside and "skaarj/mtl/skin" in inside
    assert "skaarj/tex/albedo" not in inside  # a dependency, not a member
    assert 'label=albedo' in source or 'label="albedo"' in source
    assert f'fillcolor="{UNKNOWN_COLOUR}"' in source  # GroomAsset: not in the palette
    assert "rankdir=LR" in source


def test_dot_is_the_same_for_the_same_graph_in_any_order(lookdev):
    nodes, edges = lookdev
    assert render(nodes, edges, "dot") == render(nodes[::-1], edges[::-1] + edges[:1], "dot")


@needs_dot
def test_member_of_two_packages_is_drawn_in_one_cluster_with_both_edges():
    nodes = [_node("a", "chr/a/lookdev", "LookDevPackage"), _node("b", "chr/b/lookdev",
             "LookDevPackage"), _node("t", "lib/mtl/metal", "MaterialAsset")]
    edges = [Edge("a", "t", "contains", "m"), Edge("b", "t", "contains", "m")]
    source = render(nodes, edges, "dot").decode()
    drawn = _dot_json(source.encode())
    metal = [o["_gvid"] for o in drawn["objects"]
             if o.get("tooltip", "").endswith("metal?version=1")]
    assert len(metal) == 1
    holding = [o["name"] for o in drawn["objects"]
               if o["name"].startswith("cluster_") and metal[0] in o.get("nodes", [])]
    assert len(holding) == 1
    assert len(drawn["edges"]) == 2
    assert source == render(nodes[::-1], edges[::-1], "dot").decode()


# -- Mermaid -----------------------------------------------------------------------------------

_ID = r"[A-Za-z][A-Za-z0-9_]*"
_TEXT = r'[A-Za-z0-9 _./:,=?@+\-#;<>]*'  # entities (#34;) and <br/> only: no raw " [ ] |
_MERMAID_LINE = re.compile("|".join([
    r"---", r'title: "(?:[^"\\\n]|\\.)*"', r"flowchart LR", r"\s*direction (LR|TB)", r"\s*end",
    rf'\s*subgraph {_ID}\["{_TEXT}"\]',
    rf'\s*{_ID}\["{_TEXT}"\]',
    rf"\s*{_ID} (-->|-\.->)(\|{_TEXT}\|)? {_ID}",
    rf"\s*classDef {_ID} [a-z\-]+:[#\w. ]+(,[a-z\-]+:[#\w. ]+)*",
    rf"\s*class {_ID}(,{_ID})* {_ID}",
]))


def _check_mermaid(text: str) -> None:
    for line in text.splitlines():
        assert _MERMAID_LINE.fullmatch(line), line
        if "<br/>" in line or "[" in line:
            assert not re.search(r"<(?!br/>)", line.replace("<br/>", "")), line


def test_mermaid_has_every_node_and_edge_with_strict_syntax(shot):
    nodes, edges = shot
    text = render(nodes, edges, "mermaid", title='deps of "sh0010" [v7]').decode()
    _check_mermaid(text)
    title = re.search(r"^title: (.*)$", text, re.M).group(1)
    assert json.loads(title) == 'deps of "sh0010" [v7]'
    declared = re.findall(r"^\s*(n\d+)\[", text, re.M)
    assert len(declared) == len(set(declared)) == len(nodes)
    links = re.findall(r"^\s*(n\d+) -\.?-> (n\d+)$", text, re.M)
    assert len(links) == len(edges)
    assert text.count("subgraph c") == len({e.source for e in edges if e.relation == "contains"})


def test_mermaid_escapes_quotes_brackets_and_pipes_in_labels(lookdev):
    nodes, edges = lookdev
    text = render(nodes, edges, "mermaid", title="look [dev]").decode()
    _check_mermaid(text)
    odd = next(line for line in text.splitlines() if "odd" in line and "[" in line)
    for char in '"[]|{}<>':
        assert f"#{ord(char)};" in odd
    assert "|role #34;x#34; #91;1#93; #124; 2|" in text
    assert re.search(r"classDef stale stroke:#d62728", text)


# -- SVG and PNG -------------------------------------------------------------------------------

@pytest.fixture(params=[pytest.param("graphviz", marks=needs_dot), "matplotlib"])
def layout(request) -> str:
    return request.param


def test_svg_is_well_formed_with_the_labels(shot, layout):
    nodes, edges = shot
    svg = render(nodes, edges, "svg", title="shot closure", layout=layout)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    text = "".join(root.itertext())
    short = {n.asset.split("/", 1)[1] for n in nodes}
    assert short and all(name in text for name in short)
    assert "stale" in text and "shot closure" in text


def test_png_has_the_signature_and_a_size(shot, layout):
    nodes, edges = shot
    width, height = _png_size(render(nodes, edges, "png", layout=layout))
    assert width > 200 and height > 200


def test_fallback_draws_when_dot_is_not_on_path(lookdev, monkeypatch):
    nodes, edges = lookdev
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    svg = render(nodes, edges, "svg")
    assert b"graphviz" not in svg.lower()[:2000]  # matplotlib's, not Graphviz's
    assert "skaarj/mtl/skin" in "".join(ET.fromstring(svg).itertext())
    assert _png_size(render(nodes, edges, "png")) > (0, 0)


def test_graphviz_layout_without_dot_says_how_to_install(lookdev, monkeypatch):
    import graphviz

    nodes, edges = lookdev

    def missing(*args, **kwargs):
        raise graphviz.ExecutableNotFound(("dot",))
    monkeypatch.setattr(graphviz.Digraph, "pipe", missing)
    with pytest.raises(ConfigError, match="Graphviz"):
        render(nodes, edges, "png", layout="graphviz")


# -- bad and empty input -----------------------------------------------------------------------

def test_unknown_format_names_the_formats(lookdev):
    with pytest.raises(InvalidInputError, match="dot, mermaid, svg, png"):
        render(*lookdev, "jpeg")


def test_edge_to_an_unknown_version_is_refused(lookdev):
    nodes, edges = lookdev
    with pytest.raises(InvalidInputError, match="ghost"):
        render(nodes, [*edges, Edge("mtl", "ghost", "depends_on", None)], "dot")


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_graph_draws_a_note(fmt, monkeypatch):
    if fmt in ("svg", "png") and not HAS_DOT:
        monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    out = render([], [], fmt)
    if fmt == "png":
        assert _png_size(out) > (0, 0)
    else:
        assert b"nothing to draw" in out


@pytest.mark.parametrize("layout", ["graphviz", "matplotlib"])
def test_single_start_version_is_drawn(layout):
    if layout == "graphviz" and not HAS_DOT:
        pytest.skip("Graphviz's dot binary is not installed")
    node = _node("s", "seq010/sh0010/pkg", "ShotPackage", 3, start=True)
    svg = render([node], [], "svg", layout=layout)
    assert "sh0010/pkg" in "".join(ET.fromstring(svg).itertext())


def test_missing_library_names_the_pip_extra(lookdev, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "graphviz", None)  # what `import graphviz` meets if absent
    with pytest.raises(ConfigError, match=r"legos\[draw\]"):
        render(*lookdev, "dot")
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ConfigError, match=r"legos\[draw\]"):
        render(*lookdev, "png", layout="matplotlib")


def test_importing_legos_does_not_import_drawing_libraries():
    code = ("import sys, legos.drawing, legos.cli; "
            "print([m for m in ('graphviz', 'matplotlib', 'networkx') if m in sys.modules])")
    out = subprocess.run([__import__("sys").executable, "-c", code], capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "[]"
