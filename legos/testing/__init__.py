"""Test and benchmark support: a seeded production-shaped graph and a bulk loader for it.

Nothing in the core imports this package; networkx is needed only for the baselines.
"""

from legos.testing.synthetic import (
    DEFAULT_SEED,
    SynthAsset,
    SynthEdge,
    SynthGraph,
    SynthProject,
    SynthRepresentation,
    SynthUser,
    SynthVersion,
    expected_dependencies,
    expected_dependents,
    expected_lineage,
    generate,
    lineage_digraph,
)

__all__ = [
    "DEFAULT_SEED", "SynthAsset", "SynthEdge", "SynthGraph", "SynthProject",
    "SynthRepresentation", "SynthUser", "SynthVersion", "expected_dependencies",
    "expected_dependents", "expected_lineage", "generate", "lineage_digraph",
]
