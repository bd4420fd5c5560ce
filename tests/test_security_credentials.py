"""A Neo4j password never shows: not on stdout or stderr, not in an exception's message, repr or
traceback (`--debug` included), not in a log record, not in a file legos writes. Each case
greps everything a run produced for the password."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import traceback
from pathlib import Path

import pytest

from legos.errors import LegosError, StoreUnavailableError

LEGOS = str(Path(sys.executable).parent / "legos")
SECRET = "Pa55-w0rd/with@odd:chars"  # '@', '/' and ':' would cut a naive URI parser short
QUOTED = "Pa55-w0rd%2Fwith%40odd%3Achars"
UNREACHABLE = "127.0.0.1:1"  # nothing listens on port 1: refused at once


def _everything(exc: BaseException) -> str:
    """All an exception carries that a person or a log could see, causes included."""
    parts = [str(exc), repr(exc), "".join(traceback.format_exception(exc))]
    seen = exc.__cause__ or exc.__context__
    while seen is not None:
        parts += [str(seen), repr(seen)]
        seen = seen.__cause__ or seen.__context__
    return "\n".join(parts)


def _assert_hidden(text: str, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in text, f"the password shows in:\n{text}"


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items()
            if k not in ("LEGOS_STORE", "LEGOS_ROOT", "LEGOS_NEO4J_PASSWORD", "LEGOS_NEO4J_USER")}
    full.update(env)
    return subprocess.run([LEGOS, *args], env=full, capture_output=True, text=True, timeout=120)


BAD_LOCATIONS = [
    pytest.param(f"bolt://neo4j:{SECRET}@{UNREACHABLE}", id="unreachable-uri-with-password"),
    pytest.param(f"neo4j://neo4j:{QUOTED}@{UNREACHABLE}/?policy=x", id="routing-quoted"),
    pytest.param(f"bolt://neo4j:{SECRET}@[bad", id="malformed-uri-with-password"),
    pytest.param(f"bolt+s://neo4j:{SECRET}@{UNREACHABLE}", id="tls-uri-with-password"),
]


@pytest.mark.parametrize("location", BAD_LOCATIONS)
def test_a_failing_uri_with_a_password_never_shows_it(location, caplog, monkeypatch):
    from legos.store import open_store

    monkeypatch.delenv("LEGOS_NEO4J_CA", raising=False)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="neo4j")
    with pytest.raises(LegosError) as failed:
        open_store(location)
    assert isinstance(failed.value, StoreUnavailableError)
    _assert_hidden(_everything(failed.value) + caplog.text, SECRET, QUOTED)
    assert "neo4j@" in str(failed.value) or "bolt://" in str(failed.value)  # still names where


def test_a_password_from_the_environment_never_shows_on_failure(caplog, monkeypatch):
    from legos.store import open_store

    monkeypatch.setenv("LEGOS_NEO4J_PASSWORD", SECRET)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="neo4j")
    with pytest.raises(StoreUnavailableError) as failed:
        open_store(f"bolt://{UNREACHABLE}")
    _assert_hidden(_everything(failed.value) + caplog.text, SECRET, QUOTED)


@pytest.mark.parametrize("debug", [[], ["--debug"]], ids=["plain", "debug"])
def test_the_cli_never_prints_a_password_of_a_failing_store(debug, tmp_path):
    outputs = []
    for location in (f"bolt://neo4j:{SECRET}@{UNREACHABLE}", f"bolt://neo4j:{SECRET}@[bad"):
        done = _cli("info", *debug, "--store", location, env={})
        assert done.returncode != 0
        outputs.append(done.stdout + done.stderr)
        done = _cli("ls", *debug, env={"LEGOS_STORE": location})
        assert done.returncode != 0
        outputs.append(done.stdout + done.stderr)
    done = _cli("info", *debug, env={"LEGOS_STORE": f"bolt://{UNREACHABLE}",
                                     "LEGOS_NEO4J_PASSWORD": SECRET})
    assert done.returncode != 0
    outputs.append(done.stdout + done.stderr)
    text = "\n".join(outputs)
    _assert_hidden(text, SECRET, QUOTED)
    if not debug:  # one line, naming the store without the password
        assert "legos: error: " in text and "Traceback" not in text
        assert f"bolt://neo4j@{UNREACHABLE}" in text


# -- against a server with authentication on ----------------------------------------------


def _password() -> str:
    password = os.environ.get("LEGOS_NEO4J_PASSWORD")
    if not password:
        pytest.skip("this Neo4j runs without authentication (LEGOS_NEO4J_PASSWORD is not set)")
    return password


def _with_userinfo(uri: str, user: str, password: str) -> str:
    from urllib.parse import quote

    scheme, _, host = uri.partition("://")
    return f"{scheme}://{quote(user, safe='')}:{quote(password, safe='')}@{host}"


@pytest.mark.neo4j
def test_a_session_on_an_authenticated_server_never_shows_the_password(
        neo4j_uri, tmp_path, make_file, caplog):
    from legos.store import open_store

    password = _password()
    user = os.environ.get("LEGOS_NEO4J_USER", "neo4j")
    with open_store(neo4j_uri, schema=False) as store:
        store.wipe()
    env = {"LEGOS_STORE": neo4j_uri, "LEGOS_USER": "ana", "LEGOS_NEO4J_USER": user,
           "LEGOS_NEO4J_PASSWORD": password}
    root = tmp_path / "publish"
    texture = make_file("albedo.png", b"pixels")
    outputs = []

    def ok(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        done = _cli(*args, env={**env, **extra})
        outputs.append(done.stdout + done.stderr)
        assert done.returncode == 0, done.stdout + done.stderr
        return done

    def fails(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        done = _cli(*args, env={**env, **extra})
        outputs.append(done.stdout + done.stderr)
        assert done.returncode == 1, done.stdout + done.stderr
        return done

    embedded = _with_userinfo(neo4j_uri, user, password)
    refused = fails("init", LEGOS_STORE=embedded, LEGOS_NEO4J_PASSWORD="")  # needs --root
    assert "needs a publish root" in refused.stderr
    ok("init", "--root", str(root), "--debug")
    ok("publish", "demo/tex/albedo", "--kind", "TextureAsset", "--file", str(texture), "--debug")
    ok("ls", "demo", "--json")
    ok("show", "legos:/demo/tex/albedo?version=1", "--debug")
    info = json.loads(ok("info", "--json").stdout)
    # the password in the URI instead of the environment: it works, and is shown without it
    shown = json.loads(ok("info", "--json", LEGOS_STORE=embedded, LEGOS_NEO4J_PASSWORD="").stdout)
    assert shown["store"] == f"{neo4j_uri.partition('://')[0]}://{user}@" \
                             f"{neo4j_uri.partition('://')[2]}"
    ok("ls", "--debug", LEGOS_STORE=embedded, LEGOS_NEO4J_PASSWORD="")
    # a wrong password, in the environment or the URI, and the wrong user
    wrong = "not-" + password
    for extra in ({"LEGOS_NEO4J_PASSWORD": wrong},
                  {"LEGOS_STORE": _with_userinfo(neo4j_uri, user, wrong),
                   "LEGOS_NEO4J_PASSWORD": ""}):
        refused = fails("ls", **extra)
        assert "refused the login" in refused.stderr
        fails("ls", "--debug", **extra)
    fails("show", "legos:/demo/tex/nothing", "--debug")  # an ordinary error, with a traceback
    text = "\n".join(outputs)
    _assert_hidden(text, password, wrong)
    assert info["store"] == neo4j_uri

    # the API, with its log records at DEBUG (the driver's own included)
    import legos

    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="neo4j")
    caplog.set_level(logging.DEBUG, logger="legos")
    with legos.open(embedded) as lg:
        assert [v.uri for v in lg.history("demo/tex/albedo")] == ["legos:/demo/tex/albedo?version=1"]
        texts = [repr(lg), repr(lg.store), lg.store.location, str(lg.info())]
    for location in (_with_userinfo(neo4j_uri, user, wrong),):
        with pytest.raises(StoreUnavailableError) as failed:
            legos.open(location)
        texts.append(_everything(failed.value))
    texts.append(caplog.text)
    _assert_hidden("\n".join(texts), password, wrong)
    # nor in what legos wrote under the root (its marker names the store)
    for path in root.rglob("*"):
        if path.is_file() and path.stat().st_size < 1 << 20:
            _assert_hidden(path.read_text(errors="replace"), password)
