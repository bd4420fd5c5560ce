"""Test fixtures: one behaviour suite over both backends, and the real third-party assets.

Neo4j comes from, in order: $LEGOS_TEST_NEO4J_URI (a server of yours: it must be empty, and
is wiped between tests), testcontainers (where a Docker engine runs), or a Neo4j 5.26 server
started from Maven Central jars by scripts/neo4j_server.py, with authentication on: a password
made for the session reaches every client through LEGOS_NEO4J_USER / LEGOS_NEO4J_PASSWORD. In CI
(CI=true) or with LEGOS_REQUIRE_NEO4J=1, a Neo4j that cannot be had fails the run instead of
skipping.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_ASSETS = Path(os.environ.get("LEGOS_SHARED_ASSETS", REPO.parent / "shared" / "assets"))


def _required(var: str) -> bool:
    return os.environ.get("CI", "").lower() == "true" or os.environ.get(var) == "1"


def neo4j_required() -> bool:
    return _required("LEGOS_REQUIRE_NEO4J")


def _load_server_module():
    spec = importlib.util.spec_from_file_location("neo4j_server", REPO / "scripts" / "neo4j_server.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["neo4j_server"] = module
    spec.loader.exec_module(module)
    return module


def _docker_available() -> bool:
    return Path("/var/run/docker.sock").exists() and importlib.util.find_spec("testcontainers") is not None


@pytest.fixture(scope="session")
def neo4j_uri() -> Iterator[str]:
    explicit = os.environ.get("LEGOS_TEST_NEO4J_URI")
    if explicit:
        from legos.store import open_store

        with open_store(explicit, schema=False) as store:
            if store.read(lambda tx: tx.run("MATCH (n) WHERE NOT n:Meta RETURN count(n) AS n"))[0]["n"]:
                pytest.fail(f"LEGOS_TEST_NEO4J_URI={explicit} holds data; the tests wipe their "
                            "database, so point them at an empty one")
        yield explicit
        with open_store(explicit, schema=False) as store:
            store.wipe()  # leave it as empty as we found it
        return
    if _docker_available():
        from testcontainers.neo4j import Neo4jContainer

        with Neo4jContainer("neo4j:5.26-community") as container:
            os.environ.setdefault("LEGOS_NEO4J_PASSWORD", container.password)
            yield container.get_connection_url()
        return
    # Authentication on, as in a studio: a password made for this session reaches every
    # client (in-process and subprocesses) the way users give it, through the environment.
    password = secrets.token_urlsafe(18)
    try:
        server_module = _load_server_module()
        server = server_module.Neo4jServer(password=password)
        server.start()
    except Exception as exc:  # no Java, no Maven Central, ...
        if neo4j_required():
            pytest.fail(f"Neo4j is required here (CI) but could not be started: {exc}")
        pytest.skip(f"no Neo4j: {exc}")
    saved = {k: os.environ.get(k) for k in ("LEGOS_NEO4J_USER", "LEGOS_NEO4J_PASSWORD")}
    os.environ.update(LEGOS_NEO4J_USER=server.auth[0], LEGOS_NEO4J_PASSWORD=password)
    try:
        yield server.uri
    finally:
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


# the mark is on the parameter, so it is there at collection: `-m "not neo4j"` deselects
# every Neo4j variant (a mark applied when the fixture runs comes too late for -m)
BACKENDS = ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test asking for the Neo4j server itself is a Neo4j test, marked or not."""
    for item in items:
        if "neo4j_uri" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.neo4j)


@pytest.fixture
def store_location(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    if backend == "embedded":
        yield str(tmp_path / "store")
        return
    uri = request.getfixturevalue("neo4j_uri")
    from legos.store import open_store

    with open_store(uri, schema=False) as store:
        store.wipe()
    yield uri


@pytest.fixture
def lg(store_location: str, tmp_path: Path):
    import legos

    handle = legos.open(store_location, create=True)
    handle.configure(root=tmp_path / "publish")
    yield handle
    handle.close()


BLENDER_PYTHON = REPO / ".venv-blender" / "bin" / "python"


@pytest.fixture
def blender_python() -> Path:
    """The Python of the bpy environment (scripts/setup.sh --with-blender); required in CI."""
    if not BLENDER_PYTHON.is_file():
        if os.environ.get("CI", "").lower() == "true" or \
                os.environ.get("LEGOS_REQUIRE_NEO4J") == "1":
            pytest.fail(f"{BLENDER_PYTHON} is required here (CI): run "
                        "scripts/setup.sh --with-blender")
        pytest.skip(f"no {BLENDER_PYTHON}: run scripts/setup.sh --with-blender")
    return BLENDER_PYTHON


@pytest.fixture
def modules_asked(monkeypatch) -> list[str]:
    """The names of the query modules run, in order (each is a round trip to the store)."""
    from legos import cypher

    asked: list[str] = []
    load = cypher.load

    def recording(name: str, dialect: str):
        asked.append(name)
        return load(name, dialect)
    monkeypatch.setattr(cypher, "load", recording)
    return asked


@pytest.fixture
def shared_assets() -> Path:
    if not SHARED_ASSETS.is_dir():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the shared assets are required in CI but {SHARED_ASSETS} is missing")
        pytest.skip(f"third-party assets not found at {SHARED_ASSETS} (set LEGOS_SHARED_ASSETS)")
    return SHARED_ASSETS


@pytest.fixture
def make_file(tmp_path: Path):
    """Write a small file under tmp_path/src and return its path."""

    def make(name: str, content: bytes | str = b"data") -> Path:
        path = tmp_path / "src" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return path

    return make


@pytest.fixture
def run(store_location, tmp_path, monkeypatch):
    """Run `legos ...` in-process against an initialised store; asserts success unless ok=False."""
    from click.testing import CliRunner

    from legos.cli.main import cli

    monkeypatch.setenv("LEGOS_STORE", store_location)
    monkeypatch.setenv("LEGOS_USER", "ana")
    monkeypatch.delenv("LEGOS_ROOT", raising=False)
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True):
        result = runner.invoke(cli, list(args), catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output + result.stderr
        return result

    invoke("init", "--root", str(tmp_path / "publish"))
    return invoke
