"""Retargeting asset paths to the versions an assembly chose: a published layer names the
texture (HDR, any file) version it was made with; when pins or a selector choose another version
of that asset, the assembled stage gets an opinion in its own layer naming the chosen version's
file. Published files are never edited.

    retargeted = retarget(stage, lg, ["/spot", "/Render"], wanted, warnings)
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from legos import catalog
from legos.entry import UDIM
from legos.model.representation import THUMBNAIL
from legos.pins.files import RepresentationNotFoundError, tile_path
from legos.usd.dependencies import relative_under

if TYPE_CHECKING:
    from legos.api import Legos
    from legos.store.base import Transaction

# asset paths -> the uid of the version the assembly wants of each (absent: keep as published)
Wanted = Callable[["Transaction", list[str]], dict[str, str]]

_TILE = re.compile(r"^(?P<stem>.*)\.(?P<tile>1\d{3})\.(?P<ext>[^./]+)$")


@dataclass(frozen=True)
class Retarget:
    attribute: str      # the attribute's path, e.g. /spot/model/mtl/tex.inputs:file
    asset: str          # "<project>/<asset name>" of the file's asset
    old: str            # the file the published layer names
    new: str            # the chosen version's file, authored in the assembled stage
    from_uri: str
    to_uri: str

    def to_json(self) -> dict[str, str]:
        return {"attribute": self.attribute, "asset": self.asset, "old": self.old,
                "new": self.new, "from": self.from_uri, "to": self.to_uri}


@dataclass
class _Use:
    attr: Any
    index: int | None   # position in an asset[] value; None for a single asset
    path: str           # absolute, possibly with <UDIM>
    probe: str          # an existing file standing for it (a UDIM set's first tile)


def _anchored(attr: Any, authored: str) -> str | None:
    """An authored path made absolute against the layer whose opinion wins (USD resolves no
    UDIM set, so its resolvedPath is empty)."""
    from pxr import Usd

    if os.path.isabs(authored):
        return authored
    for spec in attr.GetPropertyStack(Usd.TimeCode.Default()):
        if spec.HasDefaultValue():
            return str(spec.layer.ComputeAbsolutePath(authored))
    return None


def _uses(stage: Any, roots: Iterable[str]) -> list[_Use]:
    from pxr import Sdf, Usd

    kinds = (Sdf.ValueTypeNames.Asset, Sdf.ValueTypeNames.AssetArray)
    found = []
    for root in roots:
        top = stage.GetPrimAtPath(root)
        if not top:
            continue
        for prim in Usd.PrimRange(top):
            for attr in prim.GetAttributes():
                if attr.GetTypeName() not in kinds or attr.GetNumTimeSamples():
                    continue  # animated file paths are left as authored
                value = attr.Get()
                if value is None:
                    continue
                values = [value] if isinstance(value, Sdf.AssetPath) else list(value)
                for i, item in enumerate(values):
                    if not item.path:
                        continue
                    path = item.resolvedPath or _anchored(attr, item.path)
                    if not path:
                        continue
                    probe = path
                    if UDIM in os.path.basename(path):
                        tiles = sorted(glob.glob(glob.escape(path).replace(UDIM, "1[0-9][0-9][0-9]")))
                        if not tiles:
                            continue
                        probe = tiles[0]
                    found.append(_Use(attr, None if isinstance(value, Sdf.AssetPath) else i,
                                      os.path.normpath(path), probe))
    return found


def retarget(stage: Any, lg: Legos, roots: Iterable[str], wanted: Wanted,
             warnings: list[str]) -> list[Retarget]:
    """Point every asset path under `roots` that names a file of another version than the one
    `wanted` picks at the picked version's file (same name; for an entry, the new entry)."""
    from pxr import Sdf

    uses = _uses(stage, roots)
    if not uses:
        return []
    root = lg.root
    real_root = os.path.realpath(root)
    rel_of = {}
    for use in uses:
        rel = relative_under(os.path.realpath(use.probe), real_root)
        if rel is not None:
            rel_of[use.probe] = rel
    if not rel_of:
        return []

    def work(tx: Transaction) -> tuple[dict[str, dict[str, Any]], dict[str, str], dict[str, Any]]:
        owners = {row["path"]: row for row in
                  tx.query("usd/versions_of_files", paths=sorted(set(rel_of.values())))}
        assets = sorted({f"{r['project']}/{r['asset']}" for r in owners.values()})
        picks = wanted(tx, assets)
        uids = sorted({r["uid"] for r in owners.values()} | set(picks.values()))
        return owners, picks, catalog.versions_by_uid(tx, uids, root)

    owners, picks, versions = lg.store.read(work)
    done: list[Retarget] = []
    arrays: dict[Any, list[Any]] = {}
    for use in uses:
        owner = owners.get(rel_of.get(use.probe, ""))
        if owner is None:
            continue
        asset = f"{owner['project']}/{owner['asset']}"
        chosen = picks.get(asset)
        if chosen is None or chosen == owner["uid"]:
            continue
        old_version, new_version = versions[owner["uid"]], versions[chosen]
        new = _same_file(owner["name"], use.path != use.probe, old_version, new_version)
        if new is None:
            warnings.append(f"{use.attr.GetPath()} names {use.path} of {old_version.uri}; "
                            f"{new_version.uri} has no file of that name: left as published")
            continue
        if use.index is None:
            use.attr.Set(Sdf.AssetPath(new))
        else:
            values = arrays.setdefault(use.attr, [a.path for a in use.attr.Get()])
            values[use.index] = new
        done.append(Retarget(str(use.attr.GetPath()), asset, use.path, new, old_version.uri,
                             new_version.uri))
    for attr, values in arrays.items():
        attr.Set(Sdf.AssetPathArray(values))
    return done


def _same_file(name: str, udim: bool, old: Any, new: Any) -> str | None:
    """The file of `new` that stands where `name` of `old` stood: the same name, or the new
    entry when `name` was the old entry. A UDIM set maps as a set."""
    files = {r.name: r.path for r in new.representations if r.role != THUMBNAIL}
    if udim:
        tile = _TILE.match(name)
        if tile is None:
            return None
        name = f"{tile['stem']}.{UDIM}.{tile['ext']}"
    candidates = [name] + ([new.entry] if new.entry and old.entry == name else [])
    for candidate in candidates:
        try:
            return os.path.normpath(tile_path(files, candidate))
        except RepresentationNotFoundError:
            continue
    return None
