"""legos: asset management for VFX and animation on a graph database.

The top level stays light (the CLI's `--help` must be instant): the API and the store load
on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from legos.api import Legos, open
    from legos.errors import LegosError

__all__ = ["Legos", "LegosError", "open", "__version__"]


def __getattr__(name: str) -> Any:
    if name in ("Legos", "open"):
        from legos import api

        return getattr(api, name)
    if name == "LegosError":
        from legos.errors import LegosError

        return LegosError
    raise AttributeError(f"module 'legos' has no attribute {name!r}")
