"""The synthetic production graph keeps the invariants benchmarks and cross-checks rely on, and
bulk-loaded into a store it answers lineage exactly as networkx does."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pytest

from legos.errors import ConflictError
from legos.testing import expected_dependencies, expected_lineage, generate, lineage_digraph
from legos.testing.bulk import bulk_load
from legos.testing.synthetic import CONTAINS, DEPENDS_ON

SMALL = 0.02  # about 2k nodes and 9k edges: every kind of asset, a few shows' worth of shape


@pytest.fixture(scope="module")
def graph():
    return generate(SMALL)


@pytest.fixture(scope="module")
def digraph(graph):
    return lineage_digraph(graph)


def test_same_seed_gives_the_same_graph_and_another_seed_another():
    first, again, other = generate(SMALL, seed=7), generate(SMALL, seed=7), generate(SMALL, seed=8)
    assert first.versions == again.versions
    assert first.edges == again.edges
    assert first.representations == again.representations
    assert [(a.uid, a.path, a.created_at) for a in first.assets] == \
        [(a.uid, a.path, a.created_at) for a in again.assets]
    assert {v.uid for v in first.versions}.isdisjoint(v.uid for v in other.versions)
    assert first.edges != other.edges


def test_lineage_is_acyclic_and_only_points_at_earlier_versions(graph, digraph):
    assert nx.is_directed_acyclic_graph(digraph)
    by_uid = graph.version_by_uid
    assert all(by_uid[e.source].created_at > by_uid[e.target].created_at for e in graph.edges)
    times = [v.created_at for v in graph.versions]
    assert times == sorted(times) and len(set(times)) == len(times)


def test_edges_are_well_formed(graph):
    pairs = Counter((e.source, e.target) for e in graph.edges)
    assert max(pairs.values()) == 1  # one edge per (version, input): no parallel edges
    package_kinds = {"LookDevPackage", "CharacterPackage", "ShotPackage", "AssetPackage"}
    by_uid = graph.version_by_uid
    assert {by_uid[e.source].kind for e in graph.edges if e.type == CONTAINS} <= package_kinds
    assert all(e.name and e.name.replace("_", "a").isalnum() and e.name.islower()
               for e in graph.edges)


def test_version_numbers_are_gap_free_per_asset(graph):
    for asset in graph.assets:
        versions = graph.versions_by_asset[asset.uid]
        assert [v.number for v in versions] == list(range(1, len(versions) + 1))
        assert asset.version_count == len(versions)
        assert asset.created_at == versions[0].created_at
        assert [v.created_at for v in versions] == sorted(v.created_at for v in versions)
        assert all(v.asset == asset.name and v.project == asset.project for v in versions)


def test_graph_has_the_production_shape(graph):
    kinds = Counter(a.kind for a in graph.assets)
    for kind in ("TextureAsset", "ModelAsset", "MaterialAsset", "LookBindingAsset",
                 "LookDevPackage", "CharacterPackage", "ShotPackage", "CameraAsset",
                 "LightRigAsset", "RenderSettingsAsset"):
        assert kinds[kind] > 0, kind
    by_uid = graph.version_by_uid
    links = Counter((by_uid[e.source].kind, e.type, by_uid[e.target].kind) for e in graph.edges)
    assert links["ShotPackage", CONTAINS, "CharacterPackage"]
    assert links["ShotPackage", CONTAINS, "CameraAsset"]
    assert links["CharacterPackage", CONTAINS, "LookDevPackage"]
    assert links["LookDevPackage", CONTAINS, "MaterialAsset"]
    assert links["MaterialAsset", DEPENDS_ON, "TextureAsset"]
    counts = graph.counts()
    assert counts[DEPENDS_ON] + counts[CONTAINS] > counts["edges"] / 2  # lineage dominates
    assert 0 < counts["Representation"] < counts["Version"]


def test_size_scales_the_graph_linearly():
    small, larger = generate(0.01).counts(), generate(0.1).counts()
    assert 8 < larger["nodes"] / small["nodes"] < 12
    # the default (1.0) is ~100k nodes and ~500k edges: 0.1 is a tenth of that
    assert 8_000 < larger["nodes"] < 12_000 and 40_000 < larger["edges"] < 60_000


def test_textures_are_shared_so_shot_closures_hold_diamonds(graph, digraph):
    def paths_from(start):  # number of distinct paths from start to each reachable version
        below = digraph.subgraph(expected_dependencies(digraph, start).keys() | {start})
        count = {start: 1}
        for node in nx.topological_sort(below):
            for _, target in below.out_edges(node):
                count[target] = count.get(target, 0) + count.get(node, 0)
        return count

    diamonds = 0
    for shot in graph.latest_versions("ShotPackage")[:5]:
        counts = paths_from(shot.uid)
        diamonds += sum(1 for uid, n in counts.items()
                        if n >= 2 and graph.version_by_uid[uid].kind == "TextureAsset")
    assert diamonds > 0
    texture_users = Counter(e.target for e in graph.edges if e.name == "texture")
    assert max(texture_users.values()) >= 3  # one texture version under several materials


def test_bulk_load_answers_lineage_as_networkx_does(lg, graph, digraph, make_file):
    # a store that holds something takes the batched path (an empty one, the archive import's)
    lg.publish("other", "lib/note", kind="FileAsset", files=[make_file("note.txt", b"n")])
    report = bulk_load(lg.store, graph, batch_size=700)  # several batches per step
    assert report.rows["versions"] == len(graph.versions)
    shots = graph.latest_versions("ShotPackage")[:4]
    assert len(shots) == 4
    for shot in shots:
        rows = lg.dependencies(shot.uri)
        assert {r.uid: (r.depth, tuple(r.roles)) for r in rows} == \
            expected_lineage(digraph, shot.uid)
        assert {r.uri for r in rows} == \
            {graph.version_by_uid[u].uri for u in expected_dependencies(digraph, shot.uid)}
    textures = [v for v in graph.versions if v.kind == "TextureAsset"]
    texture = max(textures, key=lambda v: digraph.in_degree(v.uid))  # a popular one
    users = [r for r in lg.dependents(texture.uri) if r.relation != "submits"]
    assert len(users) > 3
    assert {r.uid: (r.depth, tuple(r.roles)) for r in users} == \
        expected_lineage(digraph, texture.uid, reverse=True)


def test_bulk_loaded_versions_read_back_as_published_ones(lg, graph, make_file):
    bulk_load(lg.store, graph)
    with_file = graph.version_by_uid[graph.representations[0].version_uid]
    shown = lg.show(with_file.uri)
    assert (shown.uid, shown.kind, shown.status.value, shown.created_by, shown.created_at,
            shown.content_hash, shown.comment) == \
        (with_file.uid, with_file.kind, with_file.status, with_file.created_by,
         with_file.created_at, with_file.content_hash, with_file.comment)
    assert [r.name for r in shown.representations] == [graph.representations[0].name]
    asset = graph.asset_by_uid[with_file.asset_uid]
    assert [h.version for h in lg.history(asset.uri)] == \
        list(range(asset.version_count, 0, -1))
    # the ordinary API goes on from the loaded state: the next number follows the last one
    nxt = lg.publish(asset.project, asset.name, kind=asset.kind, files=[make_file("next.usda")],
                     dependencies=[graph.versions[0].uri], user="tester")
    assert nxt.number == asset.version_count + 1


def test_bulk_load_refuses_a_store_that_holds_its_assets(lg, graph):
    tiny = generate(0.005, seed=3)
    bulk_load(lg.store, tiny)
    with pytest.raises(ConflictError, match="already holds"):
        bulk_load(lg.store, tiny)
