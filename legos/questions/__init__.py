"""The question catalogue: what TDs and producers ask of the lineage graph, one module each.

Each answers with one or two query modules from cypher/lineage/ and a little Python that
shapes the rows; every one takes `as_of` (see legos.as_of). Analytics live in legos.analytics.
"""

from legos.questions.diff import DiffRow, diff
from legos.questions.evolution import EvolutionStep, evolution
from legos.questions.impact import ImpactRow, by_asset, impact
from legos.questions.path import PathStep, path
from legos.questions.stale import StaleRow, stale

__all__ = ["DiffRow", "EvolutionStep", "ImpactRow", "PathStep", "StaleRow", "by_asset", "diff",
           "evolution", "impact", "path", "stale"]
