"""The embedded backend: LadybugDB in-process, on disk in a directory. Nothing to run.

Artists, a DCC session and a TD's terminal share one store on a workstation, so no process
keeps it: each transaction takes a lock between processes (shared to read, exclusive to
write) for its own length only. A write opens the database read-write and closes it at
commit, which checkpoints; a read uses a read-only handle, kept between reads until a writer
anywhere bumps the store's generation file. Readers and writers never overlap, so a reader
never sees a checkpoint under its feet (LadybugDB issue 666). Threads of one process share
the handles, serialised by a lock.
"""

from __future__ import annotations

import atexit
import os
import shutil
import threading
import uuid
import weakref
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from legos import cypher
from legos.errors import ConfigError, StoreBusyError, StoreError, StoreNotFoundError
from legos.store.base import GraphStore, Row, Transaction
from legos.store.file_lock import LockTimeout, ProcessLock

T = TypeVar("T")
DATABASE_FILE = "graph.lbdb"
LOCK_FILE = ".legos.lock"
GENERATION_FILE = ".legos.generation"
MAX_WALK_DEPTH = 64
_LINGER_S = 0.2  # how long a writer keeps the store after a write, in case another follows
_LINGERING: weakref.WeakSet[EmbeddedStore] = weakref.WeakSet()


@atexit.register
def _end_every_linger() -> None:
    """A process that ends inside a lingering moment still checkpoints and lets go."""
    for store in list(_LINGERING):
        store._end_linger()


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
        if isinstance(value, list):
            # a list column (typed alike in every row) needs it only if its items do:
            # walking 300k uids of collected inputs one call each cost more than the query
            if value:
                return value[0] is None or isinstance(value[0], (datetime, dict, list))
            continue
        if value is not None:
            return isinstance(value, (datetime, dict))
    return False


class _RecoveryPending(Exception):
    """A writer died inside its commit (killed, power cut): the WAL must be replayed by a
    read-write open before any read-only open succeeds."""


