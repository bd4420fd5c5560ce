"""The graph store interface every backend implements, and the transaction handle it lends.

Callers name query modules (`tx.query("publish/create_version", ...)`); the store picks its
dialect's text. Rows come back as plain dicts with UTC-aware datetimes on every backend.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from legos import cypher
from legos.errors import SchemaVersionError, StoreNotFoundError
from legos.memo import Memo
from legos.store import migrations, schema as graph_schema

T = TypeVar("T")
Row = dict[str, Any]


class Transaction(ABC):
    """One open transaction; everything run through it commits or rolls back together."""

    dialect: str
    # what the store remembers of facts that never change once read (legos.memo), or None
    memo: Memo | None = None

    @abstractmethod
    def run(self, text: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run Cypher text (always with parameters, never formatted values)."""

    def query(self, module: str, /, **params: Any) -> list[Row]:
        return self.run(cypher.load(module, self.dialect).text, params)

    def table(self, module: str, /, **params: Any) -> tuple[list[str], list[list[Any]]]:
        """A module's rows as (column names, one list of values per row): for answers of
        thousands of rows, where a dict per row costs more than the query. No row: no names."""
        rows = self.query(module, **params)
        return (list(rows[0]) if rows else []), [list(row.values()) for row in rows]


class GraphStore(ABC):
    dialect: str
    location: str
    created = False  # set when ensure_schema made this store (legos init undoes a failed one)
    read_only = False  # every write refused (legos.store.read_only)

    @property
    def memo(self) -> Memo:
        """Facts read from this store that can never change (legos.memo), kept in-process."""
        found: Memo | None = self.__dict__.get("_memo")
        if found is None:
            found = self.__dict__.setdefault("_memo", Memo())
        return found

    def check_writable(self, operation: str | None = None) -> None:
        """Raise ReadOnlyStoreError (naming `operation`, else the caller) on a read-only store."""
        if self.read_only:
            from legos.store.read_only import refused

            raise refused(self.location, operation)

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

    def ensure_schema(self, create: bool = False) -> int:
        """Bring the store to this legos's schema: nothing to do when it is current (the common
        case, answered by one read), created when `create` and empty, upgraded step by step
        when older (legos.store.migrations), refused when newer or when there is no store."""
        schema = graph_schema.load()
        stored = self._stored_schema_version()
        if stored == schema.version:
            return stored
        if self.read_only and stored is not None and stored < schema.version:
            self.check_writable(f"upgrading its schema from version {stored} to "
                                f"{schema.version} (open it once without read-only)")
        if stored is None and not create:
            raise StoreNotFoundError(
                f"there is no legos store at {self.location}: create one with `legos init "
                f"--store {self.location} --root DIR`, or check --store / LEGOS_STORE")
        if stored is not None and stored > schema.version:
            raise SchemaVersionError(
                f"the store at {self.location} has schema version {stored}, newer than this "
                f"legos ({schema.version}): upgrade legos"
            )
        steps = [] if stored is None else migrations.steps_between(stored, schema.version,
                                                                   self.location)
        statements = graph_schema.ddl(schema, self.dialect)
        if stored is not None:
            statements += graph_schema.added_columns(schema, self.dialect)
        self._apply_ddl(statements)
        for step in steps:
            step(self)
        if stored is None:
            self.set_meta("root_id", uuid.uuid4().hex)
            self.created = True
        self.set_meta("schema_version", str(schema.version))
        return schema.version

    def _stored_schema_version(self) -> int | None:
        stored = self.get_meta("schema_version")
        return None if stored is None else int(stored)

    def get_meta(self, key: str) -> str | None:
        rows = self.query("store/get_meta", key=key)
        return rows[0]["value"] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        self.write(lambda tx: tx.query("store/set_meta", key=key, value=value))

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
