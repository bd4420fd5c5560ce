"""Upgrades of stores written by an older legos, one step per schema version, run on open.

The schema itself adds the new columns, constraints and indexes; a step fills in the data the
new version expects. Steps are idempotent (a crash mid-upgrade just runs them again) and batched
(a million versions must not need one huge transaction). A schema version without a step is an
error, never skipped: a store half-upgraded in silence is worse than one that refuses to open.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from legos.errors import SchemaVersionError

if TYPE_CHECKING:
    from legos.store.base import GraphStore

Step = Callable[["GraphStore"], None]
_BATCH = 5000


def _v1_to_v2(store: GraphStore) -> None:
    """Schema 2: Asset.folded (case-insensitive clash check), Version.folder (no two versions
    share or nest folders), Version.entry (the file a URI without rep= means), and the store's
    root id (the publish root's marker names it). Representation roles and image facts, version
    provenance and pin set roots stay empty for what came before (read as content / unknown)."""
    from legos.layout import DEFAULT_TEMPLATE, relative_folder

    store.write(lambda tx: tx.query("migrations/v2_asset_folded"))
    template = store.get_meta("path_template") or DEFAULT_TEMPLATE
    while True:
        rows = store.read(lambda tx: tx.query("migrations/v2_versions_without_folder",
                                              limit=_BATCH))
        if not rows:
            break
        folders: dict[str, str] = {}
        for row in rows:
            if row["path"] and row["name"] and row["path"].endswith("/" + row["name"]):
                folders[row["uid"]] = row["path"][: -len(row["name"]) - 1]
            else:
                folders.setdefault(row["uid"], relative_folder(
                    template, row["project"], row["asset"], row["kind"], row["number"]))
        _set_folders(store, [{"uid": uid, "folder": folder} for uid, folder in folders.items()])
    _v2_entries(store)
    if store.get_meta("root_id") is None:
        store.set_meta("root_id", uuid.uuid4().hex)


def _v2_entries(store: GraphStore) -> None:
    """Every version's entry file, chosen by the names of its files ("" when they do not tell:
    a URI without rep= then asks for one, as before)."""
    from legos.entry import EntryError, choose_by_name

    while True:
        rows = store.read(lambda tx: tx.query("migrations/v2_versions_without_entry",
                                              limit=_BATCH))
        if not rows:
            break
        names: dict[str, list[str]] = {}
        assets: dict[str, str] = {}
        for row in rows:
            names.setdefault(row["uid"], [])
            assets[row["uid"]] = row["asset"]
            if row["name"]:
                names[row["uid"]].append(row["name"])
        if len(rows) == _BATCH and len(names) > 1:
            del names[rows[-1]["uid"]]  # its files may go on past the batch: next time
        entries = []
        for uid, files in names.items():
            try:
                entry = choose_by_name(sorted(files), assets[uid]) if files else ""
            except EntryError:
                entry = ""
            entries.append({"uid": uid, "entry": entry})
        _set_entries(store, entries)


def _set_entries(store: GraphStore, rows: list[dict[str, str]]) -> None:
    store.write(lambda tx: tx.query("migrations/v2_set_entries", rows=rows))


def _set_folders(store: GraphStore, rows: list[dict[str, str]]) -> None:
    store.write(lambda tx: tx.query("migrations/v2_set_folders", rows=rows))


def _v2_to_v3(store: GraphStore) -> None:
    """Schema 3 (projects as data, metadata): new node kinds (ProjectLoad, Entry, Metadata) and
    Project columns only. An existing project reads as never loaded (no revision, the store's
    templates) and nothing has metadata yet, so there is no data to fill in."""


def _v3_to_v4(store: GraphStore) -> None:
    """Schema 4 (performance): what publish now keeps for the questions that used to walk the
    whole graph (assets' fan-in counts, versions' earliest input) and the Folder index of the
    publish's nesting check, filled in for every version published before."""
    from legos import folders

    folders.fill(store)  # the Folder index, from every version's folder (bulk path)
    from legos import kept

    kept.fill_store(store)  # fan-in counts and earliest inputs, from one pass over the edges


# by the schema version each step upgrades *from*
STEPS: dict[int, Step] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}


def steps_between(stored: int, current: int, location: str) -> list[Step]:
    missing = [v for v in range(stored, current) if v not in STEPS]
    if missing:
        raise SchemaVersionError(
            f"the store at {location} has schema version {stored} and this legos has no "
            f"upgrade step from version {missing[0]}: upgrade it with the legos release that "
            "follows the one that wrote it")
    return [STEPS[v] for v in range(stored, current)]
