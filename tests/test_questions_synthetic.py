"""Every lineage question cross-checked against an independent networkx computation: on the
seeded synthetic production (bulk-loaded once per backend) and on small random DAGs
(hypothesis), on both backends."""

from __future__ import annotations

import itertools
import random
from collections import defaultdict

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import legos
from legos.testing import generate, lineage_digraph
from legos.testing.bulk import bulk_load

GRAPH = generate(0.02)
DIGRAPH = lineage_digraph(GRAPH)
BY_UID = GRAPH.version_by_uid


@pytest.fixture(scope="module", params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def loaded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("questions")
    if request.param == "neo4j":
        location = request.getfixturevalue("neo4j_uri")
        from legos.store import open_store

        with open_store(location, schema=False) as store:
            store.wipe()
    else:
        location = str(work / "store")
    handle = legos.open(location, create=True)
    handle.configure(root=work / "publish")
    bulk_load(handle.store, GRAPH)
    yield handle
    handle.close()


def _asset_key(uid: str) -> tuple[str, str]:
    v = BY_UID[uid]
    return v.project, v.asset


def expected_waves(digraph: nx.DiGraph, uid: str) -> dict[str, int]:
    """Longest path length from `uid` to each of its users, over the users' subgraph."""
    users = nx.ancestors(digraph, uid) | {uid}
    sub = digraph.subgraph(users)
    wave = {uid: 0}
    for node in reversed(list(nx.topological_sort(sub))):   # inputs before their users
        if node == uid:
            continue
        wave[node] = 1 + max(wave[i] for i in sub.successors(node) if i in wave)
    wave.pop(uid)
    return wave


def _popular(kind: str, count: int) -> list[str]:
    versions = [v.uid for v in GRAPH.versions if v.kind == kind]
    chosen = sorted(versions, key=lambda u: (-DIGRAPH.in_degree(u), u))[:count]
    assert len(chosen) == count, f"the synthetic graph has too few {kind} versions"
    return chosen


def _shots(count: int) -> list[str]:
    chosen = [v.uid for v in GRAPH.latest_versions("ShotPackage")[:count]]
    assert len(chosen) == count, "the synthetic graph has too few shots"
    return chosen


def test_impact_matches_networkx_users_and_longest_path_waves(loaded):
    for uid in _popular("TextureAsset", 3) + _popular("ModelAsset", 1):
        rows = [r for r in loaded.impact(BY_UID[uid].uri) if r.revision is None]
        assert {r.uid: r.wave for r in rows} == expected_waves(DIGRAPH, uid)
        assert len(rows) > 5
        waves = {r.uid: r.wave for r in rows} | {uid: 0}
        for user in waves:   # a valid rebuild order: every input inside the set comes first
            assert all(waves[user] > waves[i] for i in DIGRAPH.successors(user) if i in waves)


def test_stale_matches_newer_approved_versions_of_each_input(loaded):
    for uid in _shots(3):
        for any_newer in (False, True):
            expected = {}
            for dep in nx.descendants(DIGRAPH, uid):
                v = BY_UID[dep]
                # any newer one that a rule could pick: rejected and deprecated never are
                newer = [n for n in GRAPH.versions_by_asset[v.asset_uid] if n.number > v.number
                         and (n.status == "approved" or (
                             any_newer and n.status not in ("rejected", "deprecated")))]
                if newer:
                    expected[dep] = (max(n.number for n in newer), len(newer))
            rows = loaded.stale(BY_UID[uid].uri, any_newer=any_newer)
            assert {r.uid: (r.newer_version, r.behind) for r in rows} == expected
            if any_newer:
                assert expected  # a shot of a churning production always has newer inputs


def test_diff_matches_the_closures_compared_asset_by_asset(loaded):
    for uid in _shots(3):
        shot = BY_UID[uid]
        first = GRAPH.versions_by_asset[shot.asset_uid][0]

        def by_asset(start: str) -> dict[tuple[str, str], list[int]]:
            out = defaultdict(set)
            for dep in nx.descendants(DIGRAPH, start):
                out[_asset_key(dep)].add(BY_UID[dep].number)
            return {k: sorted(v) for k, v in out.items()}

        old, new = by_asset(first.uid), by_asset(uid)
        expected = {k: ("added" if k not in old else "removed" if k not in new else "changed",
                        old.get(k, []), new.get(k, []))
                    for k in old.keys() | new.keys() if old.get(k) != new.get(k)}
        rows = loaded.diff(first.uri, shot.uri)
        assert {(r.project, r.asset): (r.change, r.from_versions, r.to_versions)
                for r in rows} == expected
        assert {r.change for r in rows} == {"added", "removed", "changed"}


def test_path_is_a_shortest_chain_of_real_edges(loaded):
    rng = random.Random(5)
    for uid in _shots(3):
        targets = sorted(nx.descendants(DIGRAPH, uid))
        for target in rng.sample(targets, 4):
            steps = loaded.path(BY_UID[uid].uri, BY_UID[target].uri)
            assert len(steps) - 1 == nx.shortest_path_length(DIGRAPH, uid, target)
            assert steps[0].uid == uid and steps[-1].uid == target
            for near, far in itertools.pairwise(steps):
                edge = DIGRAPH.edges[near.uid, far.uid]   # KeyError: not an edge
                assert (far.role, far.relation) == (edge["name"], edge["type"].lower())
        unrelated = next(v for v in GRAPH.versions
                         if v.uid not in nx.descendants(DIGRAPH, uid) and v.uid != uid)
        assert loaded.path(BY_UID[uid].uri, unrelated.uri) == []


def test_evolution_matches_each_versions_direct_inputs(loaded):
    inputs = defaultdict(dict)
    for edge in GRAPH.edges:
        v = BY_UID[edge.target]
        inputs[edge.source][f"{v.project}/{v.asset}"] = v.number
    for asset in [a for a in GRAPH.assets if a.kind in ("ShotPackage", "MaterialAsset")][:4]:
        steps = loaded.evolution(asset.uri)
        versions = GRAPH.versions_by_asset[asset.uid]
        assert [s.version for s in steps] == [v.number for v in versions]
        previous: dict[str, int] = {}
        for step, version in zip(steps, versions, strict=True):
            now = inputs[version.uid]
            assert step.inputs == len(now)
            assert {(c.asset, c.from_version, c.to_version) for c in step.changes} == {
                (k, previous.get(k), now.get(k)) for k in previous.keys() | now.keys()
                if previous.get(k) != now.get(k)}
            previous = now


def test_as_of_answers_match_the_graph_cut_at_that_time(loaded):
    cut = GRAPH.versions[len(GRAPH.versions) // 2].created_at
    then = DIGRAPH.subgraph([v.uid for v in GRAPH.versions if v.created_at <= cut])
    texture = next(u for u in _popular("TextureAsset", 10) if BY_UID[u].created_at <= cut)
    rows = loaded.dependents(BY_UID[texture].uri, as_of=cut, revisions=False)
    assert {r.uid for r in rows} == nx.ancestors(then, texture)
    assert {r.uid: r.wave for r in loaded.impact(BY_UID[texture].uri, as_of=cut)} == \
        expected_waves(then, texture)
    shot = next(v for v in reversed(GRAPH.versions) if v.kind == "ShotPackage"
                and v.created_at <= cut)
    latest_then = loaded.dependencies(f"legos:/{shot.project}/{shot.asset}", as_of=cut)
    assert {r.uid for r in latest_then} == nx.descendants(then, shot.uid)


# -- small random DAGs ---------------------------------------------------------------------------

_project_numbers = itertools.count()


@st.composite
def dags(draw: st.DrawFn) -> list[list[int]]:
    """Inputs of each node: node i may use any earlier node (so it is acyclic by order)."""
    size = draw(st.integers(min_value=2, max_value=7))
    return [sorted(draw(st.sets(st.integers(0, i - 1), max_size=3))) if i else []
            for i in range(size)]


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(inputs=dags())
def test_questions_on_random_dags_match_networkx(lg, make_file, inputs):
    project = f"dag{next(_project_numbers)}"   # one store serves every example
    source = make_file("a.txt")
    uri = {}
    for i, used in enumerate(inputs):
        # nodes take turns among three assets, so each asset has several versions
        version = lg.publish(project, f"a{i % 3}", kind="FileAsset", user="u", files=[source],
                             dependencies=[(f"r{j}", uri[j]) for j in used])
        uri[i] = version.uri
    digraph = nx.DiGraph((i, j) for i, used in enumerate(inputs) for j in used)
    digraph.add_nodes_from(range(len(inputs)))
    number = {i: int(uri[i].rsplit("=", 1)[1]) for i in uri}
    for i in range(len(inputs)):
        impact = {(r.asset, r.version): r.wave for r in lg.impact(uri[i])}
        assert impact == {(f"a{n % 3}", number[n]): w
                          for n, w in expected_waves(digraph, i).items()}
    last = len(inputs) - 1
    for target in range(last):
        steps = lg.path(uri[last], uri[target])
        if nx.has_path(digraph, last, target):
            assert len(steps) - 1 == nx.shortest_path_length(digraph, last, target)
        else:
            assert steps == []
    diff = {(r.asset, r.change) for r in lg.diff(uri[0], uri[last])}
    closure = {f"a{n % 3}" for n in nx.descendants(digraph, last)}
    assert {a for a, c in diff if c == "added"} == closure  # the first node uses nothing
