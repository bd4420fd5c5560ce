"""How an asset evolved: its versions in order, each with how its inputs changed from the
version before (inputs added, removed, or moved to another version)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from legos import as_of as past
from legos.catalog import NO_TIME, asset_row
from legos.rows import trusted
from legos.store.base import Transaction
from legos.uri import AssetURI, format_uri


class InputChange(BaseModel):
    model_config = ConfigDict(frozen=True)

    change: str                 # added / removed / changed
    asset: str                  # "<project>/<asset name>"
    kind: str
    role: str | None
    from_version: int | None
    to_version: int | None


class EvolutionStep(BaseModel):
    model_config = ConfigDict(frozen=True)

    uri: str
    project: str
    asset: str
    version: int
    status: str
    created_by: str
    created_at: datetime
    comment: str
    inputs: int                 # how many direct inputs this version has
    changes: list[InputChange]  # against the version before; every input for the first
    uid: str


def _compare(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> list[InputChange]:
    out = []
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        if before and after and before["version"] == after["version"]:
            continue
        side = after or before
        assert side is not None
        out.append(trusted(InputChange, {  # fields straight from the store's typed columns
            "change": "added" if not before else "removed" if not after else "changed",
            "asset": key, "kind": side["kind"], "role": side["role"],
            "from_version": before["version"] if before else None,
            "to_version": after["version"] if after else None}))
    return out


def _versions(tx: Transaction, path: str, as_of: datetime | None) -> dict[int, dict[str, Any]]:
    """Each version of the asset (number -> its fields) with its direct inputs by asset
    ("inputs": asset -> version, kind, role). A published version's inputs never change:
    without an as-of time they are remembered per version (legos.memo), and asking again reads
    only the asset's versions (versions/history: statuses change, new versions come); an asset
    never asked about is read whole at once (lineage/evolution)."""
    memo = tx.memo if as_of is None else None
    if memo is not None and memo.get(("evolution", path)) is not None:
        rows = tx.query("versions/history", path=path)
        inputs = memo.get_many([("evolution", v["uid"]) for v in rows])
        if rows and all(found is not None for found in inputs):
            return {v["version"]: {**v, "inputs": found}
                    for v, found in zip(rows, inputs, strict=True)}
    found = tx.query("lineage/evolution", path=path, as_of=as_of or NO_TIME)
    if not found:  # asked only then: one query fewer for every asset that has versions
        asset_row(tx, path)  # an unknown asset is an error naming it, not an empty answer
    versions: dict[int, dict[str, Any]] = {}
    for row in found:
        version = versions.setdefault(row["version"], {**row, "inputs": {}})
        if row["input_asset"] is not None:
            # an asset used at two versions by one version keeps the higher (rare: diamonds)
            key = f"{row['input_project']}/{row['input_asset']}"
            seen = version["inputs"].get(key)
            if seen is None or row["input_version"] > seen["version"]:
                version["inputs"][key] = {"version": row["input_version"],
                                          "kind": row["input_kind"], "role": row["role"]}
    if memo is not None:  # read only from here on: the steps compare, never change them
        for version in versions.values():
            memo.put(("evolution", version["uid"]), version["inputs"],
                     1 + len(version["inputs"]))
        memo.put(("evolution", path), True, 1)
    return versions


def evolution(tx: Transaction, asset: AssetURI,
              as_of: datetime | None = None) -> list[EvolutionStep]:
    versions = _versions(tx, asset.path, as_of)
    statuses = past.statuses_at(tx, as_of)
    steps: list[EvolutionStep] = []
    previous: dict[str, dict[str, Any]] = {}
    for number in sorted(versions):
        row = versions[number]
        status = statuses[row["uid"]] if row["uid"] in statuses else row["status"]
        steps.append(trusted(EvolutionStep, {
            "uri": format_uri(asset.project, asset.asset, number), "project": asset.project,
            "asset": asset.asset, "version": number, "status": status,
            "created_by": row["created_by"], "created_at": row["created_at"],
            "comment": row["comment"] or "", "inputs": len(row["inputs"]),
            "changes": _compare(previous, row["inputs"]), "uid": row["uid"]}))
        previous = row["inputs"]
    return steps
