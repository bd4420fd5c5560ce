"""Pictures of a lineage subgraph: DOT, Mermaid, SVG or PNG, readable at 50-200 versions.

The input is plain data (`Node`, `Edge`), independent of any store; `from_closure` builds it
from `legos.lineage.closure`. Graphviz draws when its `dot` binary is installed, else networkx
lays the graph out and matplotlib draws it. Heavy libraries are imported only when drawing.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from legos.drawing.scene import Edge, Node, Scene, build_scene
from legos.errors import InvalidInputError

if TYPE_CHECKING:
    from legos.lineage import Closure

FORMATS = ("dot", "mermaid", "svg", "png")
LAYOUTS = ("auto", "graphviz", "matplotlib")


def render(nodes: Sequence[Node], edges: Sequence[Edge], fmt: str, *,
           title: str | None = None, layout: str = "auto") -> bytes:
    """The picture of `nodes` and `edges` in `fmt` (one of FORMATS).

    `layout` chooses who draws svg/png: "graphviz" (needs the `dot` binary), "matplotlib"
    (networkx + matplotlib, no binary) or "auto" (graphviz when `dot` is on PATH).
    """
    if fmt not in FORMATS:
        raise InvalidInputError(f"picture format {fmt!r} is not known: use one of "
                                f"{', '.join(FORMATS)}")
    if layout not in LAYOUTS:
        raise InvalidInputError(f"layout {layout!r} is not known: use one of "
                                f"{', '.join(LAYOUTS)}")
    scene = build_scene(nodes, edges, title)
    if fmt == "mermaid":
        from legos.drawing.mermaid import mermaid_source
        return mermaid_source(scene).encode("utf-8")
    from legos.drawing import dot
    if fmt == "dot":
        return dot.dot_source(scene).encode("utf-8")
    if _use_graphviz(layout):
        return dot.dot_render(scene, fmt)
    from legos.drawing.fallback import plot
    return plot(scene, fmt)


def _use_graphviz(layout: str) -> bool:
    import shutil

    if layout == "auto":
        return shutil.which("dot") is not None
    return layout == "graphviz"


def from_closure(found: Closure, stale: Collection[str] = ()) -> tuple[list[Node], list[Edge]]:
    """Nodes and edges of a `legos.lineage.closure` answer; `stale` holds the uids to mark."""
    from legos.uri import format_uri

    start = found.start
    nodes = [Node(uid=start["uid"], uri=format_uri(start["project"], start["asset"],
                                                   start["number"]),
                  project=start["project"], asset=start["asset"], kind=start["kind"],
                  version=start["number"], status=str(start["status"]), start=True,
                  stale=start["uid"] in stale)]
    nodes += [Node(uid=r.uid, uri=r.uri, project=r.project, asset=r.asset, kind=r.kind,
                   version=r.version, status=str(r.status), stale=r.uid in stale)
              for r in found.rows if r.uid != start["uid"] and r.relation != "submits"]
    edges = [Edge(source, target, relation.lower(), role)
             for source, target, relation, role in found.edges]
    return nodes, edges


__all__ = ["FORMATS", "LAYOUTS", "Edge", "Node", "Scene", "from_closure", "render"]
