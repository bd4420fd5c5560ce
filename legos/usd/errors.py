"""The errors of legos' USD tools, each a LegosError that names the file and the fix.

    InvalidInputError
    ├── UsdFileError               a missing file, or one USD cannot read
    ├── AmbiguousSearchPathError   a search path that two projects' pinned assets both match
    ├── OutputFolderError          an output folder that cannot be written or is not ours
    ├── PinsDirError               a pins directory that cannot hold the manifest's pins
    └── IdentityError              a layer that cannot (or must not) be stamped
    NotFoundError (legos.errors)
    └── NoEntryFileError           a version an assembly composes that has no entry file
    ManifestError (legos.pins.manifest)
    ├── UnpinnedAssetError         a needed asset that the manifest does not pin
    └── MissingPinnedFileError     a pinned version without the file a path asks for
    FreezeVerificationError        a frozen copy that does not resolve on its own
"""

from __future__ import annotations

from legos.errors import InvalidInputError, LegosError, NotFoundError
from legos.pins.manifest import ManifestError


class UsdFileError(InvalidInputError):
    pass


class AmbiguousSearchPathError(InvalidInputError):
    pass


class OutputFolderError(InvalidInputError):
    pass


class PinsDirError(InvalidInputError):
    pass


class IdentityError(InvalidInputError):
    pass


class NoEntryFileError(NotFoundError):
    pass


class UnpinnedAssetError(ManifestError):
    pass


class MissingPinnedFileError(ManifestError):
    pass


class FreezeVerificationError(LegosError):
    pass
