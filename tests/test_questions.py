"""The question catalogue on both backends, on a small look-development story: impact in
rebuild order, stale inputs, diffs, lineage paths, an asset's evolution, and all of them as of
a past time."""

from __future__ import annotations

import time

import pytest

from legos.errors import AssetNotFoundError, VersionNotFoundError


def _tick() -> None:
    time.sleep(0.002)  # distinct creation instants, so an as-of time can fall between two


@pytest.fixture
def story(lg, make_file):
    """albedo v1 -> skin v1 -> look v1 -> lookdev v1 -> qc v1; then albedo v2, skin v2 (on
    albedo v2), a new eyes material, lookdev v2 and qc v2; albedo v3 is approved later."""
    s: dict = {}
    s["albedo1"] = lg.publish("demo", "chr/s/tex/albedo", kind="TextureAsset",
                              files=[make_file("a1.png", "a1")], user="ben")
    s["model"] = lg.publish("demo", "chr/s/model", kind="ModelAsset",
                            files=[make_file("m.obj")], user="ana")
    # a material, look or render keeps its file from version to version: what changes here
    # are the inputs
    skin, look, qc = ([make_file(n)] for n in ("skin.usda", "look.usda", "qc.exr"))
    s["skin1"] = lg.publish("demo", "chr/s/mtl/skin", kind="MaterialAsset", files=skin,
                            dependencies=[s["albedo1"].uri], user="cleo")
    s["look1"] = lg.publish("demo", "chr/s/look", kind="LookBindingAsset", files=look,
                            dependencies=[s["model"].uri, ("material", s["skin1"].uri)],
                            user="cleo")
    s["pkg1"] = lg.publish("demo", "chr/s/lookdev", kind="LookDevPackage",
                           members=[("model", s["model"].uri), ("look", s["look1"].uri)],
                           user="cleo")
    s["qc1"] = lg.publish("demo", "chr/s/qc", kind="RenderAsset", files=qc,
                          dependencies=[("lookdev", s["pkg1"].uri)], user="dev")
    _tick()
    s["t_first"] = s["qc1"].created_at
    s["albedo2"] = lg.publish("demo", "chr/s/tex/albedo", kind="TextureAsset",
                              files=[make_file("a2.png", "a2")], user="ben")
    s["skin2"] = lg.publish("demo", "chr/s/mtl/skin", kind="MaterialAsset", files=skin,
                            dependencies=[s["albedo2"].uri], user="cleo")
    s["eyes"] = lg.publish("demo", "chr/s/mtl/eyes", kind="MaterialAsset",
                           files=[make_file("eyes.usda")], user="cleo")
    s["look2"] = lg.publish("demo", "chr/s/look", kind="LookBindingAsset", files=look,
                            dependencies=[s["model"].uri, ("material", s["skin2"].uri),
                                          ("material", s["eyes"].uri)], user="cleo")
    s["pkg2"] = lg.publish("demo", "chr/s/lookdev", kind="LookDevPackage",
                           members=[("model", s["model"].uri), ("look", s["look2"].uri)],
                           user="cleo")
    s["qc2"] = lg.publish("demo", "chr/s/qc", kind="RenderAsset", files=qc,
                          dependencies=[("lookdev", s["pkg2"].uri)], user="dev")
    _tick()
    s["t_second"] = s["qc2"].created_at
    s["albedo3"] = lg.publish("demo", "chr/s/tex/albedo", kind="TextureAsset",
                              files=[make_file("a3.png", "a3")], user="ben", status="wip")
    return s


def _keys(rows):
    return [(r.asset, r.version) for r in rows]


# -- impact -----------------------------------------------------------------------------------

def test_impact_lists_every_downstream_version_in_rebuild_order(lg, story):
    revision = lg.submit(story["qc1"].uri, note="turntable", user="dev")
    rows = lg.impact(story["model"].uri)
    wave = {(r.asset, r.version): r.wave for r in rows if r.revision is None}
    assert set(wave) == {("chr/s/look", 1), ("chr/s/look", 2), ("chr/s/lookdev", 1),
                         ("chr/s/lookdev", 2), ("chr/s/qc", 1), ("chr/s/qc", 2)}
    # the lookdev package holds the model directly (depth 1) but also the look, which uses the
    # model: it must be rebuilt after the look, so its wave is 2, not its depth
    assert wave[("chr/s/look", 1)] == 1 and wave[("chr/s/lookdev", 1)] == 2
    assert wave[("chr/s/qc", 2)] == 3
    [rev] = [r for r in rows if r.revision]
    assert (rev.revision, rev.wave, rev.asset) == (revision.uid, 4, "chr/s/qc")
    assert [r.wave for r in rows] == sorted(r.wave for r in rows)
    depth = {(r.asset, r.version): r.depth for r in rows if r.revision is None}
    assert depth[("chr/s/lookdev", 1)] == 1


