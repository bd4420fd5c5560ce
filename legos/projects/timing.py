"""A shot's timing from its project's inventory: what a USD shot stage needs (start and end
time codes, time codes per second)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from legos.api import Legos


@dataclass(frozen=True)
class ShotTiming:
    frame_in: int
    frame_out: int
    fps: float | None   # the shot's own, else the project's [metadata] fps; None: neither says


def enclosing_uids(project: str, name: str) -> list[str]:
    """`<project>/<name>` and the path of every folder above it, nearest first."""
    parts = name.split("/")
    return [f"{project}/{'/'.join(parts[:i])}" for i in range(len(parts), 0, -1)]


def shot_timing(lg: Legos, project: str, shot_name: str) -> ShotTiming | None:
    """The frame range and fps of the shot `shot_name` of `project` (its `[shots.NAME]` entry,
    or the nearest shot entry holding it: `seq010/sh0040/layout` takes `seq010/sh0040`'s).
    A shot without its own range takes the project's `[metadata]` frame_in/frame_out. None
    when the project has no definition, no such shot, or no range anywhere."""
    from legos.model import validate_asset_name, validate_project_code

    validate_project_code(project)
    validate_asset_name(shot_name)
    uids = enclosing_uids(project, shot_name)
    rows = lg.store.query("projects/shot_timing", project=project, uids=uids)
    if not rows:
        return None
    by_uid = {row["uid"]: row for row in rows}
    shot = next((by_uid[u] for u in uids if (by_uid.get(u) or {}).get("section") == "shots"),
                None)
    if shot is None:
        return None
    metadata = _metadata(rows[0]["settings"])
    frame_in = shot["frame_in"] if shot["frame_in"] is not None else metadata.get("frame_in")
    frame_out = shot["frame_out"] if shot["frame_out"] is not None else metadata.get("frame_out")
    if frame_in is None or frame_out is None:
        return None
    fps = shot["fps"] if shot["fps"] is not None else metadata.get("fps")
    return ShotTiming(int(frame_in), int(frame_out), None if fps is None else float(fps))


def _metadata(settings: str | None) -> dict[str, Any]:
    if not settings:
        return {}
    data: dict[str, Any] = json.loads(settings).get("metadata") or {}
    return data
