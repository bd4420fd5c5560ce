"""Every analytics question answers on the bulk-loaded synthetic production exactly as an
independent plain-Python / networkx computation over the same generated graph, on both
backends, now and as of a past instant; plus property tests on small random graphs."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from itertools import combinations

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import legos.analytics as analytics
from legos.store import open_store
from legos.testing import generate, lineage_digraph
from legos.testing.bulk import bulk_load
from legos.testing.synthetic import (
    CONTAINS,
    DEPENDS_ON,
    SynthAsset,
    SynthEdge,
    SynthGraph,
    SynthProject,
    SynthRepresentation,
    SynthUser,
    SynthVersion,
)

SMALL = 0.02
GRAPH = generate(SMALL)
MID = GRAPH.versions[len(GRAPH.versions) // 2].created_at  # an as-of instant mid-production
NOW = datetime(2100, 1, 1, tzinfo=timezone.utc)
# every asset first publishes in the first round: ages that split them are fractions of a day
_BORN = sorted(a.created_at for a in GRAPH.assets)
RECENT_AGE = (_BORN[-1] - _BORN[len(_BORN) // 2]).total_seconds() / 86400


def _store(request, tmp_path_factory, name: str):
    if request.param == "neo4j":
        store = open_store(request.getfixturevalue("neo4j_uri"), create=True)
        store.wipe()
        store.ensure_schema(create=True)
        return store
    return open_store(str(tmp_path_factory.mktemp(name) / "store"), create=True)


BACKEND_PARAMS = ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)]


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def store(request, tmp_path_factory):
    """The synthetic graph bulk-loaded once per backend: read-only for every test here."""
    handle = _store(request, tmp_path_factory, "analytics")
    bulk_load(handle, GRAPH)
    yield handle
    if handle.dialect == "neo4j":
        handle.wipe()
    handle.close()


def ask(store, question, *args, **kwargs):
    return store.read(lambda tx: question(tx, *args, **kwargs))


# -- the independent answers ----------------------------------------------------------------

def path_of(v: SynthVersion) -> str:
    return f"{v.project}/{v.asset}"


def latest_at(graph: SynthGraph, at: datetime) -> dict[str, SynthVersion]:
    """asset path -> its latest version created at or before `at`."""
    out: dict[str, SynthVersion] = {}
    for v in graph.versions:
        if v.created_at <= at and (path_of(v) not in out or v.number > out[path_of(v)].number):
            out[path_of(v)] = v
    return out


def members_at(graph: SynthGraph, at: datetime, kind: str = "") -> dict[str, set[str]]:
    """package path -> member asset paths of its latest version then."""
    by_uid = graph.version_by_uid
    latest = {v.uid: p for p, v in latest_at(graph, at).items() if not kind or v.kind == kind}
    out: dict[str, set[str]] = defaultdict(set)
    for e in graph.edges:
        if e.type == CONTAINS and e.source in latest:
            out[latest[e.source]].add(path_of(by_uid[e.target]))
    return out


def expected_pairs(graph: SynthGraph, at: datetime, kind: str = "") -> list[tuple]:
    members = members_at(graph, at, kind)
    out = []
    for a, b in combinations(sorted(members), 2):
        common = members[a] & members[b]
        if common:
            n, m, s = len(members[a]), len(members[b]), len(common)
            out.append((a, b, s, n, m, s / (n + m - s), sorted(f"legos:/{x}" for x in common)))
    return out


def actual_pairs(rows) -> list[tuple]:
    return [(f"{r.project}/{r.asset}", f"{r.other_project}/{r.other_asset}", r.shared,
             r.members, r.other_members, r.jaccard, r.shared_assets) for r in rows]


def expected_iterations(graph: SynthGraph, since: datetime, until: datetime,
                        kind: str = "") -> dict[str, tuple[float, int]]:
    digraph = lineage_digraph(graph)
    by_uid = graph.version_by_uid
    out = {}
    for v in graph.versions:
        if not since <= v.created_at <= until or (kind and v.kind != kind):
            continue
        inputs = nx.descendants(digraph, v.uid)
        if inputs:
            earliest = min(by_uid[u].created_at for u in inputs)
            out[v.uid] = ((v.created_at - earliest).total_seconds(), len(inputs))
    return out


def expected_reuse(graph: SynthGraph, at: datetime) -> dict[str, tuple[int, int]]:
    by_uid = graph.version_by_uid
    users: dict[str, set[str]] = defaultdict(set)
    for e in graph.edges:
        source, target = by_uid[e.source], by_uid[e.target]
        if source.created_at <= at and source.asset_uid != target.asset_uid:
            users[path_of(target)].add(e.source)
    return {a: (len({path_of(by_uid[u]) for u in us}), len(us)) for a, us in users.items()}


# -- similar and shared ---------------------------------------------------------------------

@pytest.mark.parametrize("at", [None, MID], ids=["now", "mid"])
def test_similar_is_jaccard_over_member_assets_of_latest_versions(store, at):
    expected = expected_pairs(GRAPH, at or NOW)
    assert len(expected) > 20
    rows = ask(store, analytics.similar, top=0, as_of=at)
    assert sorted(actual_pairs(rows)) == sorted(expected)
    ranked = sorted(expected, key=lambda p: (-p[5], -p[2], p[0], p[1]))
    assert actual_pairs(ask(store, analytics.similar, top=7, as_of=at)) == ranked[:7]
    latest = latest_at(GRAPH, at or NOW)
    assert rows and all(r.uri == latest[f"{r.project}/{r.asset}"].uri for r in rows)


def test_shared_ranks_by_shared_assets_and_lists_them(store):
    expected = expected_pairs(GRAPH, NOW, kind="ShotPackage")
    ranked = sorted(expected, key=lambda p: (-p[2], -p[5], p[0], p[1]))
    rows = ask(store, analytics.shared, kind="ShotPackage", top=5)
    assert actual_pairs(rows) == ranked[:5]
    assert {r.kind for r in rows} == {r.other_kind for r in rows} == {"ShotPackage"}


# -- iteration ------------------------------------------------------------------------------

def test_iterations_match_the_earliest_input_of_each_closure(store):
    since, until = GRAPH.versions[200].created_at, MID
    expected = expected_iterations(GRAPH, since, until)
    rows = ask(store, analytics.iterations, since=since, until=until)
    assert {r.uid: (r.seconds, r.inputs) for r in rows} == expected
    # as of a time inside the window: the window is clipped to it
    cut = GRAPH.versions[400].created_at
    clipped = ask(store, analytics.iterations, since=since, until=until, as_of=cut)
    assert {r.uid for r in clipped} == {u for u in expected
                                        if GRAPH.version_by_uid[u].created_at <= cut}


@pytest.mark.parametrize("by", ["asset", "kind", "user"])
def test_iteration_means_per_group(store, by):
    expected = expected_iterations(GRAPH, datetime(1970, 1, 1, tzinfo=timezone.utc), MID,
                                   kind="MaterialAsset" if by == "asset" else "")
    groups: dict[str, list[float]] = defaultdict(list)
    for uid, (seconds, _) in expected.items():
        v = GRAPH.version_by_uid[uid]
        groups[{"asset": path_of(v), "kind": v.kind, "user": v.created_by}[by]].append(seconds)
    rows = ask(store, analytics.iteration_means, by=by, until=MID,
               kind="MaterialAsset" if by == "asset" else "", as_of=NOW)
    assert {m.group: (m.versions, min(g := groups[m.group]), max(g)) for m in rows} == \
        {k: (len(s), min(s), max(s)) for k, s in groups.items()}
    assert rows and all(m.mean_seconds == pytest.approx(sum(groups[m.group]) / len(groups[m.group]))
               for m in rows)
    assert [m.mean_seconds for m in rows] == sorted((m.mean_seconds for m in rows), reverse=True)
    if by == "asset":
        latest = latest_at(GRAPH, NOW)
        assert all(m.version == latest[m.group].number and m.uri == f"legos:/{m.group}"
                   for m in rows)


@pytest.mark.parametrize("module", ["analytics/iteration_kept", "analytics/latest"])
def test_a_dialect_spelling_answers_as_its_portable_module(store, module):
    """The backend's own spelling (if any) gives the portable text's rows, column for column,
    for every grouping, filter and window (also the columns the Python side leaves unused)."""
    from legos import cypher

    if store.dialect != "neo4j":  # LadybugDB runs only its own spelling (no epochSeconds)
        pytest.skip("the portable text is Neo4j's Cypher")
    portable = (cypher.root() / f"{module}.cypher").read_text()
    cases = [dict(project=project, kind=kind, by=by, since=since, until=until, as_of=until)
             for by in ("asset", "kind", "user")
             for project, kind in (("", ""), (GRAPH.projects[0].code, ""), ("", "MaterialAsset"))
             for since, until in ((datetime(1970, 1, 1, tzinfo=timezone.utc), NOW),
                                  (GRAPH.versions[100].created_at, MID))]
    answered = 0
    for case in cases:
        wanted = cypher.load(module, store.dialect).params
        params = {k: v for k, v in case.items() if k in wanted}
        spelled = store.read(lambda tx, p=params: tx.query(module, **p))
        plain = store.read(lambda tx, p=params: tx.run(portable, p))
        assert sorted(map(sorted, (r.items() for r in spelled))) == \
            sorted(map(sorted, (r.items() for r in plain))), case
        answered += bool(plain)
    assert answered


def test_iteration_of_one_version_names_its_earliest_input(store):
    shot = GRAPH.latest_versions("ShotPackage")[0]
    digraph = lineage_digraph(GRAPH)
    inputs = nx.descendants(digraph, shot.uid)
    first = min((GRAPH.version_by_uid[u] for u in inputs), key=lambda v: v.created_at)
    found = ask(store, analytics.iteration, shot.uri)
    assert (found.uri, found.inputs, found.earliest_uri) == (shot.uri, len(inputs), first.uri)
    assert found.seconds == (shot.created_at - first.created_at).total_seconds()


# -- reuse and users ------------------------------------------------------------------------

@pytest.mark.parametrize("at", [None, MID], ids=["now", "mid"])
def test_reuse_is_fan_in_over_every_version(store, at):
    expected = expected_reuse(GRAPH, at or NOW)
    rows = ask(store, analytics.reuse, top=0, as_of=at)
    assert {f"{r.project}/{r.asset}": (r.user_assets, r.user_versions) for r in rows} == expected
    by_versions = ask(store, analytics.reuse, by="versions", top=5, as_of=at)
    assert [r.user_versions for r in by_versions] == \
        sorted((v for _, v in expected.values()), reverse=True)[:5]
    textures = ask(store, analytics.reuse, kind="TextureAsset", top=3, as_of=at)
    assert [r.user_assets for r in textures] == sorted(
        (a for p, (a, _) in expected.items()
         if GRAPH.versions_by_asset[next(x.uid for x in GRAPH.assets if x.path == p)][0].kind
         == "TextureAsset"), reverse=True)[:3]


def test_users_output_and_collaborators(store):
    since = GRAPH.versions[300].created_at
    by_uid = GRAPH.version_by_uid
    kinds: dict[str, Counter] = defaultdict(Counter)
    for v in GRAPH.versions:
        if since <= v.created_at <= MID:
            kinds[v.created_by][v.kind] += 1
    uses: Counter = Counter()
    for e in GRAPH.edges:
        u, t = by_uid[e.source], by_uid[e.target]
        if since <= u.created_at <= MID and u.created_by != t.created_by:
            uses[u.created_by, t.created_by] += 1
    rows = ask(store, analytics.users, since=since, as_of=MID)
    assert {u.user: u.kinds for u in rows} == {k: dict(c) for k, c in kinds.items()}
    assert rows
    assert all(u.versions == sum(u.kinds.values()) for u in rows)
    for u in rows:
        assert {c.user: (c.uses, c.used_by) for c in u.collaborators} == {
            o: (uses[u.user, o], uses[o, u.user]) for o in {b for a, b in uses if a == u.user}
            | {a for a, b in uses if b == u.user}}
    assert [u.versions for u in rows] == sorted((u.versions for u in rows), reverse=True)


# -- search ---------------------------------------------------------------------------------

def expected_search(graph, at, kind="", fmt="", used_in="ShotPackage", min_uses=0,
                    max_age=0.0, word=""):
    by_uid = graph.version_by_uid
    formats = defaultdict(set)
    for r in graph.representations:
        v = by_uid[r.version_uid]
        if v.created_at <= at:
            formats[path_of(v)].add(r.format)
    holders = defaultdict(set)
    for e in graph.edges:
        s, t = by_uid[e.source], by_uid[e.target]
        if e.type == CONTAINS and s.created_at <= at and s.kind == used_in:
            holders[path_of(t)].add(path_of(s))
    out = {}
    for a in graph.assets:
        versions = [v for v in graph.versions_by_asset[a.uid] if v.created_at <= at]
        if not versions or (kind and a.kind != kind) or (fmt and fmt not in formats[a.path]):
            continue
        if max_age and not a.created_at > at - timedelta(days=max_age):
            continue
        if word and not any(word.lower() in v.comment.lower() for v in versions):
            continue
        if len(holders[a.path]) >= min_uses:
            out[a.path] = (len(holders[a.path]), versions[-1].number)
    return out


@pytest.mark.parametrize("rules", [
    dict(kind="CharacterPackage", min_uses=3, word="NOTES"),
    dict(kind="ModelAsset", fmt="usd", used_in="LookDevPackage", min_uses=1),
    dict(fmt="exr", max_age=RECENT_AGE, word="notes", at=_BORN[-1]),
    dict(min_uses=12),
], ids=["characters", "models", "recent", "popular"])
def test_search_applies_every_rule(store, rules):
    rules = dict(rules)   # the parameter's dict is shared by both backends' runs
    at = rules.pop("at", MID)
    expected = expected_search(GRAPH, at, **rules)
    assert expected, "a rule set that finds nothing checks nothing"
    rows = ask(store, analytics.search, kind=rules.get("kind"), format=rules.get("fmt"),
               used_in=rules.get("used_in", "ShotPackage"), min_uses=rules.get("min_uses"),
               max_age_days=rules.get("max_age"), word=rules.get("word"), as_of=at)
    assert {f"{r.project}/{r.asset}": (r.uses, r.version) for r in rows} == expected
    assert len(expected) < len(ask(store, analytics.search, as_of=at))  # the rules narrow


# -- networkx export and communities --------------------------------------------------------

def test_to_networkx_exports_the_lineage_graph_as_of(store):
    exported = analytics.to_networkx(store, as_of=MID)
    expected = lineage_digraph(GRAPH)
    expected = expected.subgraph(v.uid for v in GRAPH.versions if v.created_at <= MID)
    assert set(exported.nodes) == set(expected.nodes)
    assert {(a, b, d["type"].upper(), d["role"]) for a, b, d in exported.edges(data=True)} == \
        {(a, b, d["type"], d["name"]) for a, b, d in expected.edges(data=True)}
    some = GRAPH.versions[10]
    assert exported.nodes[some.uid]["uri"] == some.uri
    assert exported.nodes[some.uid]["created_at"] == some.created_at
    assets = analytics.to_networkx(store, as_of=MID, assets=True)
    by_uid = GRAPH.version_by_uid
    weights = Counter((path_of(by_uid[a]), path_of(by_uid[b])) for a, b in expected.edges
                      if path_of(by_uid[a]) != path_of(by_uid[b]))
    assert {(a, b): d["weight"] for a, b, d in assets.edges(data=True)} == dict(weights)


def test_communities_are_louvain_on_the_comembership_graph(store):
    members = members_at(GRAPH, NOW)
    weights: Counter = Counter()
    for held in members.values():
        weights.update(combinations(sorted(held), 2))
    graph = ask(store, analytics.comembership_graph)
    assert {tuple(sorted((a, b))): d["weight"] for a, b, d in graph.edges(data=True)} == \
        dict(weights)
    independent = nx.Graph()
    independent.add_nodes_from(sorted({m for held in members.values() for m in held}))
    independent.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(weights.items()))
    expected = sorted((sorted(c) for c in nx.community.louvain_communities(
        independent, weight="weight", seed=3) if len(c) >= 2), key=lambda c: (-len(c), c[0]))
    rows = ask(store, analytics.communities, seed=3, top=0)
    found = defaultdict(list)
    for r in rows:
        found[r.community].append(f"{r.project}/{r.asset}")
    assert [sorted(found[i]) for i in sorted(found)] == expected
    assert len(expected) > 1


# -- unknown project on real data -----------------------------------------------------------

def test_an_unknown_project_gives_empty_answers(store):
    for question in (analytics.similar, analytics.shared, analytics.reuse, analytics.users,
                     analytics.iterations, analytics.iteration_means, analytics.search,
                     analytics.communities):
        assert ask(store, question, project="nope") == [], question.__name__
    assert analytics.to_networkx(store, project="nope").number_of_nodes() == 0


# -- properties on small random graphs ------------------------------------------------------

_START = datetime(2026, 1, 1, tzinfo=timezone.utc)
_KINDS = ["TextureAsset", "ModelAsset", "LookDevPackage", "ShotPackage"]


@st.composite
def small_graphs(draw) -> SynthGraph:
    """A few assets, a few versions each in time order, each version using earlier ones."""
    count = draw(st.integers(3, 7))
    kinds = [draw(st.sampled_from(_KINDS)) for _ in range(count)]
    assets = [SynthAsset(uid=f"a{i}", project="p", name=f"x{i}", kind=k)
              for i, k in enumerate(kinds)]
    versions: list[SynthVersion] = []
    edges: list[SynthEdge] = []
    numbers: Counter = Counter()
    for step in range(draw(st.integers(2, 14))):
        asset = assets[draw(st.integers(0, count - 1))]
        numbers[asset.uid] += 1
        at = _START + timedelta(hours=step + 1)
        uid = f"v{step:03d}"
        user = draw(st.sampled_from(["ana", "bob", "cy"]))
        if numbers[asset.uid] == 1:
            asset.created_at, asset.created_by = at, user
        asset.version_count = numbers[asset.uid]
        versions.append(SynthVersion(uid, asset.uid, "p", asset.name, asset.kind,
                                     numbers[asset.uid], "published", user, at, uid,
                                     draw(st.sampled_from(["first pass", "Fix seams"]))))
        earlier = [v for v in versions[:-1] if v.asset_uid != asset.uid]
        targets = draw(st.lists(st.sampled_from(earlier), unique_by=lambda v: v.uid,
                                max_size=3)) if earlier else []
        package = asset.kind.endswith("Package")
        edges += [SynthEdge(uid, t.uid, CONTAINS if package else DEPENDS_ON, "m") for t in targets]
    used = [a for a in assets if a.version_count]
    return SynthGraph(size=0, seed=0, projects=[SynthProject("p", _START)],
                      users=[SynthUser(n, _START) for n in ("ana", "bob", "cy")],
                      assets=used, versions=versions,
                      representations=[SynthRepresentation(
                          f"r{v.uid}", v.uid, "f.usd", f"p/{v.asset}/f.usd", "usd", 1, "0")
                          for v in versions[::2]],
                      edges=edges)


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def scratch(request, tmp_path_factory):
    """An empty store per backend, wiped before each example."""
    handle = _store(request, tmp_path_factory, "scratch")
    yield handle
    handle.wipe()
    handle.close()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graph=small_graphs())
def test_questions_agree_with_plain_python_on_small_random_graphs(scratch, graph):
    scratch.wipe()
    if scratch.dialect == "neo4j":
        scratch.ensure_schema(create=True)
    bulk_load(scratch, graph)
    end = graph.versions[-1].created_at
    assert sorted(actual_pairs(ask(scratch, analytics.similar, top=0))) == \
        sorted(expected_pairs(graph, end))
    reuse = ask(scratch, analytics.reuse, top=0)
    assert {f"{r.project}/{r.asset}": (r.user_assets, r.user_versions) for r in reuse} == \
        expected_reuse(graph, end)
    iterations = ask(scratch, analytics.iterations)
    assert {r.uid: (r.seconds, r.inputs) for r in iterations} == \
        expected_iterations(graph, _START, end)
    found = ask(scratch, analytics.search, format="usd", word="seams", used_in="ShotPackage",
                min_uses=1)
    assert {f"{r.project}/{r.asset}": (r.uses, r.version) for r in found} == \
        expected_search(graph, end, fmt="usd", word="seams", min_uses=1)
