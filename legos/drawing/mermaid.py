"""The picture as a Mermaid `flowchart`. No well-kept library builds Mermaid, so this writes the
text itself: ids are generated (n0, n1, ...) and every label character outside a small safe set
becomes a Mermaid entity (`#34;`), so no quote, bracket or pipe in a name can break the syntax."""

from __future__ import annotations

import json
import re

from legos.drawing.scene import CONTAINS, STALE_COLOUR, Cluster, Item, Scene

_SAFE = re.compile(r"[A-Za-z0-9 _./:,=?@+\-]")


def text(value: str) -> str:
    """A label fragment with every unsafe character as a decimal Mermaid entity."""
    return "".join(ch if _SAFE.fullmatch(ch) else f"#{ord(ch)};" for ch in value)


def _label(lines: tuple[str, ...]) -> str:
    return '"' + "<br/>".join(text(line) for line in lines) + '"'


def _node(item: Item, indent: str) -> str:
    return f"{indent}{item.id}[{_label(item.lines)}]"


def _cluster(cluster: Cluster, indent: str) -> list[str]:
    package = cluster.package
    title = _label((f"{package.name} v{package.node.version}",))
    out = [f"{indent}subgraph c{package.id}[{title}]",
           f"{indent}  direction LR", _node(package, indent + "  ")]
    out += [_node(member, indent + "  ") for member in cluster.members]
    for child in cluster.children:
        out += _cluster(child, indent + "  ")
    return out + [f"{indent}end"]


def _edge(scene: Scene, source: Item, target: Item, relation: str, role: str | None) -> str:
    arrow = "-.->" if relation == CONTAINS else "-->"
    label = f"|{text(role)}|" if scene.label_edges and role else ""
    return f"  {source.id} {arrow}{label} {target.id}"


def _styles(scene: Scene) -> list[str]:
    out = []
    for index, (kind, colour) in enumerate(scene.kinds):
        members = [i.id for i in scene.items if i.node.kind == kind]
        out.append(f"  classDef k{index} fill:{colour},stroke:#555555,color:#000000")
        out.append(f"  class {','.join(members + [f'legend{index}'])} k{index}")
    stale = [i.id for i in scene.items if i.node.stale]
    start = [i.id for i in scene.items if i.node.start]
    if stale:
        out.append(f"  classDef stale stroke:{STALE_COLOUR},stroke-width:3px,"
                   "stroke-dasharray:6 3")
        out.append(f"  class {','.join(stale)} stale")
    if start:
        out.append("  classDef start stroke:#000000,stroke-width:4px")
        out.append(f"  class {','.join(start)} start")
    return out


def _legend(scene: Scene) -> list[str]:
    out = ["  subgraph legend[\"legend\"]", "    direction TB"]
    out += [f"    legend{index}[{_label((kind,))}]" for index, (kind, _) in enumerate(scene.kinds)]
    return out + ["  end"]


def mermaid_source(scene: Scene) -> str:
    lines = []
    if scene.title:  # front matter is YAML, and a JSON string is a valid YAML scalar
        lines += ["---", f"title: {json.dumps(' '.join(scene.title.split()))}", "---"]
    lines.append("flowchart LR")
    if not scene.items:
        lines.append(f"  empty[{_label(('nothing to draw',))}]")
        return "\n".join(lines) + "\n"
    for cluster in scene.clusters:
        lines += _cluster(cluster, "  ")
    lines += [_node(item, "  ") for item in scene.loose]
    lines += [_edge(scene, s, t, e.relation, e.role) for s, t, e in scene.edges]
    lines += _legend(scene) + _styles(scene)
    return "\n".join(lines) + "\n"
