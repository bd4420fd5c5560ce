"""legos and USD: what a USD file depends on, freezing it to a pin set, pins directories for
USD's search paths, and legos identity inside layers. usd-core loads only when used.
"""

from __future__ import annotations

from legos.usd.dependencies import ReachedFile, analyse_dependencies
from legos.usd.freeze import FreezeResult, FrozenPath, freeze
from legos.usd.identity import Identity, read_identity, stamp_identity
from legos.usd.pins_dir import PinsDir, build_pins_dir, resolver_context

__all__ = ["ReachedFile", "FreezeResult", "FrozenPath", "Identity", "PinsDir",
           "analyse_dependencies", "build_pins_dir", "freeze", "read_identity",
           "resolver_context", "stamp_identity"]
