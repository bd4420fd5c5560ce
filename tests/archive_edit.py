"""A helper of the archive tests (imported, not collected): a copy of an archive with its
manifest or some members changed, as an older or a damaged legos archive would be."""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def dropping(gone: dict[str, tuple[str, ...]]) -> Callable[[str, bytes], bytes]:
    """A member edit that leaves the given properties out of the rows of the given JSON lines
    members ({member name: property names}), as an older schema wrote them."""
    def edit(name: str, data: bytes) -> bytes:
        if name not in gone:
            return data
        rows = [json.loads(line) for line in data.decode().split("\n") if line]
        for row in rows:
            for key in gone[name]:
                row.pop(key, None)
        return "".join(json.dumps(r) + "\n" for r in rows).encode()
    return edit


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
