"""LOP helpers: the shared assemble step (legos.usd.assemble_into) applied to the stage a
Python Script LOP edits. In the LOP's Python:

    import hou
    from legos_houdini.lops import load_package
    load_package(hou.pwd().editableStage(), "legos:/demo/chr/skaarj/lookdev?status=approved")

or `load_package_here(uri)`, which finds the LOP's stage itself. The store and root are
legos's defaults ($LEGOS_STORE, $LEGOS_ROOT) unless an open handle is given.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeAlias

from legos.errors import InvalidInputError

if TYPE_CHECKING:
    from legos.api import Legos
    from legos.pins.manifest import Manifest
    from legos.selection import Selector
    from legos.usd.assemble import Assembly

    Pins: TypeAlias = str | os.PathLike[str] | Manifest | None  # a manifest's path, or one read

SHOT_KIND = "ShotPackage"


class NotALopError(InvalidInputError):
    """The helper ran where no LOP stage can be edited (not a Python Script LOP's code)."""


@contextmanager
def _handle(lg: Legos | None) -> Iterator[Legos]:
    if lg is not None:
        yield lg
        return
    import legos

    with legos.open() as opened:
        yield opened


def load_package(stage: Any, uri: str, pins: Pins = None, *,
                 select: str | Selector | None = None, parent: str = "/",
                 lg: Legos | None = None) -> Assembly:
    """Compose a package (or asset) version into `stage` under `parent`: one prim per package
    and per member, each member's entry referenced at its exact version, with assetInfo
    naming its legos URI; with `pins`, the versions a pin manifest froze; with `select`,
    members re-chosen by a selector. Returns the Assembly (`.members`: what was composed
    where, `.warnings`)."""
    from legos.usd.assemble import assemble_into

    with _handle(lg) as handle:
        return assemble_into(stage, handle, uri, pins=pins, select=select, parent=parent)


def load_shot(stage: Any, uri: str, pins: Pins = None, *,
              lg: Legos | None = None) -> Assembly:
    """The shot builder on a LOP stage: a ShotPackage version as one sublayer per department,
    the same assembly `legos usd assemble` writes for it. Refuses any other kind, so a
    package meant for load_package is not laid out as a shot by mistake."""
    with _handle(lg) as handle:
        version = handle.show(uri)
        if version.kind != SHOT_KIND:
            raise InvalidInputError(f"{version.uri} is a {version.kind}, not a {SHOT_KIND}: "
                                    "use load_package for it")
        return load_package(stage, uri, pins, lg=handle)


def lop_stage() -> Any:
    """The stage the running Python Script LOP edits (hou.pwd().editableStage())."""
    import hou

    node = hou.pwd()
    if not isinstance(node, hou.LopNode):
        raise NotALopError(f"{node.path()} is not a LOP: call this from a Python Script LOP's "
                           "code, or pass a stage to load_package")
    stage = node.editableStage()
    if stage is None:
        raise NotALopError(f"{node.path()} has no editable stage: only a Python Script LOP's "
                           "code can edit one while it cooks")
    return stage


def load_package_here(uri: str, pins: Pins = None, *, select: str | Selector | None = None,
                      parent: str = "/") -> Assembly:
    """load_package on the stage of the Python Script LOP this runs in."""
    return load_package(lop_stage(), uri, pins, select=select, parent=parent)


def load_shot_here(uri: str, pins: Pins = None) -> Assembly:
    """load_shot on the stage of the Python Script LOP this runs in."""
    return load_shot(lop_stage(), uri, pins)
