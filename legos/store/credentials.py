"""Neo4j logins and TLS trust: where they come from, and how a location is shown without them.

A password comes from `LEGOS_NEO4J_PASSWORD` (or `bolt://user:password@host` in the URI, for
that one connection) and goes to the driver only: every message, `legos info`, the publish
root's marker and a work area's environment see the location without it (`bolt://user@host`).
`LEGOS_NEO4J_CA` names a CA file that a `bolt+s://` / `neo4j+s://` server's certificate must
chain to (a studio's own CA, or a self-signed server certificate); `+ssc` trusts any one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from legos.errors import ConfigError

REDACTED = "***"


@dataclass(frozen=True, repr=False)
class Target:
    """What the driver is given, and what people are shown."""

    uri: str                      # for the driver: no user info, scheme as given (or TLS moved
                                  # into `config` when a CA file is named)
    shown: str                    # for people: the URI with the user, never the password
    user: str | None = None
    password: str | None = None
    config: dict[str, Any] = field(default_factory=dict)
    hint: str = ""                # for a connection that fails: what to check (TLS trust)

    def __repr__(self) -> str:  # a repr (in a traceback, a debugger) never shows the password
        return f"Target({self.shown!r})"

    def redact(self, text: str) -> str:
        return redact(text, self.password)


def redact(text: str, secret: str | None) -> str:
    """`text` with `secret` (also percent-encoded, as a URI would carry it) replaced."""
    if not secret:
        return text
    from urllib.parse import quote

    for form in {secret, quote(secret, safe=""), quote(secret)}:
        text = text.replace(form, REDACTED)
    return text


def split_userinfo(uri: str) -> tuple[str, str | None, str | None]:
    """(`uri` without `user:password@`, user, password). Never raises: a malformed URI is left
    for the driver to refuse, but without its user info. The last '@' ends the user info, so a
    password holding '@' or '/' is still taken out whole."""
    scheme, sep, rest = uri.partition("://")
    if not sep or "@" not in rest:
        return uri, None, None
    userinfo, _, host = rest.rpartition("@")
    user, colon, password = userinfo.partition(":")
    return f"{scheme}://{host}", unquote(user) or None, unquote(password) if colon else None


def target(location: str, user: str | None = None, password: str | None = None) -> Target:
    """The driver's URI, login and TLS settings for `location`: explicit arguments first, then
    the URI's user info, then LEGOS_NEO4J_USER / LEGOS_NEO4J_PASSWORD."""
    bare, uri_user, uri_password = split_userinfo(location)
    user = user or uri_user or os.environ.get("LEGOS_NEO4J_USER") or None
    password = password or uri_password or os.environ.get("LEGOS_NEO4J_PASSWORD") or None
    scheme, _, host = bare.partition("://")
    shown = f"{scheme}://{user}@{host}" if uri_user else bare
    config: dict[str, Any] = {}
    hint = ""
    ca = os.environ.get("LEGOS_NEO4J_CA")
    if scheme in ("bolt+s", "neo4j+s"):
        if ca:
            config = _trust(ca)
            bare = f"{scheme[:-2]}://{host}"  # the driver takes a CA only with the plain scheme
        hint = (f"; if its certificate is self-signed or signed by your own CA, set "
                f"LEGOS_NEO4J_CA to that CA's file (PEM){' (now ' + ca + ')' if ca else ''}, "
                f"or use {scheme[:-2]}+ssc:// to trust any certificate")
    return Target(bare, shown, user, password, config, hint)


def _trust(ca: str) -> dict[str, Any]:
    import neo4j

    path = Path(ca).expanduser()
    if not path.is_file():
        raise ConfigError(f"LEGOS_NEO4J_CA={ca} is not a file: name the CA certificate (PEM) "
                          "that the Neo4j server's certificate is signed with")
    return {"encrypted": True, "trusted_certificates": neo4j.TrustCustomCAs(str(path))}