def test_impact_of_a_leaf_user_is_empty_and_of_an_unknown_version_an_error(lg, story):
    assert lg.impact(story["qc2"].uri) == []
    with pytest.raises(VersionNotFoundError, match="version=9 does not exist"):
        lg.impact("legos:/demo/chr/s/model?version=9")
    with pytest.raises(AssetNotFoundError):
        lg.impact("legos:/demo/chr/nobody?version=1")


def test_impact_as_of_leaves_out_what_came_later(lg, story):
    before = lg.impact(story["albedo1"].uri, as_of=story["t_first"])
    assert _keys(before) == [("chr/s/mtl/skin", 1), ("chr/s/look", 1), ("chr/s/lookdev", 1),
                             ("chr/s/qc", 1)]
    assert [r.wave for r in before] == [1, 2, 3, 4]


# -- stale -------------------------------------------------------------------------------------

def test_stale_lists_inputs_with_a_newer_approved_version(lg, story):
    assert lg.stale(story["qc1"].uri) == []          # nothing newer is approved yet
    lg.set_status(story["skin2"].uri, "approved", user="sup")
    [row] = lg.stale(story["qc1"].uri)
    assert (row.asset, row.version, row.newer_version, row.newer_status, row.behind) == (
        "chr/s/mtl/skin", 1, 2, "approved", 1)
    assert row.newer_uri == story["skin2"].uri and row.depth == 3


def test_stale_any_newer_counts_every_newer_version(lg, story):
    rows = {r.asset: r for r in lg.stale(story["qc1"].uri, any_newer=True)}
    assert set(rows) == {"chr/s/mtl/skin", "chr/s/tex/albedo", "chr/s/look", "chr/s/lookdev"}
    albedo = rows["chr/s/tex/albedo"]
    assert (albedo.version, albedo.newer_version, albedo.newer_status, albedo.behind) == (
        1, 3, "wip", 2)
    assert {r.asset for r in lg.stale(story["qc2"].uri, any_newer=True)} == {"chr/s/tex/albedo"}


def test_stale_any_newer_passes_over_rejected_and_deprecated_versions(lg, story):
    lg.set_status(story["albedo3"].uri, "rejected", user="sup")
    albedo = {r.asset: r for r in lg.stale(story["qc1"].uri, any_newer=True)}["chr/s/tex/albedo"]
    assert (albedo.newer_version, albedo.newer_status, albedo.behind) == (2, "published", 1)
    assert lg.stale(story["qc2"].uri, any_newer=True) == []
    lg.set_status(story["albedo2"].uri, "deprecated", user="sup")
    assert "chr/s/tex/albedo" not in {r.asset for r in lg.stale(story["qc1"].uri, any_newer=True)}


def test_stale_asked_again_is_one_walk_with_the_inputs_statuses_now(lg, story, modules_asked):
    """The inputs' statuses come with stale's own walk (lineage/stale gives each input's row
    too): no second walk of the closure, and a status changed since shows."""
    lg.stale(story["qc1"].uri)
    lg.set_status(story["skin1"].uri, "deprecated", user="sup")
    lg.set_status(story["skin2"].uri, "approved", user="sup")
    modules_asked.clear()
    [row] = lg.stale(story["qc1"].uri)
    assert (row.asset, row.version, row.status, row.newer_version) == (
        "chr/s/mtl/skin", 1, "deprecated", 2)
    assert "lineage/dependency_statuses" not in modules_asked
    assert "lineage/dependencies" not in modules_asked


