"""Projects as data: a show's settings, path templates and inventory (assets and shots), loaded
from one TOML file into the graph, versioned, and the work areas they define.

    definition  the validated model (ProjectDefinition) and its canonical JSON
    toml_file   the project file: read (validated, one-line errors) and written (deterministic)
    store       read now or as of a time, create, load (a recorded merge), history
    diff        what a load adds, changes and removes
    templates   per-project publish and work templates
    workarea    work folders and the environment a launcher exports
    timing      a shot's frame range and fps (for USD shot stages)
    inventory   the inventory of a scanned tree (`legos ingest ... --project-file`)
"""

from __future__ import annotations

from legos.projects.definition import (
    App,
    Entry,
    ProjectDefinition,
    ProjectMetadata,
    Task,
    Templates,
)
from legos.projects.timing import ShotTiming, shot_timing

__all__ = [
    "App",
    "Entry",
    "ProjectDefinition",
    "ProjectMetadata",
    "ShotTiming",
    "Task",
    "Templates",
    "shot_timing",
]
