"""The Folder index (schema 4): the publish's "no two versions share or nest folders" check as
a few primary-key probes instead of a scan of every version (LadybugDB indexes primary keys
only).

A Folder node is a version's folder (relative to the publish root; owner: the version's uid)
or a folder above one (owner ""). A new folder F is free when no Folder F exists (a version's
own, or one that holds versions) and no folder above F is a version's own. Publish creates the
Folder nodes of each new version in its write transaction; what came before is filled by the
schema 4 upgrade, the archive import and the test bulk loader, all from `index_rows` (derived
from the versions alone, so every store holding the same versions holds the same index).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from legos.errors import PublishFolderError
from legos.store.base import Transaction

NO_OWNER = ""  # a folder that only holds version folders


def ancestors(folder: str) -> list[str]:
    """`folder` and every folder above it, the shortest first: a/b/c -> a, a/b, a/b/c."""
    parts = folder.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]


def index_rows(versions: Iterable[tuple[str, str | None]]) -> list[dict[str, str]]:
    """The Folder rows of versions given as (uid, folder): each folder owned by its version
    and every folder above it by none. Deterministic (a folder two old versions share, from
    before the check existed, goes to the smaller uid), so digests agree across stores."""
    owners: dict[str, str] = {}
    above: set[str] = set()
    for uid, folder in versions:
        if not folder:
            continue
        if folder not in owners or uid < owners[folder]:
            owners[folder] = uid
        above.update(ancestors(folder)[:-1])
    rows = [{"path": path, "owner": owner} for path, owner in owners.items()]
    rows += [{"path": path, "owner": NO_OWNER} for path in sorted(above - owners.keys())]
    rows.sort(key=lambda r: r["path"])
    return rows


def probe(tx: Transaction, paths: Sequence[str]) -> dict[str, str]:
    """{path: owner} of the Folder nodes among `paths`, in one query of keyed lookups (on
    LadybugDB too: an UNWIND of keys matched to nodes alone is a probe each, 0.14 ms for 5
    paths and 7 ms for 1,000 at 100k nodes, where a scan of every version took 12 ms)."""
    if not paths:  # never an empty list to LadybugDB
        return {}
    return {row["path"]: row["owner"] for row in tx.query("folders/find", paths=list(paths))}


def collision(folder: str, found: Mapping[str, str]) -> tuple[str, str] | None:
    """(folder, owner) of what the new `folder` would collide with, given the Folder nodes
    `found` among its ancestors: itself (a version's, or one holding versions), or a folder
    above it that is a version's own. None when it is free."""
    chain = ancestors(folder)
    for path in chain[:-1]:
        owner = found.get(path)
        if owner:  # a version's own folder above the new one: it would sit inside
            return path, owner
    if folder in found:
        return folder, found[folder]
    return None


def refuse(tx: Transaction, folder: str, hit: tuple[str, str]) -> PublishFolderError:
    """The error naming the version whose folder the new `folder` collides with."""
    path, owner = hit
    rows = (tx.query("versions/get", uids=[owner]) if owner else
            tx.query("folders/version_below", below=path + "/"))
    if owner and rows:
        row = rows[0]
        what = f"{path!r} of legos:/{row['project']}/{row['asset']}?version={row['number']}"
    elif rows:
        row = rows[0]
        what = (f"{row['folder']!r} of legos:/{row['project']}/{row['asset']}?version="
                f"{row['number']}")
    else:  # an index row with no version behind it: still refused, never guessed free
        what = f"{path!r} (indexed as taken)"
    return PublishFolderError(
        f"the new version's folder {folder!r} would collide with the folder {what}: publish "
        "under another asset name (or path template)")


def check_free(tx: Transaction, folder: str) -> dict[str, str]:
    """Raise PublishFolderError when no version may take `folder`; else the Folder nodes
    found above it (for `rows_to_create`)."""
    found = probe(tx, ancestors(folder))
    hit = collision(folder, found)
    if hit is not None:
        raise refuse(tx, folder, hit)
    return found


def rows_to_create(versions: Iterable[tuple[str, str]],
                   existing: Iterable[str]) -> list[dict[str, str]]:
    """The Folder rows new versions (uid, folder), checked free, add beside `existing` paths:
    each version's own folder, and the folders above it that are not there yet."""
    have = set(existing)
    rows: list[dict[str, str]] = []
    for uid, folder in versions:
        chain = ancestors(folder)
        for path in chain[:-1]:
            if path not in have:
                have.add(path)
                rows.append({"path": path, "owner": NO_OWNER})
        have.add(folder)
        rows.append({"path": folder, "owner": uid})
    return rows


def create(tx: Transaction, rows: list[dict[str, str]]) -> None:
    """Create Folder nodes, checked absent in this transaction (on Neo4j a concurrent publish
    that made one meanwhile fails the uniqueness constraint: a conflict, retried). One list per
    column: cheaper to bind on LadybugDB than a list of maps."""
    if rows:
        tx.query("folders/create", paths=[r["path"] for r in rows],
                 owners=[r["owner"] for r in rows])


def fill(store: Any) -> int:
    """(Re)build the Folder index from the versions, through the import's bulk path (one COPY
    on LadybugDB, batches on Neo4j). Idempotent: a complete index is left alone, a partial one
    (a crash mid-fill) is rebuilt. Returns how many rows were written."""
    from legos.operations.archive_import import load_snapshot
    from legos.operations.archive_tables import Snapshot, schema

    versions = store.read(lambda tx: tx.query("folders/version_folders"))
    rows = index_rows((row["uid"], row["folder"]) for row in versions)
    held = store.read(lambda tx: tx.query("folders/count"))[0]["n"]
    if held == len(rows):
        return 0
    if held:
        while store.write(lambda tx: tx.query("folders/delete_some", limit=10_000))[0]["n"]:
            pass
    if rows:
        load_snapshot(store, Snapshot(schema_version=schema().version, nodes={"Folder": rows}))
    return len(rows)


def with_index(nodes: dict[str, list[dict[str, Any]]]) -> None:
    """Set the Folder rows of a snapshot's nodes to the index of its Version rows (an archive's
    own Folder rows are not trusted: the nesting check relies on them)."""
    versions = nodes.get("Version")
    if versions is not None:
        nodes["Folder"] = index_rows((v["uid"], v.get("folder")) for v in versions)
