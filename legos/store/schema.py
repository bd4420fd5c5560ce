"""The graph schema from schema/graph.toml, and each backend's DDL derived from it.

LadybugDB needs typed node and relationship tables (its primary key is the node's key);
Neo4j needs uniqueness constraints and indexes. Both statements lists are idempotent.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache

from legos.resources import data_dir

_LADYBUG_TYPES = {"string": "STRING", "int": "INT64", "float": "DOUBLE", "bool": "BOOLEAN",
                  "timestamp": "TIMESTAMP"}


@dataclass(frozen=True)
class NodeType:
    label: str
    key: str
    properties: dict[str, str]
    unique: tuple[str, ...] = ()
    indexes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RelType:
    name: str
    between: tuple[tuple[str, str], ...]
    properties: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Schema:
    version: int
    nodes: dict[str, NodeType]
    relationships: dict[str, RelType]


@lru_cache(maxsize=1)
def load() -> Schema:
    raw = tomllib.loads((data_dir("schema") / "graph.toml").read_text(encoding="utf-8"))
    nodes = {
        label: NodeType(label, spec["key"], dict(spec["properties"]),
                        tuple(spec.get("unique", ())), tuple(spec.get("indexes", ())))
        for label, spec in raw["nodes"].items()
    }
    rels = {
        name: RelType(name, tuple(tuple(pair) for pair in spec["between"]),
                      dict(spec.get("properties", {})))
        for name, spec in raw["relationships"].items()
    }
    for node in nodes.values():
        for prop in (node.key, *node.unique, *node.indexes):
            if prop not in node.properties:
                raise ValueError(f"schema: {node.label}.{prop} is used but not declared")
        for prop, kind in node.properties.items():
            if kind not in _LADYBUG_TYPES:
                raise ValueError(f"schema: {node.label}.{prop} has unknown type {kind!r}")
    return Schema(int(raw["version"]), nodes, rels)


def ddl(schema: Schema, dialect: str) -> list[str]:
    return _ladybug_ddl(schema) if dialect == "ladybug" else _neo4j_ddl(schema)


def _ladybug_ddl(schema: Schema) -> list[str]:
    out = []
    for node in schema.nodes.values():
        cols = ", ".join(f"{p} {_LADYBUG_TYPES[t]}" for p, t in node.properties.items())
        out.append(f"CREATE NODE TABLE IF NOT EXISTS {node.label}({cols}, PRIMARY KEY ({node.key}))")
    for rel in schema.relationships.values():
        pairs = ", ".join(f"FROM {a} TO {b}" for a, b in rel.between)
        cols = "".join(f", {p} {_LADYBUG_TYPES[t]}" for p, t in rel.properties.items())
        out.append(f"CREATE REL TABLE IF NOT EXISTS {rel.name}({pairs}{cols})")
    return out


def _neo4j_ddl(schema: Schema) -> list[str]:
    out = []
    for node in schema.nodes.values():
        for prop in (node.key, *node.unique):
            out.append(
                f"CREATE CONSTRAINT {node.label.lower()}_{prop}_unique IF NOT EXISTS "
                f"FOR (n:{node.label}) REQUIRE n.{prop} IS UNIQUE"
            )
        for prop in node.indexes:
            out.append(
                f"CREATE INDEX {node.label.lower()}_{prop} IF NOT EXISTS "
                f"FOR (n:{node.label}) ON (n.{prop})"
            )
    return out


def added_columns(schema: Schema, dialect: str) -> list[str]:
    """For a store made by an older schema: LadybugDB's `CREATE ... IF NOT EXISTS` never adds a
    column to an existing table, so every declared property is added (idempotently). Neo4j
    properties need no declaration. New node and relationship tables come from `ddl` itself."""
    if dialect != "ladybug":
        return []
    out = []
    for node in schema.nodes.values():
        for prop, kind in node.properties.items():
            out.append(f"ALTER TABLE {node.label} ADD IF NOT EXISTS {prop} {_LADYBUG_TYPES[kind]}")
    for rel in schema.relationships.values():
        # a pair of node tables added to an existing relationship (schema 3: Change -> Asset)
        for source, target in rel.between:
            out.append(f"ALTER TABLE {rel.name} ADD IF NOT EXISTS FROM {source} TO {target}")
        for prop, kind in rel.properties.items():
            out.append(f"ALTER TABLE {rel.name} ADD IF NOT EXISTS {prop} {_LADYBUG_TYPES[kind]}")
    return out
