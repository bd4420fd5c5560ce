"""The graph store interface every backend implements, and the transaction handle it lends.

Callers name query modules (`tx.query("publish/create_version", ...)`); the store picks its
dialect's text. Rows come back as plain dicts with UTC-aware datetimes on every backend.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from legos import cypher
from legos.errors import SchemaVersionError
from legos.store import schema as graph_schema

T = TypeVar("T")
Row = dict[str, Any]


class Transaction(ABC):
    """One open transaction; everything run through it commits or rolls back together."""

    dialect: str

    @abstractmethod
    def run(self, text: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run Cypher text (always with parameters, never formatted values)."""

    def query(self, module: str, /, **params: Any) -> list[Row]:
        return self.run(cypher.load(module, self.dialect).text, params)


class GraphStore(ABC):
    dialect: str
    location: str

    @abstractmethod
    def read(self, work: Callable[[Transaction], T]) -> T:
        """Run `work` in a read transaction."""

    @abstractmethod
    def write(self, work: Callable[[Transaction], T]) -> T:
        """Run `work` in a write transaction. It may run more than once (retries after
        transient faults), so it must be idempotent and return plain data."""

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def _apply_ddl(self, statements: list[str]) -> None: ...

    @abstractmethod
    def wipe(self) -> None:
        """Delete every node: for test stores only."""

    def query(self, module: str, /, **params: Any) -> list[Row]:
        return self.read(lambda tx: tx.query(module, **params))

    def ensure_schema(self) -> int:
        """Apply the schema idempotently and record its version; refuse a newer store."""
        schema = graph_schema.load()
        self._apply_ddl(graph_schema.ddl(schema, self.dialect))
        stored = self.get_meta("schema_version")
        if stored is not None and int(stored) > schema.version:
            raise SchemaVersionError(
                f"the store at {self.location} has schema version {stored}, newer than this "
                f"legos ({schema.version}): upgrade legos"
            )
        for step in graph_schema.migrations_between(int(stored or schema.version), schema.version):
            self.write(step)
        if stored is None or int(stored) != schema.version:
            self.set_meta("schema_version", str(schema.version))
        return schema.version

    def get_meta(self, key: str) -> str | None:
        rows = self.query("store/get_meta", key=key)
        return rows[0]["value"] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        self.write(lambda tx: tx.query("store/set_meta", key=key, value=value))

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
