"""Analytics behaviour through the API and the CLI on both backends: published packages,
as-of answers, empty stores, bad input and the JSON shapes."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone

import pytest

import legos.analytics as analytics
import legos.cli.analytics  # noqa: F401 - attaches `legos analytics` until main.py imports it
from legos.errors import ConfigError, InvalidInputError, UnknownKindError


def ask(lg, question, *args, **kwargs):
    return lg.store.read(lambda tx: question(tx, *args, **kwargs))


@pytest.fixture
def packages(lg, make_file):
    """Two characters' packages sharing a texture-built model; v2 of one drops a member."""
    tex = lg.publish("demo", "lib/tex/wood", kind="TextureAsset", user="ana",
                     files=[make_file("wood.tx")], comment="first pass")
    mdl = lg.publish("demo", "chr/a/model", kind="ModelAsset", dependencies=[tex.uri],
                     files=[make_file("a.usda")], user="bob")
    rig = lg.publish("demo", "chr/a/rig", kind="FileAsset", dependencies=[mdl.uri],
                     files=[make_file("rig.ma")], user="bob")
    cam = lg.publish("demo", "cam", kind="CameraAsset", files=[make_file("cam.usda")], user="cy")
    a1 = lg.publish("demo", "chr/a/pkg", kind="CharacterPackage",
                    members=[mdl.uri, rig.uri, cam.uri], user="ana", comment="Client NOTES")
    b1 = lg.publish("demo", "chr/b/pkg", kind="CharacterPackage", members=[mdl.uri, cam.uri],
                    user="bob")
    between = datetime.now(timezone.utc)
    a2 = lg.publish("demo", "chr/a/pkg", kind="CharacterPackage", members=[rig.uri], user="ana")
    shot = lg.publish("demo", "sh010/pkg", kind="ShotPackage",
                      members=[("a", a2.uri), ("b", b1.uri)], user="cy")
    return dict(tex=tex, mdl=mdl, rig=rig, cam=cam, a1=a1, b1=b1, a2=a2, shot=shot,
                between=between)


def test_similar_and_shared_follow_the_latest_versions_as_of(lg, packages):
    now = ask(lg, analytics.similar, kind="CharacterPackage")
    assert now == []  # a v2 holds only the rig, which b does not hold
    then = ask(lg, analytics.similar, kind="CharacterPackage", as_of=packages["between"])
    assert [(r.uri, r.other_uri, r.shared, r.jaccard) for r in then] == [
        (packages["a1"].uri, packages["b1"].uri, 2, 2 / 3)]
    assert then[0].shared_assets == ["legos:/demo/cam", "legos:/demo/chr/a/model"]
    shared = ask(lg, analytics.shared, as_of=packages["between"])
    assert [(r.asset, r.other_asset, r.shared) for r in shared] == [("chr/a/pkg", "chr/b/pkg", 2)]


def test_reuse_users_iteration_and_search_on_published_versions(lg, packages):
    reuse = ask(lg, analytics.reuse)
    by_asset = {r.asset: (r.user_assets, r.user_versions, r.version) for r in reuse}
    assert by_asset["chr/a/model"] == (3, 3, 1)   # rig, a (v1), b
    assert by_asset["chr/a/pkg"] == (1, 1, 2)     # the shot holds v2
    users = {u.user: u for u in ask(lg, analytics.users)}
    assert users["ana"].kinds == {"CharacterPackage": 2, "TextureAsset": 1}
    assert {c.user: (c.uses, c.used_by) for c in users["ana"].collaborators} == \
        {"bob": (3, 1), "cy": (1, 1)}  # a1 -> model, rig; a2 -> rig; model -> tex
    one = ask(lg, analytics.iteration, packages["shot"].uri)
    assert one.earliest_uri == packages["tex"].uri and one.inputs == 6
    assert one.seconds == (packages["shot"].created_at - packages["tex"].created_at).total_seconds()
    leaf = ask(lg, analytics.iteration, packages["cam"].uri)
    assert (leaf.inputs, leaf.seconds, leaf.earliest_uri) == (0, None, None)
    found = ask(lg, analytics.search, kind="CharacterPackage", min_uses=1, word="notes")
    assert [(r.uri, r.version, r.uses) for r in found] == [("legos:/demo/chr/a/pkg", 2, 1)]
    assert ask(lg, analytics.search, format="tx", as_of=packages["between"])[0].asset == \
        "lib/tex/wood"
    assert ask(lg, analytics.search, kind="CharacterPackage", min_uses=2) == []


