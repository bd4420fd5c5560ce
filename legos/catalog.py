"""Reading what the store holds: select a version by URI, show it, list history and assets."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from legos import metadata
from legos.errors import AssetNotFoundError, VersionNotFoundError
from legos.model import Asset, HistoryRow, Representation, Version, VersionStatus
from legos.model.representation import CONTENT
from legos.store.base import Transaction
from legos.uri import AssetURI, format_uri

# "No time rule" for the `$at` parameter of the select modules: LadybugDB types a null
# parameter as BOOL, so the rule takes an instant later than any version instead.
NO_TIME = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc)

# Statuses a rule never picks: "latest", `at`, dependency rules and pin selections pass over
# them. A version named explicitly (a number, a status rule, a tag someone put on it) is
# still reached: naming it is a decision, a rule is not.
SKIPPED_STATUSES = ("rejected", "deprecated")


# "Skip nothing" for `$skip`: a list whose only status no version has. LadybugDB re-binds a
# prepared statement handed an empty list (0.5 ms on every select, a third of a small question).
SKIP_NONE = [""]


def skipped(number: int = 0, status: str = "", tag: str = "") -> list[str]:
    """The `$skip` parameter of the select modules: what a rule passes over."""
    return list(SKIP_NONE) if number or status or tag else list(SKIPPED_STATUSES)


def asset_row(tx: Transaction, path: str) -> dict[str, Any]:
    rows = tx.query("versions/asset", path=path)
    if not rows:
        raise AssetNotFoundError(
            f"no asset legos:/{path}: check the name with `legos ls`, or publish it first"
        )
    return rows[0]


def select_rows(tx: Transaction, path: str, *, number: int = 0, status: str = "", tag: str = "",
                at: Any = NO_TIME, depends_on: str = "",
                skip: list[str] | None = None) -> list[dict[str, Any]]:
    """The newest version of `path` matching the rules (empty: no rule), as 0 or 1 rows.
    Rejected and deprecated versions are passed over unless named (see `skipped`)."""
    if skip is None:
        skip = skipped(number, status, tag)
    if tag or depends_on:
        return tx.query("versions/select", path=path, number=number, status=status, tag=tag,
                        at=at, depends_on=depends_on, skip=skip)
    return tx.query("versions/select_plain", path=path, number=number, status=status, at=at,
                    skip=skip)


def passed_over(tx: Transaction, path: str, **rules: Any) -> str:
    """Why a rule found nothing, when only rejected or deprecated versions match it: a hint
    for the error message ('' otherwise)."""
    rows = select_rows(tx, path, skip=list(SKIP_NONE), **rules)
    if not rows:
        return ""
    status = tx.query("versions/get", uids=[rows[0]["uid"]])[0]["status"]
    return (f" (its newest match, v{rows[0]['number']}, is {status}, and rules pass over "
            f"rejected or deprecated versions): name one with ?version=N")


def select_uid(tx: Transaction, uri: AssetURI) -> str:
    """The uid of the version a URI names; a clear error when there is none."""
    rows = select_rows(tx, uri.path, number=uri.version or 0, status=uri.status or "",
                       tag=uri.tag or "", at=uri.at or NO_TIME)
    if rows:
        return rows[0]["uid"]
    asset = asset_row(tx, uri.path)
    latest = asset["latest"]
    if uri.version is not None:
        hint = f"its latest is v{latest}" if latest else "it has no versions yet"
        raise VersionNotFoundError(f"{uri} does not exist: {hint}")
    hint = "" if uri.status or uri.tag else passed_over(tx, uri.path, at=uri.at or NO_TIME)
    rule = uri.rule()
    raise VersionNotFoundError(
        f"no version of {uri.asset_uri()} "
        + ("is left to pick" if rule == "the latest rule" else f"matches {rule}")
        + (hint or f": see `legos history {uri.asset_uri()}`")
    )


_KEYED_AT_MOST = 100  # versions read one keyed query each on LadybugDB (see versions_by_uid)


def versions_by_uid(tx: Transaction, uids: list[str], root: Path | None) -> dict[str, Version]:
    files: dict[str, list[dict[str, Any]]] = {uid: [] for uid in uids}
    tags: dict[str, set[str]] = {uid: set() for uid in uids}
    if len(uids) == 1 or (tx.dialect == "ladybug" and len(uids) <= _KEYED_AT_MOST):
        # show, publish, resolve: one keyed query beats three batch joins; on LadybugDB for
        # up to a hundred versions (its UNWIND of uids joins whole tables: versions/files took
        # 90 ms at 100k nodes for 10 versions, against 0.8 ms a version keyed)
        rows = [row for uid in uids for row in tx.query("versions/one", uid=uid)]
        for row in rows:
            files[row["uid"]] = [f for f in row["files"] if f.get("name")]
            tags[row["uid"]] = set(row["tags"])
        meta = {row["uid"]: metadata.decode(row["meta"]) for row in rows}
    else:
        meta = metadata.of_versions(tx, uids)
        for r in tx.query("versions/files", uids=uids):
            files[r["uid"]].append(r)
        for r in tx.query("versions/tags", uids=uids):
            tags[r["uid"]].add(r["tag"])
        rows = tx.query("versions/get", uids=uids)
    out = {}
    for row in rows:
        uid = row["uid"]
        out[uid] = Version(
            uid=uid, project=row["project"], asset=row["asset"], kind=row["kind"],
            number=row["number"], status=VersionStatus(row["status"]),
            content_hash=row["content_hash"], comment=row["comment"] or "",
            created_by=row["created_by"], created_at=row["created_at"],
            representations=tuple(sorted(
                (_representation(f, root) for f in files[uid]), key=lambda r: r.name)),
            tags=tuple(sorted(tags[uid])),
            entry=row.get("entry") or None,
            provenance=json.loads(row["provenance"]) if row.get("provenance") else None,
            meta=meta.get(uid, {}),
        )
    return out


def _representation(row: dict[str, Any], root: Path | None) -> Representation:
    return Representation(
        name=row["name"], path=str(root / row["path"]) if root else row["path"],
        format=row["format"], size=row["size"], sha256=row["sha256"],
        role=row.get("role") or CONTENT, width=row.get("width"), height=row.get("height"),
        channels=row.get("channels"), pixel_type=row.get("pixel_type"),
        colorspace=row.get("colorspace") or None, mip_levels=row.get("mip_levels"),
        tiled=row.get("tiled"))


def get_version(tx: Transaction, uri: AssetURI, root: Path | None) -> Version:
    uid = select_uid(tx, uri)
    return versions_by_uid(tx, [uid], root)[uid]


def history(tx: Transaction, uri: AssetURI) -> list[HistoryRow]:
    """Every version of the asset, newest first."""
    asset_row(tx, uri.path)
    # fields straight from the store's typed columns: an asset's long history is built
    # without re-validating each entry (as lineage rows are)
    return [HistoryRow.model_construct(
                uri=format_uri(uri.project, uri.asset, row["version"]), uid=row["uid"],
                version=row["version"], status=row["status"], created_by=row["created_by"],
                created_at=row["created_at"], comment=row["comment"] or "")
            for row in tx.query("versions/history", path=uri.path)]


def list_assets(tx: Transaction, project: str | None, kind: str | None,
                pattern: str | None = None, tag: str | None = None,
                status: str | None = None) -> list[Asset]:
    """Assets of a project and kind whose path ("<project>/<asset name>") matches the glob
    `pattern` (`*` crosses '/'), with a version of `status` and/or carrying `tag`."""
    if tag or status:
        rows = tx.query("assets/list_having", project=project or "", kind=kind or "",
                        status=status or "", tag=tag or "")
    else:
        rows = tx.query("assets/list", project=project or "", kind=kind or "")
    return [
        Asset(uid=r["uid"], project=r["project"], name=r["name"], kind=r["kind"],
              created_at=r["created_at"], latest=r["latest"] or 0)
        for r in rows
        if pattern is None or fnmatchcase(f"{r['project']}/{r['name']}", pattern)
    ]
