"""Which store a location names: a directory is an embedded store, a bolt:// or neo4j:// URI
is Neo4j.

Precedence: the explicit argument (`--store`), then $LEGOS_STORE, then an embedded store in the
user's data directory. Only `create=True` (what `legos init` passes) makes a store where there
is none, so a mistyped `--store` is an error rather than a new empty store.
"""

from __future__ import annotations

import os
from pathlib import Path

from legos.store.base import GraphStore

_NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")
BACKEND_NAMES = {"ladybug": "embedded", "neo4j": "neo4j"}  # what users read, by dialect


def default_store_location() -> str:
    from platformdirs import user_data_dir

    return str(Path(user_data_dir("legos")) / "store")


def resolve_location(location: str | os.PathLike[str] | None = None) -> str:
    return str(location or os.environ.get("LEGOS_STORE") or default_store_location())


def is_neo4j_uri(location: str) -> bool:
    return location.startswith(_NEO4J_SCHEMES)


def open_store(location: str | os.PathLike[str] | None = None, *, schema: bool = True,
               create: bool = False, read_only: bool | None = None) -> GraphStore:
    """Open the store at `location`; with `schema`, check (and if older, upgrade) its schema.
    With `create`, make the store when there is none (StoreNotFoundError otherwise). With
    `read_only` (None: $LEGOS_READ_ONLY), every write is refused (legos.store.read_only)."""
    from legos.store import read_only as ro

    where = resolve_location(location)
    read_only = ro.wanted(read_only)
    if read_only and create:
        raise ro.refused(where, "creating or setting up a store (legos init)")
    if is_neo4j_uri(where):
        from legos.store.neo4j_bolt import Neo4jStore

        store: GraphStore = Neo4jStore(where, read_only=read_only)
    else:
        from legos.store.embedded import EmbeddedStore

        store = EmbeddedStore(where, create=create, read_only=read_only)
    if schema:
        try:
            store.ensure_schema(create=create)
        except BaseException:
            store.close()
            raise
    return store