def test_search_word_matches_asset_names_as_well_as_comments(lg, packages):
    assert [r.asset for r in ask(lg, analytics.search, word="wood")] == ["lib/tex/wood"]
    assert [r.asset for r in ask(lg, analytics.search, word="RIG")] == ["chr/a/rig"]
    assert {r.asset for r in ask(lg, analytics.search, word="pass")} == {"lib/tex/wood"}


@pytest.fixture
def cli_on(store_location, monkeypatch):
    """Run `legos ...` against the store the `lg` fixture filled (closed first: the embedded
    store has one user at a time)."""
    from click.testing import CliRunner

    from legos.cli.main import cli

    monkeypatch.setenv("LEGOS_STORE", store_location)

    def invoke(*args: str, ok: bool = True):
        result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output + result.stderr
        return result

    return invoke


def test_cli_answers_in_json_with_uri_asset_and_version(lg, packages, cli_on):
    lg.close()
    run = cli_on
    for args in (["similar", "--as-of", packages["between"].isoformat()], ["shared", "--top", "0",
                 "--as-of", packages["between"].isoformat()], ["reuse", "--top", "3"],
                 ["search", "--kind", "CharacterPackage"], ["iteration", "--by", "asset"],
                 ["iteration", "--by", "version"], ["iteration", packages["shot"].uri],
                 ["communities"]):
        rows = json.loads(run("analytics", *args, "--json").stdout)
        assert rows, args
        assert all({"uri", "asset", "version"} <= row.keys() for row in rows), args
    users = json.loads(run("analytics", "users", "--json").stdout)
    assert {u["user"] for u in users} == {"ana", "bob", "cy"}
    table = run("analytics", "reuse", "--kind", "ModelAsset").stdout
    assert "legos:/demo/chr/a/model" in table


def test_an_empty_store_gives_empty_answers(lg):
    for question in (analytics.similar, analytics.shared, analytics.reuse, analytics.users,
                     analytics.iterations, analytics.iteration_means, analytics.search,
                     analytics.communities):
        assert ask(lg, question) == [], question.__name__
    assert analytics.to_networkx(lg).number_of_nodes() == 0


def test_cli_on_an_empty_store_prints_empty_lists(run):
    for command in ("similar", "shared", "reuse", "users", "search", "iteration",
                    "communities"):
        assert json.loads(run("analytics", command, "--json").stdout) == [], command


@pytest.mark.parametrize("question, kwargs, error, message", [
    (analytics.similar, dict(top=-1), InvalidInputError, "top -1 is not valid"),
    (analytics.similar, dict(kind="TextureAsset"), InvalidInputError, "not a package kind"),
    (analytics.reuse, dict(kind="Nope"), UnknownKindError, "unknown asset kind 'Nope'"),
    (analytics.reuse, dict(by="files"), InvalidInputError, "cannot rank reuse by 'files'"),
    (analytics.iteration_means, dict(by="shot"), InvalidInputError, "cannot group"),
    (analytics.iterations, dict(since="2026-03-02", until="2026-03-01"), InvalidInputError,
     "give --since before --until"),
    (analytics.users, dict(since="yesterday"), InvalidInputError, "not ISO 8601"),
    (analytics.search, dict(as_of=datetime(2026, 3, 1)), InvalidInputError, "no time zone"),
    (analytics.search, dict(min_uses=-2), InvalidInputError, "minimum uses -2"),
    (analytics.search, dict(max_age_days=-1), InvalidInputError, "max age"),
    (analytics.communities, dict(resolution=0), InvalidInputError, "resolution 0"),
])
def test_bad_input_is_a_clear_error(lg, question, kwargs, error, message):
    with pytest.raises(error, match=message):
        ask(lg, question, **kwargs)


def test_cli_bad_input_is_one_line(run):
    result = run("analytics", "reuse", "--kind", "Nope", ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("legos: error: unknown asset kind 'Nope'")
    assert run("analytics", "similar", "--top", "-1", ok=False).exit_code == 2


def test_without_networkx_the_export_names_the_extra(lg, monkeypatch):
    monkeypatch.setitem(sys.modules, "networkx", None)
    with pytest.raises(ConfigError, match=r"legos\[analytics\]"):
        analytics.to_networkx(lg)
