"""The Neo4j backend over Bolt: `bolt://host:7687` for one server, `neo4j://` for a cluster.

Every write goes through a managed transaction (`execute_write`), which the driver retries on
transient faults and leader changes; reads go to read replicas through `execute_read`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar

from legos import cypher
from legos.errors import PublishConflictError, StoreError, StoreUnavailableError
from legos.memo import Memo
from legos.store.base import GraphStore, Row, Transaction

T = TypeVar("T")
_READ_RETRIES = 3  # a read whose commit answer was lost (the server went), asked again


def _to_driver(value: Any) -> Any:
    # Cypher's `=` on datetimes also compares their zones, so `created_at <= $t` with $t at
    # -05:00 misses a version created at that very instant: hand every instant over in UTC.
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc) if value.tzinfo is not None else value
    if isinstance(value, dict):
        return {k: _to_driver(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_driver(v) for v in value]
    return value


def _from_driver(value: Any) -> Any:
    to_native = getattr(value, "to_native", None)
    if to_native is not None:  # neo4j.time.DateTime and friends
        return to_native()
    if isinstance(value, list):
        return [_from_driver(v) for v in value]
    if isinstance(value, dict):
        return {k: _from_driver(v) for k, v in value.items()}
    return value


# A column named `<name>_epoch_us` holds epoch microseconds (the driver decodes an integer far
# faster than a DateTime: see cypher/lineage/dependencies.cypher). It comes back here, and only
# here, as the UTC datetime `<name>`: above the store every backend returns datetimes.
EPOCH_US = "_epoch_us"
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _from_epoch_us(value: int | None) -> datetime | None:
    return None if value is None else _EPOCH + timedelta(microseconds=value)


# A Neo4j spelling may hand its rows back transposed: one record of exactly these two columns,
# the column names (a literal list) and `collect([...])` of one list per row. The driver spends
# ~10 us on each record it decodes and well under 1 us on each list, so an answer of thousands
# of rows costs a third (cypher/lineage/*.neo4j.cypher). Above the store they are rows as usual.
TRANSPOSED = ["_columns", "_rows"]
_PLAIN = (str, int, float, bool)


def _leaf(value: Any) -> Any:
    """The first value inside `value` that is not a list (None if there is none)."""
    if isinstance(value, list):
        for item in value:
            found = _leaf(item)
            if found is not None:
                return found
        return None
    return value


def _needs_conversion(rows: list[list[Any]], column: int) -> bool:
    """Whether a column holds driver types (temporal values, in lists or maps too): judged by
    its first value (the first inside nested lists: a pin closure's 33k lists of input uids
    were walked one call per uid), as Cypher columns of legos's queries are typed alike."""
    for row in rows:
        value = _leaf(row[column])
        if value is not None:
            return not isinstance(value, _PLAIN)
    return False


