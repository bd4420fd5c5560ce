"""The graph store: one small interface (base.GraphStore) with an embedded and a Neo4j backend."""

from legos.store.base import GraphStore, Transaction
from legos.store.connect import default_store_location, open_store

__all__ = ["GraphStore", "Transaction", "open_store", "default_store_location"]
