"""The one loader of the query modules in cypher/: `load("lineage/dependencies", "ladybug")`.

Each `.cypher` file starts with `//` comment lines: first what it answers, then one line per
parameter (`// $uid: the starting version`). Where a backend's dialect needs different text,
a sibling file `<name>.<dialect>.cypher` overrides the portable one: the difference is named by
its file and tested with the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from legos.errors import LegosError
from legos.resources import data_dir

DIALECTS = ("ladybug", "neo4j")
_PARAM_LINE = re.compile(r"^//\s*\$(\w+)\s*:\s*(.*)$")
_PARAM_USE = re.compile(r"\$(\w+)")


@dataclass(frozen=True)
class CypherQuery:
    name: str
    dialect: str | None        # None: the portable text serves every backend
    text: str
    description: str
    params: dict[str, str]     # parameter name -> what it means
    path: Path


def root() -> Path:
    return data_dir("cypher")


def _parse(name: str, dialect: str | None, path: Path) -> CypherQuery:
    text = path.read_text(encoding="utf-8")
    description: list[str] = []
    params: dict[str, str] = {}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("//"):
            break
        param = _PARAM_LINE.match(stripped)
        if param:
            params[param.group(1)] = param.group(2).strip()
        elif not params:
            description.append(stripped.lstrip("/").strip())
    return CypherQuery(name, dialect, text, " ".join(d for d in description if d), params, path)


@cache
def load(name: str, dialect: str) -> CypherQuery:
    if dialect not in DIALECTS:
        raise LegosError(f"unknown Cypher dialect {dialect!r}: use one of {', '.join(DIALECTS)}")
    base = root()
    specific = base / f"{name}.{dialect}.cypher"
    if specific.is_file():
        return _parse(name, dialect, specific)
    portable = base / f"{name}.cypher"
    if portable.is_file():
        return _parse(name, None, portable)
    raise LegosError(f"no query module {name!r} in {base}: see `legos query --list`")


def names() -> list[str]:
    """Every query module by name (dialect overrides are not separate names)."""
    found = set()
    for path in root().rglob("*.cypher"):
        rel = path.relative_to(root()).as_posix()[: -len(".cypher")]
        stem, _, last = rel.rpartition(".")
        found.add(stem if last in DIALECTS and stem else rel)
    return sorted(found)


def all_files() -> list[CypherQuery]:
    """Every file, overrides included: what the header tests walk."""
    out = []
    for path in sorted(root().rglob("*.cypher")):
        rel = path.relative_to(root()).as_posix()[: -len(".cypher")]
        stem, _, last = rel.rpartition(".")
        if last in DIALECTS and stem:
            out.append(_parse(stem, last, path))
        else:
            out.append(_parse(rel, None, path))
    return out


def used_params(query: CypherQuery) -> set[str]:
    body = "\n".join(line for line in query.text.splitlines()
                     if not line.strip().startswith("//"))
    return set(_PARAM_USE.findall(body))