def test_stale_as_of_reads_statuses_as_they_stood(lg, story):
    lg.set_status(story["albedo2"].uri, "approved", user="sup")
    _tick()
    approved_at = lg.changes(story["albedo2"].uri)[-1].at
    lg.set_status(story["albedo2"].uri, "deprecated", user="sup")
    assert lg.stale(story["qc1"].uri) == []          # deprecated now
    then = lg.stale(story["qc1"].uri, as_of=approved_at)
    assert [(r.asset, r.newer_version, r.newer_status) for r in then] == [
        ("chr/s/tex/albedo", 2, "approved")]
    # before albedo v2 existed, nothing could be stale
    assert lg.stale(story["qc1"].uri, any_newer=True, as_of=story["t_first"]) == []


# -- diff --------------------------------------------------------------------------------------

def test_diff_reports_added_removed_and_reversioned_inputs_at_any_depth(lg, story):
    rows = {(r.asset, r.change): r for r in lg.diff(story["qc1"].uri, story["qc2"].uri)}
    assert set(rows) == {("chr/s/mtl/eyes", "added"), ("chr/s/tex/albedo", "changed"),
                         ("chr/s/mtl/skin", "changed"), ("chr/s/look", "changed"),
                         ("chr/s/lookdev", "changed")}
    albedo = rows["chr/s/tex/albedo", "changed"]
    assert (albedo.from_version, albedo.to_version, albedo.depth) == (1, 2, 4)
    assert rows["chr/s/mtl/eyes", "added"].from_version is None
    back = {(r.asset, r.change) for r in lg.diff(story["qc2"].uri, story["qc1"].uri)}
    assert ("chr/s/mtl/eyes", "removed") in back
    assert lg.diff(story["qc2"].uri, story["qc2"].uri) == []
    shallow = {r.asset for r in lg.diff(story["qc1"].uri, story["qc2"].uri, depth=1)}
    assert shallow == {"chr/s/lookdev"}


def test_diff_reports_the_versions_own_files_by_hash(lg, story, make_file, tmp_path):
    rows = lg.diff(story["albedo1"].uri, story["albedo2"].uri)
    assert [(r.change, r.file, r.from_version, r.to_version, r.depth) for r in rows] == [
        ("added", "a2.png", None, 2, 0), ("removed", "a1.png", 1, None, 0)]
    for name, text in (("a.usda", "a"), ("b.usda", "b"), ("c.usda", "c")):
        make_file(f"layers/{name}", text)
    first = lg.publish("demo", "chr/s/set", kind="ModelAsset", files=[tmp_path / "src/layers"],
                       entry="a.usda")
    make_file("layers/b.usda", "b, edited")
    (tmp_path / "src/layers/c.usda").unlink()
    make_file("layers/d.usda", "d")
    second = lg.publish("demo", "chr/s/set", kind="ModelAsset", files=[tmp_path / "src/layers"],
                        entry="a.usda")
    rows = {r.file: r for r in lg.diff(first.uri, second.uri)}
    assert {f: r.change for f, r in rows.items()} == {
        "d.usda": "added", "c.usda": "removed", "b.usda": "changed"}
    b = rows["b.usda"]
    sha = {r.name: r.sha256 for r in first.representations}
    assert (b.from_sha256, b.to_sha256, b.uri) == (
        sha["b.usda"], {r.name: r.sha256 for r in second.representations}["b.usda"], second.uri)
    assert rows["c.usda"].uri == first.uri and rows["c.usda"].to_sha256 is None


# -- path and evolution ------------------------------------------------------------------------

def test_path_to_an_unversioned_uri_follows_the_version_actually_used(lg, story):
    albedo = "legos:/demo/chr/s/tex/albedo"     # latest is v3; qc v1 uses v1, qc v2 uses v2
    steps = lg.path(story["qc1"].uri, albedo)
    assert steps[-1].uri == story["albedo1"].uri and len(steps) == 5
    assert lg.path(story["qc2"].uri, albedo)[-1].uri == story["albedo2"].uri
    assert lg.path(story["skin1"].uri, "legos:/demo/chr/s/mtl/eyes") == []
    assert lg.path(story["qc1"].uri, albedo, as_of=story["t_first"])[-1].version == 1
    with pytest.raises(AssetNotFoundError):
        lg.path(story["qc1"].uri, "legos:/demo/chr/s/nothing")


