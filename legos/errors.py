"""The legos exception tree: every error a user can meet names the thing and the fix.

    LegosError                      root; the CLI prints its message without a traceback
    ├── InvalidInputError           bad input from the caller (also a ValueError)
    │   ├── InvalidNameError        an asset name or project code that is not path-like
    │   ├── InvalidURIError         a legos URI that does not parse
    │   ├── UnknownKindError        an asset kind that no registry knows
    │   ├── InvalidStatusError      a status that is not one of the known ones
    │   ├── PublishFileError        a file to publish that is missing or unreadable
    │   ├── PublishValidationError  a publish hook found an error (.findings: legos.hooks)
    │   ├── IngestError             a source (texture, model, USD) that cannot be ingested
    │   ├── ProjectFileError        a project file that is not valid TOML or not a definition
    │   └── ArchiveError            an archive (legos export) that is unreadable, malformed or newer
    ├── NotFoundError               something named does not exist
    │   ├── AssetNotFoundError
    │   ├── VersionNotFoundError    also raised for a dependency on a version that does not exist
    │   └── RevisionNotFoundError
    ├── ConflictError               the request contradicts what the graph holds
    │   ├── KindMismatchError       publishing an existing asset under another kind
    │   └── PublishFolderError      a version folder that would collide with another version's
    ├── StoreError                  the graph store failed or cannot be reached
    │   ├── StoreBusyError          another process is writing to the embedded store (retryable)
    │   ├── StoreNotFoundError      no store where one was named (only `legos init` creates one)
    │   ├── StoreUnavailableError   a Neo4j server that cannot be reached or refuses the login
    │   ├── SchemaVersionError      a store written by a newer legos
    │   ├── ReadOnlyStoreError      a write asked of a store opened read-only (--read-only)
    │   └── PublishConflictError    a concurrent publish won the race (retryable)
    ├── ConfigError                 a store or publish root that is not set up
    └── StorageFullError            the publish root's disk is full (or a quota/file-size limit)

No error says "this version cannot change": nothing in the API writes to a published version
(its files are read-only, its edges are written once, at publish), and status, tags and reviews
are meant to change. Every class here is raised somewhere (tests/test_error_tree.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class LegosError(Exception):
    """Root of every error legos raises on purpose."""


class InvalidInputError(LegosError, ValueError):
    pass


class InvalidNameError(InvalidInputError):
    pass


class InvalidURIError(InvalidInputError):
    pass


class UnknownKindError(InvalidInputError):
    pass


class InvalidStatusError(InvalidInputError):
    pass


class PublishFileError(InvalidInputError):
    pass


class PublishValidationError(InvalidInputError):
    """A validate_publish hook found an error, so nothing was published. `.findings` holds
    every finding of that validation (legos.hooks.Finding: errors, warnings and infos)."""

    def __init__(self, message: str, findings: Iterable[Any] = ()) -> None:
        super().__init__(message)
        self.findings = tuple(findings)

    @property
    def errors(self) -> tuple[Any, ...]:
        return tuple(f for f in self.findings if f.level == "error")


class IngestError(InvalidInputError):
    """A source that cannot be ingested; the message names the file and the reason."""


class ProjectFileError(InvalidInputError):
    """A project file (legos.projects) that does not parse or validate; the message names the
    key and its line."""


class ArchiveError(InvalidInputError):
    """An archive to import that is not one legos wrote, is damaged, or comes from a newer
    legos (docs/archive-format.md); the message names the archive and what is wrong."""


class NotFoundError(LegosError, LookupError):
    pass


class AssetNotFoundError(NotFoundError):
    pass


class VersionNotFoundError(NotFoundError):
    pass


class RevisionNotFoundError(NotFoundError):
    pass


class ConflictError(LegosError):
    pass


class KindMismatchError(ConflictError):
    pass


class PublishFolderError(ConflictError):
    """The path template would put a version's files in, over or around another version's."""


class StoreError(LegosError):
    pass


class StoreBusyError(StoreError):
    """Retryable: the embedded store is held by another process."""


class StoreNotFoundError(StoreError):
    """No legos store at the location given: only `legos init` (or create=True) makes one."""


class StoreUnavailableError(StoreError):
    pass


class SchemaVersionError(StoreError):
    pass


class ReadOnlyStoreError(StoreError):
    """A write (publish, tag, review, ...) asked of a store opened read-only."""


class PublishConflictError(StoreError):
    """Retryable: another publish of the same asset committed first."""


class ConfigError(LegosError):
    pass


class StorageFullError(LegosError):
    """No room left where files are written (ENOSPC, EDQUOT, EFBIG): nothing was published;
    the message names the publish root and the fix."""
