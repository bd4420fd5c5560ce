"""A helper of the archive tests (imported, not collected): a copy of an archive with its
manifest or some members changed, as an older or a damaged legos archive would be."""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def rewrite(archive: Path, out: Path,
            manifest_edit: Callable[[dict[str, Any]], None] | None = None,
            member_edit: Callable[[str, bytes], bytes] | None = None) -> Path:
    """A copy of `archive` at `out` with its manifest (a dict, edited in place) or a member's
    bytes (name, bytes -> bytes) changed."""
    with tarfile.open(archive) as src, tarfile.open(out, "w") as dst:
        for member in src.getmembers():
            found = src.extractfile(member) if member.isfile() else None
            data = found.read() if found is not None else None
            if member.name == "manifest.json" and manifest_edit and data is not None:
                doc = json.loads(data)
                manifest_edit(doc)
                data = json.dumps(doc).encode()
            elif member_edit and data is not None:
                data = member_edit(member.name, data)
            if data is None:
                dst.addfile(member)
                continue
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    return out