def test_path_gives_one_shortest_chain_with_roles(lg, story):
    steps = lg.path(story["qc2"].uri, story["albedo2"].uri)
    assert [(s.asset, s.version, s.role) for s in steps] == [
        ("chr/s/qc", 2, None), ("chr/s/lookdev", 2, "lookdev"), ("chr/s/look", 2, "look"),
        ("chr/s/mtl/skin", 2, "material"), ("chr/s/tex/albedo", 2, "texture")]
    assert [s.relation for s in steps] == [None, "depends_on", "contains", "depends_on",
                                           "depends_on"]
    # the package holds the model itself: the chain takes that hop, not the look's
    assert len(lg.path(story["qc2"].uri, story["model"].uri)) == 3
    assert lg.path(story["qc2"].uri, story["albedo1"].uri) == []      # not used by v2
    assert lg.path(story["albedo2"].uri, story["qc2"].uri) == []      # the wrong way round


def test_path_as_of_needs_both_ends_to_have_existed(lg, story):
    with pytest.raises(VersionNotFoundError, match="after the as-of time"):
        lg.path(story["qc2"].uri, story["albedo2"].uri, as_of=story["t_first"])
    # a URI without a version means the latest as of that time
    steps = lg.path("legos:/demo/chr/s/qc", "legos:/demo/chr/s/tex/albedo",
                    as_of=story["t_first"])
    assert steps[0].version == 1 and steps[-1].version == 1


def test_evolution_shows_how_each_version_changed_its_inputs(lg, story):
    steps = lg.evolution("legos:/demo/chr/s/look")
    assert [s.version for s in steps] == [1, 2]
    assert {(c.asset, c.change) for c in steps[0].changes} == {
        ("demo/chr/s/model", "added"), ("demo/chr/s/mtl/skin", "added")}
    assert {(c.asset, c.change, c.from_version, c.to_version) for c in steps[1].changes} == {
        ("demo/chr/s/mtl/skin", "changed", 1, 2), ("demo/chr/s/mtl/eyes", "added", None, 1)}
    assert steps[1].inputs == 3
    assert [s.version for s in lg.evolution("demo/chr/s/look", as_of=story["t_first"])] == [1]
    with pytest.raises(AssetNotFoundError):
        lg.evolution("demo/chr/nobody")


# -- as of, for the core lineage questions -------------------------------------------------------

def test_dependents_and_dependencies_as_of_a_past_time(lg, story):
    now = {(r.asset, r.version) for r in lg.dependents(story["model"].uri)}
    then = {(r.asset, r.version) for r in lg.dependents(story["model"].uri,
                                                          as_of=story["t_first"])}
    assert then == {("chr/s/look", 1), ("chr/s/lookdev", 1), ("chr/s/qc", 1)} < now
    latest_then = lg.dependencies("legos:/demo/chr/s/qc", as_of=story["t_first"])
    assert ("chr/s/tex/albedo", 1) in _keys(latest_then)
    with pytest.raises(VersionNotFoundError, match="after the as-of time"):
        lg.dependencies(story["qc2"].uri, as_of=story["t_first"])


def test_a_dependency_on_a_version_not_yet_published_is_refused_so_no_cycle_can_form(lg, story,
                                                                                   make_file):
    # a cycle needs an input newer than its user; publish takes only existing versions
    with pytest.raises(VersionNotFoundError, match="does not exist"):
        lg.publish("demo", "chr/s/tex/albedo", kind="TextureAsset", files=[make_file("a.png")],
                   dependencies=["legos:/demo/chr/s/qc?version=3"])
    assert lg.history("legos:/demo/chr/s/tex/albedo")[0].version == 3


# -- bad input at the API: always a LegosError ----------------------------------------------


