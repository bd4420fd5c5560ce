"""Reading what the store holds: select a version by URI, show it, list history and assets."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from legos.errors import AssetNotFoundError, VersionNotFoundError
from legos.model import Asset, Representation, Version, VersionStatus
from legos.store.base import Transaction
from legos.uri import AssetURI, format_uri

# "No time rule" for the `$at` parameter of the select modules: LadybugDB types a null
# parameter as BOOL, so the rule takes an instant later than any version instead.
NO_TIME = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc)


def asset_row(tx: Transaction, path: str) -> dict[str, Any]:
    rows = tx.query("versions/asset", path=path)
    if not rows:
        raise AssetNotFoundError(
            f"no asset legos:/{path}: check the name with `legos ls`, or publish it first"
        )
    return rows[0]


def select_uid(tx: Transaction, uri: AssetURI) -> str:
    """The uid of the version a URI names; a clear error when there is none."""
    rows = tx.query("versions/select", path=uri.path, number=uri.version or 0,
                    status=uri.status or "", tag=uri.tag or "", at=uri.at or NO_TIME,
                    depends_on="")
    if rows:
        return rows[0]["uid"]
    asset = asset_row(tx, uri.path)
    latest = asset["latest"]
    if uri.version is not None:
        hint = f"its latest is v{latest}" if latest else "it has no versions yet"
        raise VersionNotFoundError(f"{uri} does not exist: {hint}")
    raise VersionNotFoundError(
        f"no version of {uri.asset_uri()} matches {uri.rule()}: "
        f"see `legos history {uri.asset_uri()}`"
    )


def versions_by_uid(tx: Transaction, uids: list[str], root: Path | None) -> dict[str, Version]:
    files: dict[str, list[Representation]] = {uid: [] for uid in uids}
    for r in tx.query("versions/files", uids=uids):
        files[r["uid"]].append(Representation(
            name=r["name"], path=str(root / r["path"]) if root else r["path"],
            format=r["format"], size=r["size"], sha256=r["sha256"]))
    tags: dict[str, set[str]] = {uid: set() for uid in uids}
    for r in tx.query("versions/tags", uids=uids):
        tags[r["uid"]].add(r["tag"])
    out = {}
    for row in tx.query("versions/get", uids=uids):
        uid = row["uid"]
        out[uid] = Version(
            uid=uid, project=row["project"], asset=row["asset"], kind=row["kind"],
            number=row["number"], status=VersionStatus(row["status"]),
            content_hash=row["content_hash"], comment=row["comment"] or "",
            created_by=row["created_by"], created_at=row["created_at"],
            representations=tuple(sorted(files[uid], key=lambda r: r.name)),
            tags=tuple(sorted(tags[uid])),
        )
    return out


def get_version(tx: Transaction, uri: AssetURI, root: Path | None) -> Version:
    uid = select_uid(tx, uri)
    return versions_by_uid(tx, [uid], root)[uid]


def history(tx: Transaction, uri: AssetURI) -> list[dict[str, Any]]:
    asset_row(tx, uri.path)
    rows = tx.query("versions/history", path=uri.path)
    for row in rows:
        row["uri"] = format_uri(uri.project, uri.asset, row["version"])
    return rows


def list_assets(tx: Transaction, project: str | None, kind: str | None) -> list[Asset]:
    return [
        Asset(uid=r["uid"], project=r["project"], name=r["name"], kind=r["kind"],
              created_at=r["created_at"], latest=r["latest"] or 0)
        for r in tx.query("assets/list", project=project or "", kind=kind or "")
    ]
