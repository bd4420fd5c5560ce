"""Choosing a store: a directory path means embedded, a bolt:// or neo4j:// URI means Neo4j.

Precedence: the explicit argument (`--store`), then $LEGOS_STORE, then an embedded store in the
user's data directory.
"""

from __future__ import annotations

import os
from pathlib import Path

from legos.store.base import GraphStore

_NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


def default_store_location() -> str:
    from platformdirs import user_data_dir

    return str(Path(user_data_dir("legos")) / "store")


def resolve_location(location: str | os.PathLike[str] | None = None) -> str:
    return str(location or os.environ.get("LEGOS_STORE") or default_store_location())


def is_neo4j_uri(location: str) -> bool:
    return location.startswith(_NEO4J_SCHEMES)


def open_store(location: str | os.PathLike[str] | None = None, *, schema: bool = True) -> GraphStore:
    """Open (and, with `schema`, prepare) the store at `location`."""
    where = resolve_location(location)
    if is_neo4j_uri(where):
        from legos.store.neo4j_bolt import Neo4jStore

        store: GraphStore = Neo4jStore(where)
    else:
        from legos.store.embedded import EmbeddedStore

        store = EmbeddedStore(where)
    if schema:
        try:
            store.ensure_schema()
        except BaseException:
            store.close()
            raise
    return store