def _bad_calls(story):
    from datetime import datetime

    naive = datetime(2026, 3, 1, 18, 0)
    qc, albedo = story["qc2"].uri, story["albedo1"].uri
    return [
        *[(f"{name} as_of naive", lambda lg, call=call: call(lg, naive), "time zone")
          for name, call in (
              ("show", lambda lg, t: lg.show(qc, as_of=t)),
              ("history", lambda lg, t: lg.history(qc, as_of=t)),
              ("dependencies", lambda lg, t: lg.dependencies(qc, as_of=t)),
              ("dependents", lambda lg, t: lg.dependents(albedo, as_of=t)),
              ("contents", lambda lg, t: lg.contents(story["pkg2"].uri, as_of=t)),
              ("closure", lambda lg, t: lg.closure(qc, as_of=t)),
              ("impact", lambda lg, t: lg.impact(albedo, as_of=t)),
              ("stale", lambda lg, t: lg.stale(qc, as_of=t)),
              ("diff", lambda lg, t: lg.diff(story["qc1"].uri, qc, as_of=t)),
              ("path", lambda lg, t: lg.path(qc, albedo, as_of=t)),
              ("evolution", lambda lg, t: lg.evolution("demo/chr/s/qc", as_of=t)),
              ("query", lambda lg, t: lg.query("analytics/reuse", {}, as_of=t)),
          )],
        ("as_of as a number", lambda lg: lg.dependencies(qc, as_of=1700000000), "as-of"),
        ("depth as text", lambda lg: lg.dependencies(qc, depth="2"), "depth"),
        ("depth as a bool", lambda lg: lg.dependents(albedo, depth=True), "depth"),
        ("depth zero", lambda lg: lg.diff(qc, qc, depth=0), "depth"),
        ("role as a number", lambda lg: lg.dependencies(qc, role=3), "role"),
        ("uri as a number", lambda lg: lg.show(7), "names no asset"),
        ("query params not a mapping", lambda lg: lg.query("analytics/reuse", ["top=3"]),
         "parameters"),
        ("query value not text", lambda lg: lg.query("analytics/reuse", {"top": 3}), "top"),
        ("select_many of one text", lambda lg: lg.select_many("demo/chr/s/qc", "latest"),
         "list"),
        ("select_many of nothing", lambda lg: lg.select_many(None, "latest"), "list"),
        ("status as a number", lambda lg: lg.set_status(qc, 3), "status"),
        ("tag as a number", lambda lg: lg.tag(qc, 3), "tag"),
        ("selector as a number", lambda lg: lg.select(qc, 3), "selector"),
        ("pattern as a number", lambda lg: lg.assets(pattern=3), "pattern"),
    ]


def test_every_api_entry_point_refuses_bad_input_with_a_legos_error(lg, story):
    from legos.errors import LegosError

    wrong = []
    for name, call, message in _bad_calls(story):
        try:
            call(lg)
        except LegosError as exc:
            if message not in str(exc):
                wrong.append(f"{name}: {exc}")
        except Exception as exc:
            wrong.append(f"{name}: {type(exc).__name__}: {exc}")
        else:
            wrong.append(f"{name}: no error")
    assert not wrong, "\n".join(wrong)


# -- the generic runner ------------------------------------------------------------------------

def test_query_runs_a_module_by_name_with_text_parameters(lg, story):
    rows = lg.query("lineage/path", {"from_uid": story["qc2"].uri,
                                     "to_uid": story["albedo2"].uri})
    assert rows[0]["roles"] == ["lookdev", "look", "material", "texture"]
    rows = lg.query("versions/history", {"path": "demo/chr/s/qc"})
    assert [r["version"] for r in rows] == [2, 1]


def test_query_results_name_versions_and_assets_by_uri_never_by_uid(lg, story):
    [chain] = lg.query("lineage/path", {"from_uid": story["qc2"].uri,
                                        "to_uid": story["albedo2"].uri})
    assert "uids" not in chain
    assert chain["uris"] == [story[k].uri for k in ("qc2", "pkg2", "look2", "skin2", "albedo2")]
    rows = lg.query("lineage/dependencies", {"uid": story["skin2"].uri})
    assert rows and all("uid" not in r and r["near"] == story["skin2"].uri for r in rows)
    assert {r["uri"] for r in rows} == {story["albedo2"].uri}
    stale = lg.query("lineage/stale", {"uid": story["qc1"].uri})
    assert {(r["uri"], r["newer_uri"]) for r in stale} >= {(story["albedo1"].uri, story["albedo3"].uri)}
    assets = lg.query("assets/list", {"project": "demo", "kind": "TextureAsset"})
    assert [a["uri"] for a in assets] == ["legos:/demo/chr/s/tex/albedo"]
    revision = lg.submit(story["qc1"].uri, user="dev")
    [rev] = lg.query("review/revision", {"revision_uid": revision.uid})
    assert rev["version_uri"] == story["qc1"].uri


