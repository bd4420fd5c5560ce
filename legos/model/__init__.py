"""The legos object model: plain pydantic models, one module per concept.

It knows nothing about the graph store; the store turns rows into these models and back.
"""

from legos.model.asset import Asset, validate_asset_name, validate_project_code
from legos.model.change import Change
from legos.model.dependency import Dependency, LineageRow, Membership
from legos.model.project import Project
from legos.model.representation import Representation, guess_format
from legos.model.revision import REVISION_KINDS, ReviewStatus, Revision
from legos.model.tag import Tag
from legos.model.user import User
from legos.model.version import Version, VersionStatus, parse_status

__all__ = [
    "Asset", "Change", "Dependency", "LineageRow", "Membership", "Project", "Representation",
    "REVISION_KINDS", "Revision", "ReviewStatus", "Tag", "User", "Version", "VersionStatus",
    "guess_format", "parse_status", "validate_asset_name", "validate_project_code",
]
