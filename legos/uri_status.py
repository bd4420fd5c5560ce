"""Where a version stands, for an artist looking at something a DCC imported: its status,
the newest approved version of its asset, and which of its inputs have a newer approved one.

    s = uri_status(lg, "legos:/demo/chr/skaarj/model?version=3")
    s.version, s.status, s.newer_approved, [r.asset for r in s.stale_inputs]

DCC-neutral: Blender's lineage panel and Houdini's helpers both show this.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from legos.errors import VersionNotFoundError

if TYPE_CHECKING:
    from legos.api import Legos
    from legos.questions import StaleRow


@dataclass(frozen=True)
class UriStatus:
    uri: str                      # the exact version the URI names now
    project: str
    asset: str
    kind: str
    version: int
    status: str
    newest_approved: int | None   # the asset's newest approved version number, if any
    newest_approved_uri: str | None
    stale_inputs: list[StaleRow]  # inputs with a newer approved version than the one used

    @property
    def newer_approved(self) -> bool:
        """Whether an approved version newer than this one exists."""
        return self.newest_approved is not None and self.newest_approved > self.version


def uri_status(lg: Legos, uri: str) -> UriStatus:
    """The status of the version `uri` names (any selector in it is resolved first)."""
    version = lg.show(uri)
    try:
        approved = lg.select(f"{version.project}/{version.asset}", "approved")
    except VersionNotFoundError:
        approved = None
    return UriStatus(uri=version.uri, project=version.project, asset=version.asset,
                     kind=version.kind, version=version.number, status=version.status.value,
                     newest_approved=approved.number if approved else None,
                     newest_approved_uri=approved.uri if approved else None,
                     stale_inputs=list(lg.stale(version.uri)))
