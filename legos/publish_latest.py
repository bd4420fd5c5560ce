"""The latest version of an asset with its exact inputs: what a publish compares itself with
to tell whether it repeats it (legos.publish)."""

from __future__ import annotations

from typing import Any

from legos.store.base import Transaction


def latest_content(tx: Transaction, path: str, content_hash: str) -> dict[str, Any] | None:
    """{uid, number, content_hash, deps, members} of the latest version of the asset at
    `path` (deps and members: [{uid, name}]), or None when it has none. Over Bolt one query (a
    round trip is the cost there); in-process the latest version by its asset's key, then its
    inputs by its own key, only when its content hash is `content_hash` (else they cannot
    make it a repeat): the single query joins whole relationship tables on LadybugDB."""
    if tx.dialect != "ladybug":
        rows = tx.query("publish/latest_content", path=path)
        return rows[0] if rows else None
    rows = tx.query("publish/latest_version", path=path)
    if not rows:
        return None
    latest = {**rows[0], "deps": [], "members": []}
    if latest["content_hash"] == content_hash:
        latest["deps"] = tx.query("publish/version_dependencies", uid=latest["uid"])
        latest["members"] = tx.query("publish/version_members", uid=latest["uid"])
    return latest