class _EmbeddedTransaction(Transaction):
    dialect = "ladybug"

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def run(self, text: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        columns, raw = self._fetch(text, params)
        return [dict(zip(columns, row, strict=True)) for row in raw]

    def table(self, module: str, /, **params: Any) -> tuple[list[str], list[list[Any]]]:
        return self._fetch(cypher.load(module, self.dialect).text, params)

    def _fetch(self, text: str, params: Mapping[str, Any] | None) -> tuple[list[str],
                                                                             list[list[Any]]]:
        try:
            result = self._conn.execute(text, _to_engine(dict(params or {})))
        except RuntimeError as exc:
            raise StoreError(f"the embedded store refused a query: {exc}") from exc
        columns = result.get_column_names()
        raw = _all_rows(result)
        result.close()
        # Convert only the columns that need it (datetimes, and lists/maps that may hold them):
        # a per-value call costs more than the query on large closures.
        # Convert only the columns that need it (datetimes, and lists/maps that may hold them):
        # a per-value call costs more than the query on large closures.
        for i in range(len(columns)):
            if not _needs_conversion(raw, i):
                continue
            if _naive_times(raw, i):  # a timestamp column: the common case, inlined
                for row in raw:
                    if row[i] is not None:
                        row[i] = row[i].replace(tzinfo=timezone.utc)
            else:
                for row in raw:
                    row[i] = _from_engine(row[i])
        return columns, raw


def _naive_times(rows: list[list[Any]], column: int) -> bool:
    """Whether a column (typed alike in every row) holds datetimes without a zone."""
    for row in rows:
        value = row[column]
        if value is not None:
            return isinstance(value, datetime) and value.tzinfo is None
    return False


def _all_rows(result: Any) -> list[list[Any]]:
    """Every row of a result. QueryResult.get_all checks the result is open twice per row in
    Python (about 40% of fetching 20k rows): ask the engine's own result object directly when
    this ladybug has one (0.22 does), else the public way."""
    inner = getattr(result, "_query_result", None)
    if inner is None or not hasattr(inner, "getNumTuples"):
        return list(result.get_all())
    following = inner.getNext
    return [following() for _ in range(inner.getNumTuples())]


def store_exists(directory: Path) -> bool:
    return (directory / DATABASE_FILE).exists()


class EmbeddedStore(GraphStore):
    dialect = "ladybug"

    def __init__(self, directory: str | os.PathLike[str], lock_timeout: float | None = None,
                 *, create: bool = False, read_only: bool = False) -> None:
        import ladybug  # heavy native module: imported only when an embedded store is opened

        self._ladybug = ladybug
        self.directory = Path(directory).expanduser().resolve()
        self.location = str(self.directory)
        if lock_timeout is None:
            lock_timeout = float(os.environ.get("LEGOS_LOCK_TIMEOUT", "30"))
        self._timeout = lock_timeout
        self._rlock = threading.RLock()
        self._db: Any = None
        self._conn: Any = None
        self._writable = False
        self._generation: tuple[int, int] | None = None
        self._in_tx: str | None = None  # "read" or "write" while a transaction runs
        self._closed = False
        self.read_only = read_only  # reads only: the read-only handle and the shared lock
        self._lingering: threading.Timer | None = None
        self._linger_s = float(os.environ.get("LEGOS_WRITE_LINGER", _LINGER_S))
        if self.directory.exists() and not self.directory.is_dir():
            raise ConfigError(
                f"the store {self.location} is a file, not a store folder: give a folder "
                "(or a bolt:// URI)")
        if not store_exists(self.directory):
            if not create:
                raise StoreNotFoundError(
                    f"there is no legos store at {self.location}: create one with "
                    f"`legos init --store {self.location} --root DIR`, or check --store / "
                    "LEGOS_STORE")
            self._create()
        self._lock = ProcessLock(self.directory / LOCK_FILE, self._waiting_message)

    def _create(self) -> None:
        """Make the folder and an empty database; leave nothing behind if that fails."""
        made = [p for p in (self.directory, *self.directory.parents) if not p.exists()]
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            db = self._ladybug.Database(str(self.directory / DATABASE_FILE))
            db.close()
        except (OSError, RuntimeError) as exc:
            for folder in made:  # deepest first: only what this call created
                shutil.rmtree(folder, ignore_errors=True)
            raise ConfigError(f"cannot create a store at {self.location}: {exc}") from None

    def _waiting_message(self, write: bool) -> str:
        return (f"legos: waiting for the store at {self.location}: another process is "
                f"writing (up to {self._timeout:g} s, LEGOS_LOCK_TIMEOUT)")

    # -- handles ----------------------------------------------------------------------------
    def _generation_now(self) -> tuple[int, int] | None:
        try:
            found = os.stat(self.directory / GENERATION_FILE)
        except FileNotFoundError:
            return None
        return (found.st_ino, found.st_mtime_ns)

    def _bump_generation(self) -> None:
        temp = self.directory / f"{GENERATION_FILE}.{uuid.uuid4().hex}"
        temp.write_text(uuid.uuid4().hex)
        os.replace(temp, self.directory / GENERATION_FILE)  # a new inode: readers notice

    def _drop_handle(self) -> None:
        if self._db is None:
            return
        conn, db, self._conn, self._db = self._conn, self._db, None, None
        self._writable = False
        try:
            conn.close()
        finally:
            db.close()  # a read-write close checkpoints

    def _open_handle(self, write: bool) -> None:
        if self._db is not None:
            if not write and not self._writable and self._generation == self._generation_now():
                return  # the read-only handle still sees the latest commit
            self._drop_handle()
        try:
            self._db = self._ladybug.Database(str(self.directory / DATABASE_FILE),
                                              read_only=not write)
            self._conn = self._ladybug.Connection(self._db)
            # lineage walks are bounded at 64 hops (cypher/lineage); the engine's default is 30
            self._conn.execute(f"CALL var_length_extend_max_depth={MAX_WALK_DEPTH}")
        except RuntimeError as exc:
            self._db = self._conn = None
            if not write and "recovery is pending" in str(exc):
                raise _RecoveryPending(str(exc)) from None
            if "lock" in str(exc).lower():
                raise StoreBusyError(
                    f"the embedded store at {self.location} is held open by another program "
                    f"(not through legos's lock): close it and retry ({exc})") from None
            raise StoreError(f"cannot open the embedded store at {self.location}: {exc}") from exc
        self._writable = write
        self._generation = self._generation_now()

    @contextmanager
    def _held(self, write: bool) -> Iterator[Any]:
        """The connection, under the process lock for as long as the caller needs it. After a
        write the lock and the read-write handle linger for a moment, so the next transaction
        of a burst (a publish reads, writes, reads; a script publishes many) finds the engine
        warm; an idle moment ends it, and nobody else waits longer than that."""
        if self._closed:
            raise StoreError(f"the store at {self.location} is closed: open it again")
        lingering = self._lingering is not None
        if lingering and write:
            self._stop_linger()
        elif not lingering:
            try:
                self._lock.acquire(exclusive=write, timeout=self._timeout)
            except LockTimeout as exc:
                raise StoreBusyError(
                    f"the embedded store at {self.location} is in use by another process "
                    f"writing; wait for it to finish and retry, or raise LEGOS_LOCK_TIMEOUT "
                    f"({exc})") from None
        # A read inside the lingering moment leaves its timer running: reads alone never
        # keep the store from others.
        timer_keeps_it = lingering and not write
        try:
            if not self._writable:
                try:
                    self._open_handle(write)
                except _RecoveryPending:
                    self._recover()
                    self._open_handle(write)
            yield self._conn
        except BaseException:
            if not timer_keeps_it:
                self._release(after_write=self._writable)
            raise
        if timer_keeps_it:
            return
        if self._writable and self._linger_s > 0:
            timer = threading.Timer(self._linger_s, lambda: self._end_linger(timer))
            timer.daemon = True
            self._lingering = timer
            _LINGERING.add(self)
            timer.start()
        else:
            self._release(after_write=self._writable)

    def _recover(self) -> None:
        """Replay a dead writer's WAL: trade the shared lock for the exclusive one, open and
        close read-write (which recovers and checkpoints), then take the shared lock again."""
        self._lock.release()
        try:
            self._lock.acquire(exclusive=True, timeout=self._timeout)
            try:
                self._open_handle(write=True)
                self._drop_handle()
                self._bump_generation()
            finally:
                self._lock.release()
            self._lock.acquire(exclusive=False, timeout=self._timeout)
        except LockTimeout as exc:
            raise StoreBusyError(
                f"the embedded store at {self.location} needs recovering after a writer died, "
                f"and another process holds it; retry when it is done ({exc})") from None

    def _release(self, after_write: bool) -> None:
        try:
            if after_write:
                self._drop_handle()  # checkpoint and let everyone else in
                self._bump_generation()
        finally:
            self._lock.release()

    def _stop_linger(self) -> None:
        if self._lingering is not None:
            self._lingering.cancel()
            self._lingering = None

    def _end_linger(self, timer: threading.Timer | None = None) -> None:
        with self._rlock:
            if self._lingering is None or (timer is not None and self._lingering is not timer):
                return  # a write took the lock over meanwhile, with a timer of its own
            self._lingering = None
            self._release(after_write=True)

    def _transact(self, work: Callable[[Transaction], T], write: bool) -> T:
        with self._rlock:
            if self._in_tx is not None:  # nested call from inside a transaction function
                if write and self._in_tx == "read":
                    raise StoreError("a write was asked for inside a read transaction")
                return work(self._transaction(self._conn))
            with self._held(write) as conn:
                conn.execute("BEGIN TRANSACTION" if write else "BEGIN TRANSACTION READ ONLY")
                self._in_tx = "write" if write else "read"
                try:
                    result = work(self._transaction(conn))
                    conn.execute("COMMIT")
                    return result
                except BaseException:
                    try:
                        conn.execute("ROLLBACK")
                    except RuntimeError:
                        pass  # a failed statement already rolled the transaction back
                    raise
                finally:
                    self._in_tx = None

    def _transaction(self, conn: Any) -> _EmbeddedTransaction:
        tx = _EmbeddedTransaction(conn)
        tx.memo = self.memo
        return tx

    def read(self, work: Callable[[Transaction], T]) -> T:
        return self._transact(work, write=False)

    def write(self, work: Callable[[Transaction], T]) -> T:
        self.check_writable()
        return self._transact(work, write=True)

    def _apply_ddl(self, statements: list[str]) -> None:
        self.check_writable("changing the schema")
        with self._rlock, self._held(write=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def _stored_schema_version(self) -> int | None:
        def work(tx: Transaction) -> str | None:
            # a database no schema was ever applied to has no Meta table to ask
            if not any(t["name"] == "Meta" for t in tx.run("CALL show_tables() RETURN name")):
                return None
            rows = tx.query("store/get_meta", key="schema_version")
            return rows[0]["value"] if rows else None
        stored = self.read(work)
        return None if stored is None else int(stored)

    def wipe(self) -> None:
        self.memo.clear()  # the same uids may come back with other closures
        self.write(lambda tx: tx.query("store/wipe"))

    def close(self) -> None:
        with self._rlock:
            self._end_linger()
            self._closed = True
            self._drop_handle()
