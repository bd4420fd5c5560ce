"""Metadata terms (`ls --where`, `analytics search --where`) answer on the bulk-loaded
synthetic production, with metadata on its assets and versions, exactly as a plain-Python
computation over the same data, on both backends, now and as of a past instant."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from test_analytics_synthetic import BACKEND_PARAMS, GRAPH, MID, _store, expected_search

import legos.analytics as analytics
from legos import metadata
from legos.api import Legos
from legos.testing.bulk import bulk_load

NOW = datetime(2100, 1, 1, tzinfo=timezone.utc)
_TIERS = ("hero", "Mid", "background")
_NOTES = ("client notes", "Lighting NOTES", "fix seams")


def asset_meta(i: int) -> dict:
    meta: dict = {}
    if i % 4:
        meta["tier"] = _TIERS[i % 3]
    if i % 2 == 0:
        meta["budget"] = (i * 7) % 50 + 0.5
    return meta


def version_meta(j: int) -> dict:
    meta: dict = {"frame_in": 1000 + (j * 13) % 200}
    if j % 5 == 0:
        meta["note"] = _NOTES[j % 3]
    if j % 3 == 0:
        meta["qc"] = bool(j % 2)
    if j % 7 == 0:
        meta["tier"] = "hero"   # the same key on versions as on assets
    return meta


ASSET_META = {a.path: asset_meta(i) for i, a in enumerate(GRAPH.assets)}
VERSION_META = {v.uid: version_meta(j) for j, v in enumerate(GRAPH.versions)}


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def store(request, tmp_path_factory):
    """The synthetic graph with metadata on its assets and versions (read-only here)."""
    handle = _store(request, tmp_path_factory, "metadata")
    bulk_load(handle, GRAPH)

    def write(tx):
        for uid, meta in VERSION_META.items():
            metadata.add_to_version(tx, uid, metadata.checked(meta))
        for path, meta in ASSET_META.items():
            if meta:
                metadata.set_values(tx, metadata.target(path), metadata.checked(meta), "ana")
    handle.write(write)
    yield handle
    if handle.dialect == "neo4j":
        handle.wipe()
    handle.close()


# -- the independent answer -----------------------------------------------------------------

def _text(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"),
                                                           sort_keys=True)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def holds(meta: dict, term: str) -> bool:
    for op in ("<=", ">=", "=", "<", ">", "~"):
        key, sep, operand = term.partition(op)
        if sep and "=" not in key and "<" not in key and ">" not in key and "~" not in key:
            break
    if key not in meta:
        return False
    value = meta[key]
    if op == "~":
        return operand.lower() in _text(value).lower()
    try:
        wanted = json.loads(operand)
    except ValueError:
        wanted = operand
    if op == "=" and not _is_number(wanted):
        return _text(value) == _text(wanted)
    if not _is_number(value):
        return False
    return {"=": value == wanted, "<": value < wanted, ">": value > wanted,
            "<=": value <= wanted, ">=": value >= wanted}[op]


def expected_ls(terms: list[str]) -> list[str]:
    latest = {}
    for v in GRAPH.versions:
        latest[f"{v.project}/{v.asset}"] = max(latest.get(f"{v.project}/{v.asset}", (0, "")),
                                              (v.number, v.uid))
    out = []
    for a in GRAPH.assets:
        mine, last = ASSET_META[a.path], VERSION_META[latest[a.path][1]]
        if all(holds(mine, t) or holds(last, t) for t in terms):
            out.append(a.path)
    return sorted(out)


def expected_meta_search(at: datetime, terms: list[str], **rules) -> dict:
    found = expected_search(GRAPH, at, **rules)
    keep = {}
    for a in GRAPH.assets:
        versions = [VERSION_META[v.uid] for v in GRAPH.versions_by_asset[a.uid]
                    if v.created_at <= at]
        if a.path in found and all(holds(ASSET_META[a.path], t) or any(holds(m, t)
                                                                        for m in versions)
                                   for t in terms):
            keep[a.path] = found[a.path]
    return keep


TERMS = {
    "asset-level": ["tier=background"],
    "version-level": ["frame_in>=1150"],
    "both": ["frame_in<1050", "tier~MID"],
    "text-and-bool": ["note~notes", "qc=true"],
    "range": ["budget>20", "budget<=40.5"],
    "shared-key": ["tier=hero", "frame_in>1100"],
}


@pytest.mark.parametrize("name", sorted(TERMS))
def test_ls_where_agrees_with_plain_python(store, name):
    terms = TERMS[name]
    expected = expected_ls(terms)
    assert expected, "a term set that finds nothing checks nothing"
    assert len(expected) < len(GRAPH.assets)  # the terms narrow
    found = Legos(store).assets(where=terms)
    assert sorted(a.path for a in found) == expected


@pytest.mark.parametrize("name", sorted(TERMS))
@pytest.mark.parametrize("at", [MID, NOW], ids=["mid", "now"])
def test_search_where_agrees_with_plain_python(store, name, at):
    terms = TERMS[name]
    expected = expected_meta_search(at, terms)
    assert expected, "a term set that finds nothing checks nothing"
    rows = store.read(lambda tx: analytics.search(tx, where=terms, as_of=at))
    assert {f"{r.project}/{r.asset}": (r.uses, r.version) for r in rows} == expected
    assert len(expected) < len(store.read(lambda tx: analytics.search(tx, as_of=at)))


def test_search_where_combines_with_the_other_rules(store):
    terms = ["frame_in>1020"]
    expected = expected_meta_search(MID, terms, kind="CharacterPackage", min_uses=1)
    assert expected
    rows = store.read(lambda tx: analytics.search(tx, kind="CharacterPackage", min_uses=1,
                                                  where=terms, as_of=MID))
    assert {f"{r.project}/{r.asset}": (r.uses, r.version) for r in rows} == expected


_PLANS = {
    "metadata/find_text": {"key": "tier", "text": "hero"},
    "metadata/find_number": {"key": "frame_in", "low": 1100.0, "high": 1200.0},
    "metadata/find_contains": {"key": "note", "needle": "notes"},
}


def _operators(plan) -> list[tuple[str, str]]:
    out = [(plan["operatorType"].split("@")[0], str(plan["args"].get("Details", "")))]
    for child in plan.get("children", []):
        out += _operators(child)
    return out


@pytest.mark.parametrize("name", sorted(_PLANS))
def test_neo4j_finds_metadata_through_its_indexes(store, name):
    if store.dialect != "neo4j":
        pytest.skip("LadybugDB has only primary keys: its plans scan the Metadata table")
    from legos import cypher

    text = cypher.load(name, "neo4j").text
    params = {**_PLANS[name], "latest": False, "as_of": NOW}
    plan = store.read(lambda tx: tx._tx.run("EXPLAIN " + text, params).consume().plan)
    steps = _operators(plan)
    # each branch seeks the key's index: never a scan of a label or of a whole index
    assert not [s for s in steps if s[0] in ("NodeByLabelScan", "AllNodesScan",
                                             "NodeIndexScan")], steps
    assert [op for op, d in steps if "Metadata(key)" in d] == ["NodeIndexSeek"] * 2, steps