def test_as_of_gives_the_statuses_and_verdicts_of_then_everywhere(lg, story):
    from datetime import datetime, timezone

    revision = lg.submit(story["qc1"].uri, user="dev").uid
    lg.set_status(story["skin1"].uri, "approved", user="sup")
    then = datetime.now(timezone.utc)
    _tick()
    lg.review(revision, "rejected", user="sup")
    lg.set_status(story["skin1"].uri, "deprecated", user="sup")
    # `legos query NAME --as-of T`: the status columns as they stood at T
    rows = lg.query("lineage/dependencies", {"uid": story["qc1"].uri}, as_of=then)
    assert {r["uri"]: r["status"] for r in rows}[story["skin1"].uri] == "approved"
    rows = lg.query("lineage/dependencies", {"uid": story["qc1"].uri})
    assert {r["uri"]: r["status"] for r in rows}[story["skin1"].uri] == "deprecated"
    [chain] = lg.query("lineage/revisions_downstream", {"uid": story["skin1"].uri}, as_of=then)
    assert chain["status"] == "submitted"
    # revision rows of dependents and impact: the verdict of then
    [rev] = [r for r in lg.dependents(story["skin1"].uri, as_of=then) if r.revision]
    assert rev.status == "submitted"
    [rev] = [r for r in lg.impact(story["skin1"].uri, as_of=then) if r.revision]
    assert rev.status == "submitted"
    [rev] = [r for r in lg.dependents(story["skin1"].uri) if r.revision]
    assert rev.status == "rejected"


def test_query_times_are_utc_datetimes_on_every_backend(lg, story):
    from datetime import datetime, timedelta

    day = timedelta(days=1)
    asked = [("lineage/dependencies", {"uid": story["qc2"].uri}, "created_at"),
             ("lineage/dependents", {"uid": story["albedo1"].uri}, "created_at"),
             ("lineage/contents", {"uid": story["pkg2"].uri}, "created_at"),
             ("lineage/evolution", {"path": "demo/chr/s/look"}, "created_at"),
             ("analytics/export_versions", {}, "created_at"),
             ("analytics/iteration", {"since": "2000-01-01", "until": "2999-01-01"}, "earliest"),
             ("versions/history", {"path": "demo/chr/s/qc"}, "created_at")]
    for name, params, column in asked:
        rows = lg.query(name, params)
        assert rows, name
        for row in rows:
            value = row[column]
            assert isinstance(value, datetime) and value.utcoffset() == timedelta(0), (name, value)
            assert story["albedo1"].created_at - day < value < story["albedo3"].created_at + day


def test_query_lists_and_runs_only_questions(lg):
    from legos import query
    from legos.errors import InvalidInputError

    listed = {q.name for q in query.catalogue(lg.store.dialect)}
    assert {"lineage/path", "analytics/reuse", "versions/history"} <= listed
    assert not {n for n in listed if n.split("/")[0] in ("bench", "bulk", "publish", "store",
                                                         "migrations", "usd")}
    with pytest.raises(InvalidInputError, match="not a question"):
        lg.query("bench/per_hop_inputs", {"uid": "x"})


@pytest.mark.parametrize("name, params, message", [
    ("lineage/path", {"from_uid": "x"}, "needs --param to_uid"),
    ("lineage/path", {"from_uid": "x", "to_uid": "y", "top": "3"}, "takes no parameter 'top'"),
    ("publish/create_version", {}, "changes the store"),
    ("store/wipe", {}, "changes the store"),
    ("lineage/nope", {}, "no query module 'lineage/nope'"),
    ("lineage/dependencies", {"uid": "legos:/demo/chr/s/qc?version=7"}, "does not exist"),
])
def test_query_refuses_bad_input_with_a_clear_message(lg, story, name, params, message):
    from legos.errors import LegosError

    with pytest.raises(LegosError, match=message):
        lg.query(name, params)


def test_history_as_of_lists_the_versions_and_statuses_of_then(lg, story):
    lg.set_status(story["skin2"].uri, "approved", user="sup")
    now = lg.history("legos:/demo/chr/s/mtl/skin")
    assert [(r.version, r.status) for r in now] == [(2, "approved"), (1, "published")]
    then = lg.history("legos:/demo/chr/s/mtl/skin", as_of=story["t_second"])
    assert [(r.version, r.status) for r in then] == [(2, "published"), (1, "published")]
    assert [r.version for r in lg.history("legos:/demo/chr/s/mtl/skin",
                                          as_of=story["t_first"])] == [1]