class _BoltTransaction(Transaction):
    dialect = "neo4j"

    def __init__(self, tx: Any, memo: Memo | None = None) -> None:
        self._tx = tx
        self.memo = memo

    def run(self, text: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        names, rows = self._fetch(text, params)
        return [dict(zip(names, row, strict=True)) for row in rows]

    def table(self, module: str, /, **params: Any) -> tuple[list[str], list[list[Any]]]:
        names, rows = self._fetch(cypher.load(module, self.dialect).text, params)
        return (names if rows else []), rows

    def _fetch(self, text: str, params: Mapping[str, Any] | None
               ) -> tuple[list[str], list[list[Any]]]:
        """Column names and one list of values per row, converted only where needed."""
        result = self._tx.run(text, _to_driver(dict(params or {})))
        keys = list(result.keys())
        if keys == TRANSPOSED:
            # `_columns` groups the collect(), so an empty answer is no record at all
            record = result.single(strict=False)
            keys, rows = (list(record[0]), record[1]) if record is not None else ([], [])
        else:
            rows = [list(record) for record in result]
        names = []
        for i, key in enumerate(keys):
            if key.endswith(EPOCH_US):
                names.append(key[:-len(EPOCH_US)])
                for row in rows:
                    row[i] = _from_epoch_us(row[i])
                continue
            names.append(key)
            if _needs_conversion(rows, i):
                for row in rows:
                    row[i] = _from_driver(row[i])
        return names, rows


class Neo4jStore(GraphStore):
    dialect = "neo4j"

    def __init__(self, uri: str, user: str | None = None, password: str | None = None,
                 database: str | None = None, *, read_only: bool = False) -> None:
        import neo4j  # imported only when a Neo4j store is opened

        from legos.store.credentials import target

        self._neo4j = neo4j
        # The password goes to the driver only; `location` (in every message, `legos info`, the
        # root marker) never holds it: see legos.store.credentials.
        to = target(uri, user, password)
        self.location = shown = to.shown
        self.read_only = read_only  # writes refused, and every session in read access mode
        self._database = database or os.environ.get("LEGOS_NEO4J_DATABASE") or None
        try:
            # Notifications (e.g. "relationship type TAGGED does not exist" on a young store)
            # would be logged as warnings on every query; legos's queries are reviewed, so off.
            # Telemetry off: the driver would add a usage message to every session's first
            # transaction (every legos read is a session of its own).
            self._driver = neo4j.GraphDatabase.driver(
                to.uri, auth=(to.user or "neo4j", to.password) if to.password else None,
                notifications_min_severity="OFF", telemetry_disabled=True, **to.config)
            self._driver.verify_connectivity()
        except (neo4j.exceptions.ServiceUnavailable, OSError) as exc:
            raise StoreUnavailableError(to.redact(
                f"cannot reach Neo4j at {shown}: {exc}; check the server is running and the URI"
                f"{to.hint}"
            )) from None
        except neo4j.exceptions.AuthError:
            raise StoreUnavailableError(
                f"Neo4j at {shown} refused the login: set LEGOS_NEO4J_USER and LEGOS_NEO4J_PASSWORD"
            ) from None
        except neo4j.exceptions.Neo4jError as exc:  # e.g. too many wrong logins in a row
            raise StoreUnavailableError(to.redact(
                f"Neo4j at {shown} refused the connection: {exc.message}")) from None
        except (ValueError, neo4j.exceptions.DriverError) as exc:  # incl. ConfigurationError
            raise StoreUnavailableError(
                to.redact(f"{shown!r} is not a Neo4j URI the driver takes: {exc}")) from None

    def _session(self) -> Any:
        # fetch_size=-1: every answer is read whole, so all of it is asked for at once (in
        # batches of 1000, each a round trip that also paused the server, 29k closure rows
        # took 630 ms instead of 470)
        if self.read_only:  # the server refuses a write in such a session, whatever asks
            return self._driver.session(database=self._database, fetch_size=-1,
                                        default_access_mode=self._neo4j.READ_ACCESS)
        return self._driver.session(database=self._database, fetch_size=-1)

    def _guard(self, call: Callable[[], T]) -> T:
        errors = self._neo4j.exceptions
        try:
            return call()
        except errors.ConstraintError as exc:
            raise PublishConflictError(
                f"a concurrent write to {self.location} conflicted ({exc.message}); retry"
            ) from exc
        except errors.IncompleteCommit as exc:
            raise StoreUnavailableError(
                f"lost Neo4j at {self.location} while committing: the write may or may not have "
                f"been applied ({exc}); check before repeating it") from exc
        except errors.ServiceUnavailable as exc:
            raise StoreUnavailableError(f"lost Neo4j at {self.location}: {exc}") from exc
        except errors.Neo4jError as exc:
            raise StoreError(f"Neo4j at {self.location} refused a query: {exc.message}") from exc
        except errors.DriverError as exc:  # e.g. SessionExpired once the retries ran out
            raise StoreUnavailableError(f"lost Neo4j at {self.location}: {exc}") from exc

    def read(self, work: Callable[[Transaction], T]) -> T:
        def run() -> T:
            for attempt in range(_READ_RETRIES):
                try:
                    with self._session() as session:
                        return session.execute_read(
                            lambda tx: work(_BoltTransaction(tx, self.memo)))
                except self._neo4j.exceptions.IncompleteCommit:
                    # the driver leaves a commit it lost the answer to for the caller to judge;
                    # a read changed nothing, so it is simply asked again
                    if attempt == _READ_RETRIES - 1:
                        raise
            raise AssertionError("unreachable")
        return self._guard(run)

    def write(self, work: Callable[[Transaction], T]) -> T:
        self.check_writable()

        def run() -> T:
            with self._session() as session:
                return session.execute_write(lambda tx: work(_BoltTransaction(tx, self.memo)))
        return self._guard(run)

    def _apply_ddl(self, statements: list[str]) -> None:
        self.check_writable("changing the schema")
        with self._session() as session:
            for statement in statements:
                session.run(statement).consume()
            # Indexes fill in the background; until the uid constraint's index is online the
            # planner cannot seek a start version and scans instead (seen on a fresh store).
            session.run("CALL db.awaitIndexes(300)").consume()

    def wipe(self) -> None:
        self.check_writable("wipe")
        self.memo.clear()  # the same uids may come back with other closures
        with self._session() as session:
            # batched, so a large test graph does not need one huge transaction
            session.run(
                "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS"
            ).consume()

    def close(self) -> None:
        self._driver.close()
