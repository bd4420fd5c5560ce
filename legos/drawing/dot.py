"""The picture as DOT, built with the `graphviz` package, and drawn by Graphviz's `dot`."""

from __future__ import annotations

import html
from typing import Any

from legos.drawing.scene import CONTAINS, STALE_COLOUR, Cluster, Item, Scene, need
from legos.errors import ConfigError, LegosError

FONT = "Helvetica"
_CLUSTER_FILLS = ("#f4f4f4", "#e9e9e9", "#dedede")  # nested packages get darker


def _graphviz() -> Any:
    return need("graphviz")


def _label(lines: tuple[str, ...]) -> str:
    gv = _graphviz()
    # escape() keeps a backslash or <...> in a name literal; \n is DOT's line break
    return "\\n".join(gv.escape(line) for line in lines)


def _node_attrs(item: Item) -> dict[str, str]:
    node = item.node
    attrs = {"label": _label(item.lines), "fillcolor": item.colour, "tooltip": node.uri,
             "style": "rounded,filled", "color": "#555555", "penwidth": "1"}
    if node.stale:
        attrs.update(style="rounded,filled,dashed", color=STALE_COLOUR, penwidth="2.5")
    if node.start:
        attrs.update(penwidth="3.5", peripheries="2")
        attrs["color"] = attrs["color"] if node.stale else "#000000"
    return attrs


def _add_cluster(graph: Any, cluster: Cluster, depth: int) -> None:
    package = cluster.package
    with graph.subgraph(name=f"cluster_{package.id}") as sub:
        sub.attr(label=_label((f"{package.name} v{package.node.version}",)),
                 style="rounded,filled", fillcolor=_CLUSTER_FILLS[min(depth, 2)],
                 color="#999999", fontsize="11", labeljust="l")
        sub.node(package.id, **_node_attrs(package))
        for member in cluster.members:
            sub.node(member.id, **_node_attrs(member))
        for child in cluster.children:
            _add_cluster(sub, child, depth + 1)


def _edge_attrs(scene: Scene, relation: str, role: str | None) -> dict[str, str]:
    attrs = {"color": "#555555", "arrowsize": "0.6"}
    if relation == CONTAINS:
        attrs.update(style="dashed", color="#8c8c8c", arrowhead="odiamond")
    if scene.label_edges and role:
        attrs.update(label=_graphviz().escape(role), fontsize="9", fontcolor="#555555")
    return attrs


def _legend(scene: Scene) -> str:
    """An HTML-like table: one row per kind shown, then the markings."""
    rows = [f'<tr><td bgcolor="{colour}" width="14"></td><td align="left">'
            f'{html.escape(kind)}</td></tr>' for kind, colour in scene.kinds]
    rows.append('<tr><td>▶</td><td align="left">start (double border)</td></tr>')
    if scene.has_stale:
        rows.append(f'<tr><td><font color="{STALE_COLOUR}">⚠</font></td><td align="left">'
                    'stale: dashed red, a newer approved version exists</td></tr>')
    rows.append('<tr><td>→</td><td align="left">uses (dashed ◇: contains)</td></tr>')
    return ('<<table border="0" cellborder="1" cellspacing="0" cellpadding="3">'
            '<tr><td colspan="2"><b>legend</b></td></tr>' + "".join(rows) + "</table>>")


def build(scene: Scene) -> Any:
    """The graphviz.Digraph of a scene."""
    gv = _graphviz()
    graph = gv.Digraph("lineage", graph_attr={
        "rankdir": "LR", "newrank": "true", "nodesep": "0.12", "ranksep": "0.5",
        "fontname": FONT, "bgcolor": "white", "pad": "0.3", "outputorder": "edgesfirst"})
    graph.attr("node", shape="box", fontname=FONT, fontsize="10", margin="0.08,0.03")
    graph.attr("edge", fontname=FONT)
    if scene.title:
        graph.attr(label=gv.escape(scene.title), labelloc="t", fontsize="18")
    if not scene.items:
        graph.node("empty", label="nothing to draw", shape="plaintext", fontsize="14")
        return graph
    for cluster in scene.clusters:
        _add_cluster(graph, cluster, 0)
    for item in scene.loose:
        graph.node(item.id, **_node_attrs(item))
    for source, target, edge in scene.edges:
        graph.edge(source.id, target.id, **_edge_attrs(scene, edge.relation, edge.role))
    graph.node("legend", label=_legend(scene), shape="plaintext", fontsize="10")
    return graph


def dot_source(scene: Scene) -> str:
    return build(scene).source


def dot_render(scene: Scene, fmt: str) -> bytes:
    """SVG or PNG drawn by Graphviz's `dot` binary."""
    gv = _graphviz()
    try:
        return build(scene).pipe(format=fmt, engine="dot")
    except gv.ExecutableNotFound as exc:
        raise ConfigError("Graphviz's `dot` is not installed: install Graphviz (e.g. "
                          "apt-get install graphviz) or draw with layout='matplotlib'") from exc
    except gv.CalledProcessError as exc:
        raise LegosError(f"Graphviz failed to draw the picture: {exc.stderr!r}") from exc
