"""The graph as tables, for export, import and digest: one table per node label and one per
(relationship type, source label, target label), with values typed as schema/graph.toml says.

The queries here are derived from the schema, like the DDL in legos.store.schema: a label,
type or property name comes from that registry (and is checked to be an identifier), never
from input, so a new label or property travels with no code change. Values: str, int, float,
bool, and timestamps as UTC-aware datetimes; a missing (null) property is absent from a row.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from legos.store import schema as graph_schema
from legos.store.base import Transaction

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
DIGEST_FORMAT = "legos.digest/1"
# Meta keys that belong to one store, not to its content: they differ between a store and its
# copy, so the digest leaves them out (schema_version is said once, in the digest's header).
STORE_META_KEYS = frozenset({"root_id", "publish_root", "schema_version"})

Props = dict[str, Any]
RelRow = tuple[str, str, Props]          # (source key, target key, properties)
RelKey = tuple[str, str, str]            # (type, source label, target label)


@dataclass
class Snapshot:
    """The graph's content: Meta settings, node rows by label, relationship rows by table."""

    schema_version: int
    meta: dict[str, str] = field(default_factory=dict)
    nodes: dict[str, list[Props]] = field(default_factory=dict)
    rels: dict[RelKey, list[RelRow]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        out = {label: len(rows) for label, rows in self.nodes.items()}
        for (rel, source, target), rows in self.rels.items():
            out[f"{rel}:{source}->{target}"] = len(rows)
        return out


def _checked(name: str) -> str:
    if not _IDENTIFIER.match(name):  # the schema is ours, but a query is no place for surprises
        raise ValueError(f"schema: {name!r} is not an identifier")
    return name


def schema() -> graph_schema.Schema:
    return graph_schema.load()


def node_labels(current: graph_schema.Schema | None = None) -> list[str]:
    """Every node label but Meta (store settings travel as a mapping of their own)."""
    current = current or schema()
    return [label for label in current.nodes if label != "Meta"]


def rel_tables(current: graph_schema.Schema | None = None) -> list[RelKey]:
    current = current or schema()
    return [(rel.name, a, b) for rel in current.relationships.values() for a, b in rel.between]


# -- reading from a store ------------------------------------------------------------------

def _column(var: str, prop: str, kind: str, dialect: str) -> str:
    prop = _checked(prop)
    if kind == "timestamp" and dialect == "neo4j":
        # the driver decodes an integer far faster than a DateTime; the store turns a
        # `_epoch_us` column back into a datetime (legos.store.neo4j_bolt)
        return (f"{var}.{prop}.epochSeconds * 1000000 + {var}.{prop}.microsecond "
                f"AS {prop}_epoch_us")
    return f"{var}.{prop} AS {prop}"


def node_query(label: str, dialect: str) -> str:
    spec = schema().nodes[label]
    columns = ", ".join(_column("n", p, k, dialect) for p, k in spec.properties.items())
    return f"MATCH (n:{_checked(label)}) RETURN {columns}"


def rel_query(table: RelKey, dialect: str) -> str:
    rel, source, target = table
    current = schema()
    columns = [f"a.{_checked(current.nodes[source].key)} AS _from",
               f"b.{_checked(current.nodes[target].key)} AS _to"]
    columns += [_column("r", p, k, dialect)
                for p, k in current.relationships[rel].properties.items()]
    return (f"MATCH (a:{_checked(source)})-[r:{_checked(rel)}]->(b:{_checked(target)}) "
            f"RETURN {', '.join(columns)}")


def read_nodes(tx: Transaction, label: str) -> list[Props]:
    kinds = schema().nodes[label].properties
    return [normalise_row(row, kinds) for row in tx.run(node_query(label, tx.dialect))]


def read_rels(tx: Transaction, table: RelKey) -> list[RelRow]:
    kinds = schema().relationships[table[0]].properties
    out = []
    for row in tx.run(rel_query(table, tx.dialect)):
        source, target = row.pop("_from"), row.pop("_to")
        out.append((source, target, normalise_row(row, kinds)))
    return out


def read_meta(tx: Transaction) -> dict[str, str]:
    return {row["key"]: row["value"] for row in tx.run("MATCH (m:Meta) RETURN m.key AS key, "
                                                       "m.value AS value")
            if row["key"] is not None and row["value"] is not None}


def count_content_nodes(tx: Transaction) -> int:
    """How many nodes the store holds besides its settings (an import wants none)."""
    total = 0
    for label in node_labels():
        total += tx.run(f"MATCH (n:{_checked(label)}) RETURN count(n) AS n")[0]["n"]
    return int(total)


def normalise_row(row: dict[str, Any], kinds: dict[str, str]) -> Props:
    """A row as the schema types it, nulls left out: the same values from either backend (an
    integer in a float column is a float; a datetime is UTC-aware)."""
    out: Props = {}
    for prop, value in row.items():
        if value is None:
            continue
        kind = kinds.get(prop)
        if kind == "float" and not isinstance(value, bool):
            value = float(value)
        elif kind == "int" and not isinstance(value, bool):
            value = int(value)
        elif kind == "timestamp" and isinstance(value, datetime):
            value = value.astimezone(timezone.utc) if value.tzinfo else value.replace(
                tzinfo=timezone.utc)
        out[prop] = value
    return out


# -- text forms ----------------------------------------------------------------------------

def format_timestamp(value: datetime) -> str:
    """UTC, microseconds always written: one spelling per instant."""
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def to_json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_timestamp(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value!r} has no JSON form")
    return value


def to_json_props(props: Props) -> Props:
    return {k: to_json_value(v) for k, v in props.items()}


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# -- digest --------------------------------------------------------------------------------

def digest_lines(snapshot: Snapshot) -> Iterator[str]:
    """The canonical serialisation the digest hashes, line by line (see docs/archive-format.md):
    a header with the schema version, the content Meta settings, then every node table and
    every relationship table in name order, each row canonical JSON, rows sorted."""
    yield f"{DIGEST_FORMAT} schema {snapshot.schema_version}"
    for key in sorted(k for k in snapshot.meta if k not in STORE_META_KEYS):
        yield canonical(["Meta", key, snapshot.meta[key]])
    for label in sorted(snapshot.nodes):
        for line in sorted(canonical([label, to_json_props(r)]) for r in snapshot.nodes[label]):
            yield line
    for table in sorted(snapshot.rels):
        rows = snapshot.rels[table]
        for line in sorted(canonical([*table, s, t, to_json_props(p)]) for s, t, p in rows):
            yield line


def digest(snapshot: Snapshot) -> str:
    hasher = hashlib.sha256()
    for line in digest_lines(snapshot):
        hasher.update(line.encode("utf-8"))
        hasher.update(b"\n")
    return hasher.hexdigest()


def keys_of(rows: Iterable[Props], key: str) -> set[str]:
    return {row[key] for row in rows}
