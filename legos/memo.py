"""In-process memory of facts a store can never change once they are read.

A published version's files and edges never change, so neither does its dependency closure:
the versions it was made from, the edges among them and those versions' fixed fields (not
their status). legos.lineage keeps such closures here, keyed by version uid, so asking again
re-reads only what can change. Every entry was read from the store through Cypher; nothing
here answers a question the store was not asked. Bounded; emptied when a store is wiped.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

DEFAULT_LIMIT = 2_000_000  # items held (edges plus versions), about 0.5 GB at most


class Memo:
    """A least-recently-used map whose entries each declare their size."""

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self.limit = limit
        self._entries: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[1]

    def get_many(self, keys: list[Hashable]) -> list[Any | None]:
        """`get` of every key under one lock (a closure's thousands of versions)."""
        with self._lock:
            out = []
            for key in keys:
                found = self._entries.get(key)
                if found is not None:
                    self._entries.move_to_end(key)
                out.append(None if found is None else found[1])
            return out

    def put(self, key: Hashable, value: Any, size: int) -> None:
        if size > self.limit:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._held -= old[0]
            self._entries[key] = (size, value)
            self._held += size
            while self._held > self.limit:
                _, (dropped, _) = self._entries.popitem(last=False)
                self._held -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._held = 0

    def __len__(self) -> int:
        return len(self._entries)
