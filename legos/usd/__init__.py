"""legos and USD: what a USD file depends on, freezing it to a pin set, pins directories for
USD's search paths, legos identity inside layers, and package versions assembled as stages
(shots as one sublayer per department). usd-core loads only when used.
"""

from __future__ import annotations

from legos.usd.assemble import Assembly, assemble, assemble_into
from legos.usd.compose import AssemblyMember
from legos.usd.dependencies import ReachedFile, analyse_dependencies
from legos.usd.freeze import FreezeResult, FrozenPath, freeze
from legos.usd.identity import Identity, read_identity, stamp_identity
from legos.usd.pins_dir import PinsDir, build_pins_dir, resolver_context
from legos.usd.retarget import Retarget

__all__ = ["Assembly", "AssemblyMember", "Retarget", "assemble", "assemble_into",
           "ReachedFile", "FreezeResult", "FrozenPath", "Identity", "PinsDir",
           "analyse_dependencies", "build_pins_dir", "freeze", "read_identity",
           "resolver_context", "stamp_identity"]
