"""Every query module says what it answers and declares exactly the parameters it uses."""

from __future__ import annotations

import re

import pytest

from legos import cypher

FILES = cypher.all_files()


def test_there_are_query_modules():
    assert {"lineage/dependencies", "lineage/dependents", "lineage/contents",
            "versions/history", "publish/create_version"} <= set(cypher.names())


@pytest.mark.parametrize("query", FILES, ids=[f"{q.name}.{q.dialect or 'any'}" for q in FILES])
def test_module_header_documents_question_and_parameters(query):
    assert query.description, f"{query.path} must start with '// name: what it answers'"
    assert query.description.startswith(query.name.rsplit("/", 1)[-1] + ":")
    assert cypher.used_params(query) == set(query.params), (
        f"{query.path}: declared {sorted(query.params)}, used {sorted(cypher.used_params(query))}")
    assert all(query.params.values()), f"{query.path}: every parameter line needs a meaning"


@pytest.mark.parametrize("query", FILES, ids=[f"{q.name}.{q.dialect or 'any'}" for q in FILES])
def test_module_builds_no_text_from_values(query):
    body = "\n".join(line for line in query.text.splitlines()
                     if not line.strip().startswith("//"))
    assert not re.search(r"\{\d*\}|%s|%\(", body), f"{query.path} looks like a format template"


def test_dialect_overrides_take_the_same_parameters_as_their_portable_module():
    by_name: dict[str, dict] = {}
    for q in FILES:
        by_name.setdefault(q.name, {})[q.dialect] = q
    for name, variants in by_name.items():
        params = {frozenset(v.params) for v in variants.values()}
        assert len(params) == 1, f"{name}: dialects disagree on parameters"


def test_loading_an_unknown_module_is_a_clear_error():
    from legos.errors import LegosError

    with pytest.raises(LegosError, match="no query module 'lineage/nope'"):
        cypher.load("lineage/nope", "neo4j")
