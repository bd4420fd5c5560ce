"""What ingest says about each item it was given: one record per source, never a traceback.

`--json` prints these records; the exit status is 1 when any item failed (after every other
item was done).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

OK = "ok"
FAILED = "failed"
SKIPPED = "skipped"


@dataclass
class Record:
    source: str
    status: str = OK
    uri: str | None = None
    kind: str | None = None
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # colorspace, textures, reused, ...

    @property
    def failed(self) -> bool:
        return self.status == FAILED

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "status": self.status, "uri": self.uri,
                               "kind": self.kind, "error": self.error}
        for key, value in self.extra.items():
            out[key] = [r.to_json() for r in value] if key == "textures" else value
        return out


def failed(source: str, error: BaseException | str, kind: str | None = None) -> Record:
    """The record of an item that could not be done, its reason on one line."""
    return Record(source, FAILED, kind=kind, error=one_line(error))


def one_line(error: BaseException | str) -> str:
    from legos.errors import LegosError

    if isinstance(error, str):
        text = error
    elif isinstance(error, (LegosError, OSError)):
        text = str(error)
    else:  # not one we expected: say what it was, still on one line
        text = f"{type(error).__name__}: {error}"
    return " ".join(text.split())
