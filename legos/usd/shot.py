"""The shot builder: a shot package version (kind ShotPackage, one member per department, the
slot naming the department) as a USD shot stage with one sublayer per department, strongest
first in pipeline order (lighting over fx over anim over layout ...), and the shot's frame range
from the project's inventory (legos.projects.shot_timing) when it is there.

A department whose member is one USD layer (a department's shot layer, authored in shot
namespace) is sublayered as published; a department whose member is a package (or a file) gets
a generated layer holding its assembly under /<shot>/<department>.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from legos.errors import LegosError
from legos.usd.compose import Composer, open_layer, set_stage_info
from legos.usd.package_tree import Node

if TYPE_CHECKING:
    from legos.api import Legos

SHOT_KIND = "ShotPackage"
# strongest first; departments not named here come after these, by name
DEPARTMENTS = ("lighting", "comp", "fx", "cfx", "crowd", "anim", "animation", "layout",
               "camera", "set", "setdressing", "env", "assets")


def department_order(nodes: list[Node]) -> list[Node]:
    rank = {name: i for i, name in enumerate(DEPARTMENTS)}
    return sorted(nodes, key=lambda n: (rank.get(n.slot.lower(), len(rank)), n.slot))


def compose_shot(composer: Composer, parent: str) -> tuple[str, dict[str, Any]]:
    """Author the shot: its prim in the edit target's layer, and one sublayer of that layer per
    department. Returns the shot prim's path and the generated layers by department."""
    from pxr import Sdf, Usd

    stage = composer.stage
    top = composer.tree.top
    home = stage.GetEditTarget()
    layer = home.GetLayer()
    shot_path = composer.package_prim(top, parent, top.version.asset)
    generated: dict[str, Any] = {}
    for child in department_order(top.children):
        if child.is_layer and not child.is_package:
            layer.subLayerPaths.append(child.entry_path)
            composer.sublayered(child, open_layer(str(child.entry_path), child.uri))
            continue
        department = Sdf.Layer.CreateAnonymous(f"{child.slot}.usda")
        department.customLayerData = {"legos_department": {
            "department": child.slot, "uri": child.uri, "kind": child.kind}}
        layer.subLayerPaths.append(department.identifier)
        stage.SetEditTarget(Usd.EditTarget(department))
        try:
            composer.place(child, shot_path, child.slot)
        finally:
            stage.SetEditTarget(home)
        generated[child.slot] = department
    return shot_path, generated


def set_shot_time(stage: Any, lg: Legos, top: Node, warnings: list[str]) -> bool:
    """The stage's time codes from the shot's inventory entry; False when there is none (or
    this legos has no project inventory yet)."""
    try:
        from legos.projects import shot_timing  # issue 13: projects as data
    except ImportError:
        return False
    version = top.version
    timing = None
    try:
        for name in dict.fromkeys([version.asset, version.asset.rsplit("/", 1)[-1]]):
            timing = shot_timing(lg, version.project, name)
            if timing is not None:
                break
    except LegosError as exc:
        warnings.append(f"{version.uri}: the shot's frame range could not be read: {exc}")
        return False
    if timing is None:
        warnings.append(f"{version.uri}: project {version.project!r} has no shot entry named "
                        f"{version.asset!r}: the stage keeps its default time range")
        return False
    set_stage_info(stage, "startTimeCode", float(timing.frame_in))
    set_stage_info(stage, "endTimeCode", float(timing.frame_out))
    fps = getattr(timing, "fps", None)
    if fps:
        set_stage_info(stage, "timeCodesPerSecond", float(fps))
        set_stage_info(stage, "framesPerSecond", float(fps))
    return True

