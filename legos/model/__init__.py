"""The legos object model: plain pydantic models, one module per concept.

It knows nothing about the graph store: the modules that read rows (catalog, lineage, review)
turn them into these models, each concept in one place.
"""

from legos.model.alias import AliasMove
from legos.model.asset import Asset, validate_asset_name, validate_project_code
from legos.model.change import Change
from legos.model.dependency import LineageRow, MemberRow
from legos.model.history import HistoryRow
from legos.model.representation import Representation, guess_format
from legos.model.revision import REVISION_KINDS, ReviewStatus, Revision
from legos.model.tag import Tag
from legos.model.version import Version, VersionStatus, parse_status

__all__ = [
    "AliasMove", "Asset", "Change", "HistoryRow", "LineageRow", "MemberRow", "Representation",
    "REVISION_KINDS", "Revision", "ReviewStatus", "Tag", "Version", "VersionStatus",
    "guess_format", "parse_status", "validate_asset_name", "validate_project_code",
]
