"""SVG or PNG without Graphviz: networkx orders the versions into layers (users left, inputs
right, as `dot` would) and matplotlib draws them with the same colours, labels and markings.
Package clusters need Graphviz; here membership shows as the dashed ◇ `contains` edges."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from legos.drawing.scene import CONTAINS, STALE_COLOUR, Item, Scene, need

_X_INCHES = 2.6     # one layer's width
_Y_INCHES = 0.8     # one row's height: room for a four-line label at 7 points
_FONT = 7
_LEGEND_INCHES = 3.2
_SWEEPS = 4     # barycentre sweeps (forward, backward, ...): enough to untangle a shot


def _layers(scene: Scene) -> list[list[Item]]:
    """Versions in columns by longest path from the users (as `dot` ranks them), each column
    ordered to cut crossings: a few barycentre sweeps, ties broken by the scene's order."""
    nx = need("networkx")
    graph = nx.DiGraph()
    graph.add_nodes_from(i.id for i in scene.items)
    graph.add_edges_from((s.id, t.id) for s, t, _ in scene.edges if s is not t)
    by_id = {i.id: i for i in scene.items}
    try:
        layers = [sorted(layer, key=lambda u: by_id[u].id) for layer in
                  nx.topological_generations(graph)]
    except nx.NetworkXUnfeasible:  # a cycle in the input: one column, still every version
        layers = [[i.id for i in scene.items]]
    order = {i.id: n for n, i in enumerate(scene.items)}
    for sweep in range(_SWEEPS):
        forward = sweep % 2 == 0
        neighbours = graph.predecessors if forward else graph.successors
        sequence = range(1, len(layers)) if forward else range(len(layers) - 2, -1, -1)
        row = {u: y for layer in layers for y, u in enumerate(layer)}
        for x in sequence:
            key = partial(_centre, row=row, neighbours=neighbours, order=order)
            layers[x] = sorted(layers[x], key=key)
            row.update({u: y for y, u in enumerate(layers[x])})
    return [[by_id[u] for u in layer] for layer in layers]


def _centre(u: str, row: dict[str, int], neighbours: Callable[[str], Iterable[str]],
            order: dict[str, int]) -> tuple[float, int]:
    """Where `u` sits best: the mean row of its neighbours in the layer just placed."""
    near = [row[v] for v in neighbours(u)]
    return (sum(near) / len(near) if near else row[u], order[u])


def _positions(layers: list[list[Item]]) -> dict[str, tuple[float, float]]:
    rows = max(len(layer) for layer in layers)
    positions = {}
    for x, layer in enumerate(layers):
        top = (rows - len(layer)) / 2  # centre short layers, as dot does
        for y, item in enumerate(layer):
            positions[item.id] = (float(x), -(top + y))
    return positions


def _box(item: Item) -> dict[str, Any]:
    node = item.node
    box = {"boxstyle": "round,pad=0.35", "fc": item.colour, "ec": "#555555", "lw": 0.8}
    if node.stale:
        box.update(ec=STALE_COLOUR, lw=2.0, ls="--")
    if node.start:
        box.update(lw=3.0, ec=STALE_COLOUR if node.stale else "#000000")
    return box


def _draw_edges(ax: Any, scene: Scene, texts: dict[str, Any],
                positions: dict[str, tuple[float, float]]) -> None:
    for source, target, edge in scene.edges:
        contains = edge.relation == CONTAINS
        ax.annotate("", xy=positions[target.id], xytext=positions[source.id], zorder=1,
                    arrowprops={"arrowstyle": "-|>", "color": "#8c8c8c" if contains else "#555555",
                                "lw": 0.7, "ls": "--" if contains else "-", "shrinkA": 2,
                                "shrinkB": 2, "patchA": texts[source.id].get_bbox_patch(),
                                "patchB": texts[target.id].get_bbox_patch(),
                                "mutation_scale": 10})
        if scene.label_edges and edge.role:
            (x0, y0), (x1, y1) = positions[source.id], positions[target.id]
            ax.text((x0 + x1) / 2, (y0 + y1) / 2, edge.role, fontsize=_FONT - 1, zorder=2,
                    ha="center", va="center", color="#555555",
                    bbox={"fc": "white", "ec": "none", "pad": 0.5})


def _legend(ax: Any, scene: Scene) -> None:
    patches = need("matplotlib.patches")
    lines = need("matplotlib.lines")
    handles = [patches.Patch(fc=colour, ec="#555555", label=kind) for kind, colour in scene.kinds]
    handles.append(patches.Patch(fc="white", ec="#000000", lw=3, label="start"))
    if scene.has_stale:
        handles.append(patches.Patch(fc="white", ec=STALE_COLOUR, lw=2, ls="--",
                                     label="stale: a newer approved version exists"))
    handles.append(lines.Line2D([], [], color="#555555", label="uses"))
    handles.append(lines.Line2D([], [], color="#8c8c8c", ls="--",
                                label="contains (package clusters need Graphviz)"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=_FONT + 1,
              title="legend", frameon=True)


def _figure(scene: Scene) -> Any:
    figure_module = need("matplotlib.figure")
    if not scene.items:
        fig = figure_module.Figure(figsize=(4, 2))
        fig.text(0.5, 0.5, "nothing to draw", ha="center", va="center", fontsize=14)
        return fig
    layers = _layers(scene)
    rows = max(len(layer) for layer in layers)
    width = len(layers) * _X_INCHES
    # the legend gets its own margin on the right, so no "tight" bbox (a second full draw)
    fig = figure_module.Figure(figsize=(width + _LEGEND_INCHES, max(rows * _Y_INCHES + 0.8, 5)))
    ax = fig.add_axes((0, 0, width / (width + _LEGEND_INCHES), 1))
    ax.set_axis_off()
    ax.set_xlim(-0.5, len(layers) - 0.5)
    ax.set_ylim(-rows + 0.4, 0.6 + 0.8 / _Y_INCHES)
    positions = _positions(layers)
    texts = {i.id: ax.text(*positions[i.id], "\n".join(i.lines), ha="center", va="center",
                           fontsize=_FONT, zorder=3, bbox=_box(i)) for i in scene.items}
    _draw_edges(ax, scene, texts, positions)
    _legend(ax, scene)
    if scene.title:
        ax.text(0.5, 1.0, scene.title, transform=ax.transAxes, ha="center", va="top",
                fontsize=14)
    return fig


def plot(scene: Scene, fmt: str) -> bytes:
    """The scene as `svg` or `png` bytes, drawn with matplotlib's Agg (no display needed)."""
    matplotlib = need("matplotlib")
    # text stays text in SVG (searchable, selectable); no pyplot, so no global figure state
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "legos"}):
        fig = _figure(scene)
        out = io.BytesIO()
        fig.savefig(out, format=fmt, dpi=100, facecolor="white",
                    metadata={"Date": None} if fmt == "svg" else {"Software": None})
    return out.getvalue()
