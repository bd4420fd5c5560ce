"""Any question in cypher/ by name, with parameters given as text: `legos query NAME --param
k=v`. The module's header is its contract: the parameters it declares, and their defaults
(`// $top: how many pairs (default: 10)`); `$as_of` defaults to now.

Only read-only modules are questions: the runner refuses modules that write (publish steps,
bulk loads, the wipe) and the ones legos runs for itself (benchmarks, migrations, the steps of
selection), and runs the rest in a read transaction. Results name versions and assets by
URI: a `uid` column comes back as `uri` (`from_uid` as `from_uri`, `uids` as `uris`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from legos import cypher
from legos.errors import InvalidInputError
from legos.store.base import Transaction
from legos.uri import format_uri, parse_time, parse_uri

_DEFAULT = re.compile(r"\(default:\s*(.+?)\)\s*$")
_WRITES = re.compile(r"\b(CREATE|MERGE|SET|DELETE|REMOVE|DROP|COPY|LOAD|ALTER)\b")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$")
# Modules legos runs for itself, not questions: `legos query` neither lists nor runs them.
_INTERNAL_AREAS = ("bench", "bulk", "migrations", "publish", "store", "usd")
_INTERNAL = frozenset({"versions/candidates", "versions/select", "versions/select_exact",
                       "versions/select_many", "versions/select_plain", "versions/select_within",
                       "review/statuses_changed_after", "review/verdicts_changed_after",
                       "assets/by_uid"})
_BATCH = 5000


@dataclass(frozen=True)
class Question:
    name: str
    description: str                     # the module's header prose
    params: dict[str, str]               # name -> meaning
    defaults: dict[str, Any]             # name -> default value, where the header gives one

    @property
    def summary(self) -> str:
        """What it answers, in its first sentence, without the leading name."""
        text = self.description.partition(":")[2].strip() or self.description
        return re.split(r"(?<=[.;])\s", text, maxsplit=1)[0]


def _question(query: cypher.CypherQuery) -> Question:
    defaults = {}
    for name, meaning in query.params.items():
        found = _DEFAULT.search(meaning)
        if found and name != "as_of":
            defaults[name] = json.loads(found.group(1))
    return Question(query.name, query.description, dict(query.params), defaults)


def writes(query: cypher.CypherQuery) -> bool:
    body = "\n".join(line for line in query.text.splitlines()
                     if not line.strip().startswith("//"))
    return bool(_WRITES.search(body))


def internal(name: str) -> bool:
    return name.partition("/")[0] in _INTERNAL_AREAS or name in _INTERNAL


def catalogue(dialect: str = "neo4j") -> list[Question]:
    """Every question (read-only, not internal), as `legos query --list` shows it."""
    return [_question(q) for q in (cypher.load(name, dialect) for name in cypher.names()
                                   if not internal(name))
            if not writes(q)]


def question(name: str, dialect: str) -> Question:
    query = cypher.load(name, dialect)
    if writes(query):
        raise InvalidInputError(f"{name} changes the store, and `legos query` only asks "
                                "questions: use the legos command that does it")
    if internal(name):
        raise InvalidInputError(f"{name} is a step legos runs for itself, not a question: "
                                "see `legos query --list`")
    return _question(query)


def parse_value(text: str) -> Any:
    """A parameter's text as a value: JSON (numbers, lists, true/false, quoted strings), an
    ISO time (into UTC), else the text itself. `legos:` URIs stay text: see `run`."""
    if _TIME.match(text):
        return parse_time(text)
    try:
        return json.loads(text)
    except ValueError:
        return text


def _resolve_uids(tx: Transaction, params: dict[str, Any], as_of: datetime | None) -> None:
    # a `legos:` URI given for a uid parameter stands for the version it selects
    from legos.as_of import start_uid

    for name, value in params.items():
        if name.endswith("uid") and isinstance(value, str) and value.startswith("legos:"):
            params[name] = start_uid(tx, parse_uri(value), as_of)
        elif name.endswith("uids") and isinstance(value, list):
            params[name] = [start_uid(tx, parse_uri(v), as_of)
                            if isinstance(v, str) and v.startswith("legos:") else v
                            for v in value]


def text_params(params: Any) -> dict[str, str]:
    """The parameters as `run` takes them: a mapping of names to text, checked."""
    if params is None:
        return {}
    if not isinstance(params, Mapping):
        raise InvalidInputError(f"query parameters {params!r} are not a mapping of names to "
                                "text: e.g. {'top': '5'}")
    for key, value in params.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise InvalidInputError(f"query parameter {key!r}={value!r}: give names and values "
                                    "as text (as `legos query -p top=5` does), e.g. {'top': '5'}")
    return dict(params)


def run(tx: Transaction, name: str, given: dict[str, str],
        as_of: datetime | None = None) -> list[dict[str, Any]]:
    """Run question `name` with text parameters; errors name the parameter and the fix."""
    from legos.as_of import instant, rows_then

    asked = question(name, tx.dialect)
    unknown = sorted(set(given) - set(asked.params))
    if unknown:
        declared = ", ".join(sorted(asked.params)) or "none"
        raise InvalidInputError(f"{name} takes no parameter {unknown[0]!r}: it takes {declared}"
                                f" (see `legos query --list`)")
    if "as_of" in given:
        raise InvalidInputError("give the as-of time with --as-of TIME, not as a parameter")
    params: dict[str, Any] = dict(asked.defaults)
    params.update({k: parse_value(v) for k, v in given.items()})
    if "as_of" in asked.params:
        params["as_of"] = instant(as_of)
    elif as_of is not None:
        raise InvalidInputError(f"{name} does not look at time, so --as-of does not apply to it")
    missing = sorted(set(asked.params) - set(params))
    if missing:
        raise InvalidInputError(f"{name} needs --param {missing[0]}=VALUE "
                                f"({asked.params[missing[0]]})")
    _resolve_uids(tx, params, as_of)
    return with_uris(tx, rows_then(tx, tx.query(name, **params), as_of))


def _uid_key(key: str) -> bool:
    # `near`: the version a lineage edge starts from (cypher/lineage/*.cypher)
    return key in ("uid", "uids", "near") or key.endswith(("_uid", "_uids"))


def with_uris(tx: Transaction, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with version and asset uids shown as legos URIs: `uid` -> `uri`, `from_uid` ->
    `from_uri`, `uids` -> `uris`, `near` keeps its name. A uid that names neither (a
    revision's) stays as it is."""
    keys = [k for k in (rows[0] if rows else {}) if _uid_key(k)]
    if not keys:
        return rows
    wanted: set[str] = set()
    for row in rows:
        for key in keys:
            value = row.get(key)
            wanted.update(value if isinstance(value, list) else
                          [value] if isinstance(value, str) else [])
    uids = sorted(u for u in wanted if isinstance(u, str))
    uris: dict[str, str] = {}
    for start in range(0, len(uids), _BATCH):
        chunk = uids[start:start + _BATCH]
        for r in tx.query("versions/get", uids=chunk):
            uris[r["uid"]] = format_uri(r["project"], r["asset"], r["number"])
        left = [u for u in chunk if u not in uris]
        for r in tx.query("assets/by_uid", uids=left) if left else ():
            uris[r["uid"]] = f"legos:/{r['path']}"
    out = []
    for row in rows:
        shown: dict[str, Any] = {}
        for key, value in row.items():
            if key not in keys:
                shown[key] = value
                continue
            named = (key if key == "near" else key[:-3] + "uri" if key.endswith("uid")
                     else key[:-4] + "uris")
            if isinstance(value, list):
                shown.setdefault(named, [uris.get(v, v) for v in value])
            elif value in uris:
                shown.setdefault(named, uris[value])
            else:
                shown[key] = value
        out.append(shown)
    return out
