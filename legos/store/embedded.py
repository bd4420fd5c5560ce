"""The embedded backend: LadybugDB in-process, on disk in a directory. Nothing to run.

LadybugDB admits one writing process per database, so the store takes a file lock for as long
as it is open: a second process waits up to `lock_timeout` seconds, then gets StoreBusyError.
Threads of one process share one connection, serialised by a lock.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from filelock import FileLock, Timeout

from legos.errors import StoreBusyError, StoreError
from legos.store.base import GraphStore, Row, Transaction

T = TypeVar("T")
DATABASE_FILE = "graph.lbdb"
LOCK_FILE = ".legos.lock"
MAX_WALK_DEPTH = 64


def _to_engine(value: Any) -> Any:
    # LadybugDB drops the offset of an aware datetime instead of converting it: hand it UTC.
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value
    if isinstance(value, dict):
        return {k: _to_engine(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_engine(v) for v in value]
    return value


def _from_engine(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    if isinstance(value, dict):
        return {k: _from_engine(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_engine(v) for v in value]
    return value


def _needs_conversion(rows: list[list[Any]], column: int) -> bool:
    for row in rows:
        value = row[column]
        if value is not None:
            return isinstance(value, (datetime, dict, list))
    return False


class _EmbeddedTransaction(Transaction):
    dialect = "ladybug"

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def run(self, text: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        try:
            result = self._conn.execute(text, _to_engine(dict(params or {})))
        except RuntimeError as exc:
            raise StoreError(f"the embedded store refused a query: {exc}") from exc
        columns = result.get_column_names()
        raw = result.get_all()
        result.close()
        # Convert only the columns that need it (datetimes, and lists/maps that may hold them):
        # a per-value call costs more than the query on large closures.
        convert = [i for i in range(len(columns)) if _needs_conversion(raw, i)]
        if convert:
            for row in raw:
                for i in convert:
                    row[i] = _from_engine(row[i])
        return [dict(zip(columns, row)) for row in raw]


class EmbeddedStore(GraphStore):
    dialect = "ladybug"

    def __init__(self, directory: str | os.PathLike[str], lock_timeout: float | None = None) -> None:
        import ladybug  # heavy native module: imported only when an embedded store is opened

        self.directory = Path(directory).expanduser().resolve()
        self.location = str(self.directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        if lock_timeout is None:
            lock_timeout = float(os.environ.get("LEGOS_LOCK_TIMEOUT", "30"))
        self._file_lock = FileLock(str(self.directory / LOCK_FILE))
        try:
            self._file_lock.acquire(timeout=lock_timeout)
        except Timeout:
            raise StoreBusyError(
                f"the embedded store at {self.directory} is in use by another process; "
                f"wait for it to finish and retry, or raise LEGOS_LOCK_TIMEOUT "
                f"(waited {lock_timeout:g} s)"
            ) from None
        try:
            self._db = ladybug.Database(str(self.directory / DATABASE_FILE))
            self._conn = ladybug.Connection(self._db)
            # lineage walks are bounded at 64 hops (cypher/lineage); the engine's default is 30
            self._conn.execute(f"CALL var_length_extend_max_depth={MAX_WALK_DEPTH}")
        except RuntimeError as exc:
            self._file_lock.release()
            raise StoreError(f"cannot open the embedded store at {self.directory}: {exc}") from exc
        self._lock = threading.RLock()
        self._in_tx = False

    def _transact(self, work: Callable[[Transaction], T]) -> T:
        with self._lock:
            if self._in_tx:  # nested call from inside a transaction function: join it
                return work(_EmbeddedTransaction(self._conn))
            self._conn.execute("BEGIN TRANSACTION")
            self._in_tx = True
            try:
                result = work(_EmbeddedTransaction(self._conn))
                self._conn.execute("COMMIT")
                return result
            except BaseException:
                try:
                    self._conn.execute("ROLLBACK")
                except RuntimeError:
                    pass  # a failed statement already rolled the transaction back
                raise
            finally:
                self._in_tx = False

    def read(self, work: Callable[[Transaction], T]) -> T:
        return self._transact(work)

    def write(self, work: Callable[[Transaction], T]) -> T:
        return self._transact(work)

    def _apply_ddl(self, statements: list[str]) -> None:
        with self._lock:
            for statement in statements:
                self._conn.execute(statement)

    def wipe(self) -> None:
        self.write(lambda tx: tx.query("store/wipe"))

    def close(self) -> None:
        with self._lock:
            if getattr(self, "_db", None) is None:
                return
            self._conn.close()
            self._db.close()
            self._db = None
            self._file_lock.release()
