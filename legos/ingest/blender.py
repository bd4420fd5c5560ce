"""Where legos finds a Blender for model ingest, and how it runs a script in it.

In order: `blender=` (`--blender EXE`, or `$LEGOS_BLENDER`): a Blender executable; else
`$LEGOS_BLENDER_PYTHON`: a Python that can `import bpy`; else `.venv-blender/bin/python` of the
repository or of the install (what `scripts/setup.sh --with-blender` makes). Blender always
runs in a separate process, so its Python and numpy never constrain legos' own.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from legos.errors import ConfigError

EXECUTABLE = "executable"  # blender --background --python SCRIPT -- ARGS
PYTHON = "python"          # python SCRIPT ARGS (with the bpy module)

_HOW = ("pass --blender /path/to/blender (or set LEGOS_BLENDER), set LEGOS_BLENDER_PYTHON to "
        "a Python with bpy 5.0 (pip install bpy==5.0.1 'numpy<2'), or run "
        "scripts/setup.sh --with-blender")


@dataclass(frozen=True)
class Blender:
    """A way to run a script inside Blender's Python."""

    program: str
    kind: str        # EXECUTABLE or PYTHON
    found_by: str    # what chose it (for messages and provenance)

    def command(self, script: str | os.PathLike[str], args: list[str]) -> list[str]:
        if self.kind == EXECUTABLE:
            return [self.program, "--background", "--factory-startup", "--python",
                    str(script), "--", *args]
        return [self.program, str(script), *args]

    def environment(self) -> dict[str, str]:
        """Our environment without what would make Blender's Python load legos' packages
        (another numpy, another USD)."""
        env = {k: v for k, v in os.environ.items()
               if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")}
        env["PYTHONNOUSERSITE"] = "1"
        return env


def _program(path: str, what: str) -> str:
    found = shutil.which(path) if os.sep not in path else path
    if not found or not os.path.isfile(found) or not os.access(found, os.X_OK):
        raise ConfigError(f"{what} {path!r} is not an executable file: {_HOW}")
    return os.path.abspath(found)


def _default_environments() -> list[Path]:
    """`.venv-blender` beside the repository of an editable install, and beside the
    environment legos runs in."""
    repo = Path(__file__).resolve().parents[2]
    candidates = [repo / ".venv-blender", Path(sys.prefix).resolve().parent / ".venv-blender"]
    return list(dict.fromkeys(candidates))


def find_blender(blender: str | os.PathLike[str] | None = None) -> Blender:
    """The Blender to convert with (see the module docstring for the order)."""
    if blender is not None:
        return Blender(_program(os.fspath(blender), "Blender"), EXECUTABLE, "--blender")
    if os.environ.get("LEGOS_BLENDER"):
        return Blender(_program(os.environ["LEGOS_BLENDER"], "LEGOS_BLENDER"), EXECUTABLE,
                       "LEGOS_BLENDER")
    if os.environ.get("LEGOS_BLENDER_PYTHON"):
        return Blender(_program(os.environ["LEGOS_BLENDER_PYTHON"], "LEGOS_BLENDER_PYTHON"),
                       PYTHON, "LEGOS_BLENDER_PYTHON")
    for env in _default_environments():
        for python in (env / "bin" / "python", env / "Scripts" / "python.exe"):
            if python.is_file() and os.access(python, os.X_OK):
                return Blender(str(python), PYTHON, str(env))
    raise ConfigError(f"no Blender found for model ingest: {_HOW}")
