"""`bolt+s://` to a Neo4j server with a self-signed certificate made here: trusted through
LEGOS_NEO4J_CA, or with `bolt+ssc://`; refused, with the fix named, otherwise. One extra server
start (about 30 s), so slow."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest

from legos.errors import ConfigError, StoreUnavailableError

pytestmark = [pytest.mark.slow, pytest.mark.neo4j]


def _self_signed(folder: Path) -> Path:
    """private.key and public.crt for 127.0.0.1 (PEM, the key in PKCS#8): its own CA."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    folder.mkdir()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", str(folder / "private.key"), "-out", str(folder / "public.crt"),
                    "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    for sub in ("trusted", "revoked"):
        (folder / sub).mkdir()
    return folder / "public.crt"


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    from conftest import _load_server_module, neo4j_required

    certs = tmp_path_factory.mktemp("tls") / "bolt"
    ca = _self_signed(certs)
    password = secrets.token_urlsafe(18)
    module = _load_server_module()
    # Neo4j's own lock after 3 wrong logins stays on here: a locked login is an error too
    server = module.Neo4jServer(password=password, tls_dir=certs, extra_config={
        "dbms.security.auth_max_failed_attempts": "3"})
    try:
        server.start()
    except Exception as exc:
        if neo4j_required():
            pytest.fail(f"a Neo4j server with TLS could not be started: {exc}")
        pytest.skip(f"no Neo4j: {exc}")
    try:
        yield server, ca, password
    finally:
        server.stop()


def test_bolt_s_with_a_self_signed_certificate(tls_server, tmp_path, monkeypatch, make_file):
    import legos

    server, ca, password = tls_server
    assert server.uri.startswith("bolt+s://")
    host = server.uri.partition("://")[2]
    monkeypatch.setenv("LEGOS_NEO4J_USER", "neo4j")
    monkeypatch.setenv("LEGOS_NEO4J_PASSWORD", password)

    # the system's CAs do not know this certificate: refused, with both fixes named
    monkeypatch.delenv("LEGOS_NEO4J_CA", raising=False)
    with pytest.raises(StoreUnavailableError, match=r"LEGOS_NEO4J_CA.*bolt\+ssc://"):
        legos.open(server.uri, create=True)
    # Bolt without TLS is refused by this server
    with pytest.raises(StoreUnavailableError):
        legos.open(f"bolt://{host}", create=True)

    # trusted through the CA file: a publish and a read over TLS
    monkeypatch.setenv("LEGOS_NEO4J_CA", str(ca))
    with legos.open(server.uri, create=True) as lg:
        lg.configure(root=tmp_path / "publish")
        made = lg.publish("demo", "tex/albedo", kind="TextureAsset", files=[make_file("a.png")])
        assert made.uri == "legos:/demo/tex/albedo?version=1"
        assert lg.info().store == server.uri
    # a CA file that is not there is named
    monkeypatch.setenv("LEGOS_NEO4J_CA", str(tmp_path / "missing.pem"))
    with pytest.raises(ConfigError, match="LEGOS_NEO4J_CA"):
        legos.open(server.uri)

    # +ssc: encrypted, any certificate trusted (no CA file needed)
    monkeypatch.delenv("LEGOS_NEO4J_CA")
    with legos.open(f"bolt+ssc://{host}") as lg:
        assert [v.uri for v in lg.history("demo/tex/albedo")] == [made.uri]


def test_wrong_logins_and_a_locked_user_are_clear_errors(tls_server, monkeypatch):
    import legos

    server, ca, password = tls_server
    monkeypatch.setenv("LEGOS_NEO4J_CA", str(ca))
    monkeypatch.setenv("LEGOS_NEO4J_PASSWORD", "wrong-" + password)
    messages = []
    for _attempt in range(5):  # the server locks the user after the third
        with pytest.raises(StoreUnavailableError) as refused:
            legos.open(server.uri)
        messages.append(str(refused.value))
    text = "\n".join(messages)
    assert "refused the login" in text
    assert password not in text
    assert os.environ["LEGOS_NEO4J_PASSWORD"] not in text
