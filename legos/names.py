"""Names that become paths (files inside a version, paths in manifests, pin scopes): checked
where they come in, so that nothing legos writes or reads lands outside the folder meant.

A path here is relative and '/'-separated; each segment is a plain name: not empty, not `.`
or `..`, no backslash (a separator on Windows mounts of the same storage), no control
character (NUL, newline, escape: they hide in listings and break logs), at most 255 bytes.
"""

from __future__ import annotations

import re

from legos.errors import InvalidNameError

SEGMENT_MAX_BYTES = 255  # what ext4, XFS, NTFS and APFS allow for one name
PATH_MAX_BYTES = 4000    # below Linux's PATH_MAX with room for the root in front
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DRIVE = re.compile(r"[A-Za-z]:")


def problem(text: object) -> str | None:
    """Why `text` is not a relative path that stays inside its folder, or None when it is."""
    if not isinstance(text, str):
        return f"is {type(text).__name__}, not text"
    if not text:
        return "is empty"
    found = _CONTROL.search(text)
    if found:
        return f"holds the control character {found.group()!r}"
    if "\\" in text:
        return "holds a backslash (a folder separator on Windows): use '/' between folders"
    if text.startswith("/") or _DRIVE.match(text):
        return "is an absolute path: give a path relative to its folder"
    if len(text.encode("utf-8", "surrogatepass")) > PATH_MAX_BYTES:
        return f"is longer than {PATH_MAX_BYTES} bytes"
    for segment in text.split("/"):
        if segment in ("", ".", ".."):
            return f"has the segment {segment!r}, which would leave or blur its folder"
        if len(segment.encode("utf-8", "surrogatepass")) > SEGMENT_MAX_BYTES:
            return f"has a name longer than {SEGMENT_MAX_BYTES} bytes ({segment[:24]!r}...)"
    return None


def check_relative_path(what: str, text: object) -> str:
    """`text` if it is a relative path inside its folder; else InvalidNameError naming `what`.
    A long name is shortened in the message."""
    why = problem(text)
    if why is not None:
        shown = text[:80] + "..." if isinstance(text, str) and len(text) > 80 else text
        raise InvalidNameError(f"{what} {shown!r} {why}")
    assert isinstance(text, str)
    return text
