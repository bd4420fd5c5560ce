"""Iteration means from the start of history come from one pass over every version and its
direct inputs: the same answer as walking each closure, across projects and kinds, and when
a clock step records an input as newer than its user."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from legos.analytics import iteration_means, iterations
from legos.store import open_store
from legos.testing.bulk import bulk_load
from legos.testing.synthetic import (
    DEPENDS_ON,
    SynthAsset,
    SynthEdge,
    SynthGraph,
    SynthProject,
    SynthRepresentation,
    SynthUser,
    SynthVersion,
)

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _graph(spec: list[tuple[str, str, str, int, list[str]]]) -> SynthGraph:
    """(uid, project, asset, hours after T0, inputs) per version, in publish order."""
    assets: dict[tuple[str, str], SynthAsset] = {}
    versions, edges = [], []
    for uid, project, name, hours, inputs in spec:
        at = T0 + timedelta(hours=hours)
        asset = assets.get((project, name))
        if asset is None:
            asset = assets[project, name] = SynthAsset(
                uid=f"a-{project}-{name}", project=project, name=name, kind="MaterialAsset",
                created_at=at, created_by="ana")
        asset.version_count += 1
        versions.append(SynthVersion(uid, asset.uid, project, name, "MaterialAsset",
                                     asset.version_count, "published", "ana", at, uid, ""))
        edges += [SynthEdge(uid, x, DEPENDS_ON, "in") for x in inputs]
    return SynthGraph(size=0, seed=0, projects=[SynthProject(p, T0) for p in ("p", "q")],
                      users=[SynthUser("ana", T0)], assets=list(assets.values()),
                      versions=versions, representations=[SynthRepresentation(
                          f"r{versions[0].uid}", versions[0].uid, "f.usd", "p/f.usd", "usd", 1,
                          "0")], edges=edges)


def _means(store) -> dict[str, tuple[int, float, float, float]]:
    rows = store.read(lambda tx: iteration_means(tx, by="asset", top=0))
    return {m.group: (m.versions, m.mean_seconds, m.min_seconds, m.max_seconds) for m in rows}


def _walked(store) -> dict[str, list[float]]:
    """The same means from each version's closure walk (legos.analytics.iterations)."""
    out: dict[str, list[float]] = {}
    for i in store.read(lambda tx: iterations(tx)):
        out.setdefault(f"{i.project}/{i.asset}", []).append(i.seconds)
    return out


def test_iteration_means_follow_inputs_across_projects_and_a_clock_step(store_location):
    # z (0h) <- y (2h) <- x (1h): y is recorded newer than x, which uses it (a clock step);
    # w in project q uses x and a leaf; a diamond: d uses b and c, both using a
    graph = _graph([
        ("z1", "p", "z", 0, []),
        ("x1", "p", "x", 1, ["y1"]),
        ("y1", "p", "y", 2, ["z1"]),
        ("a1", "p", "a", 3, []),
        ("b1", "p", "b", 4, ["a1"]),
        ("c1", "p", "c", 5, ["a1"]),
        ("d1", "p", "d", 6, ["b1", "c1"]),
        ("l1", "q", "l", 7, []),
        ("w1", "q", "w", 8, ["x1", "l1"]),
        ("w2", "q", "w", 10, ["l1"]),
    ])
    with open_store(store_location, create=True) as store:
        bulk_load(store, graph)
        hour = 3600.0
        assert _means(store) == {
            "p/x": (1, 1 * hour, 1 * hour, 1 * hour),     # z, through y
            "p/y": (1, 2 * hour, 2 * hour, 2 * hour),
            "p/b": (1, 1 * hour, 1 * hour, 1 * hour),
            "p/c": (1, 2 * hour, 2 * hour, 2 * hour),
            "p/d": (1, 3 * hour, 3 * hour, 3 * hour),     # a, once through either side
            "q/w": (2, 5.5 * hour, 3 * hour, 8 * hour),   # w1: z at 0h; w2: l at 7h
        }
        walked = _walked(store)
        assert {k: (len(s), min(s), max(s)) for k, s in walked.items()} == \
            {k: (n, lo, hi) for k, (n, _, lo, hi) in _means(store).items()}
