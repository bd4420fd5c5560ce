"""Throw-away Neo4j 5.26 LTS Community server for the test suite, without Docker.

The server jars come from Maven Central through ``mvn`` (the only channel the
project's machines have to Neo4j's code) and are cached in one ``lib/`` folder:
``$LEGOS_NEO4J_CACHE`` or ``~/.cache/legos/neo4j-<version>``.  Each server runs
from a fresh temporary home directory, listening on 127.0.0.1 only, on a free
port, and is removed again on stop.  Authentication is off unless a
``password`` is given (the test suite gives a generated one): then the user
``neo4j`` has that password before ``start()`` returns.

Library use (e.g. from ``tests/conftest.py``)::

    from neo4j_server import Neo4jServer

    with Neo4jServer(password="a-long-secret") as server:
        driver = neo4j.GraphDatabase.driver(server.uri, auth=server.auth)

Command line::

    python scripts/neo4j_server.py fetch   # download the jars only
    python scripts/neo4j_server.py run     # start, print the bolt URI; Ctrl-C stops

Needs: Java 17 or 21 (``$JAVA_HOME/bin/java`` or ``java`` on PATH), ``mvn`` for
the first fetch, and optionally the ``neo4j`` Python driver, which is used to
check that the server really answers queries before ``start()`` returns.

The first server to stop cleanly leaves a JVM class-data-sharing archive
(``cds-*.jsa``, ~100 MB) in the cache dir that later starts use; set
``LEGOS_NEO4J_CDS=0`` to turn that off.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

# Newest 5.26.x (LTS) on Maven Central when this was written; pinned so every
# machine runs the same server.
NEO4J_VERSION = "5.26.30"

# Pinned so the resolution does not depend on Maven's built-in default (2.8).
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

DEFAULT_STARTUP_TIMEOUT = 120.0
DEFAULT_STOP_TIMEOUT = 30.0

_MARKER_NAME = ".fetch-complete"
_HOME_PREFIX = "legos-neo4j-"
_OWNER_FILE = "owner.pid"
_LOG_TAIL_LINES = 60

# The flags Neo4j's own launcher passes (from the stock neo4j.conf
# ``server.jvm.additional`` list), minus profiling-only ones and
# -XX:+AlwaysPreTouch, which only slows start-up.  Without the --add-opens
# flags the page cache falls back to a slower mode and every transaction-log
# call to fallocate/fadvise fails with "Incorrect file descriptor".
_JVM_FLAGS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dlog4j.layout.jsonTemplate.maxStringLength=32768",
]

_MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"

# The one user of a Community server, and the password it starts with (which must be changed
# before it may run anything else).
_USER = "neo4j"
_INITIAL_PASSWORD = "neo4j"


class Neo4jServerError(RuntimeError):
    """Fetching or starting the server failed; the message carries the log tail."""


# --------------------------------------------------------------------------- fetch


def cache_dir(version: str = NEO4J_VERSION) -> Path:
    """Folder holding the pom, the Maven log and ``lib/`` for ``version``."""
    env = os.environ.get("LEGOS_NEO4J_CACHE")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "legos" / f"neo4j-{version}"


def _pom_xml(version: str) -> str:
    # A throw-away project whose only dependency is the server; copying its
    # runtime dependencies yields the same jar set as the distribution's lib/.
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 http://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>legos.test</groupId>
  <artifactId>neo4j-server-jars</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.neo4j</groupId>
      <artifactId>neo4j</artifactId>
      <version>{version}</version>
    </dependency>
  </dependencies>
</project>
"""


def _tail(path: Path, lines: int = _LOG_TAIL_LINES) -> str:
    try:
        with path.open("r", encoding="utf-8", errors="replace") as fh:
            return "".join(deque(fh, maxlen=lines))
    except OSError:
        return ""


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    # pytest-xdist workers may all ask for the jars at once: one fetches, the
    # others wait and then find the marker.
    try:
        import fcntl
    except ImportError:  # not POSIX: no locking, still correct for one process
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _lib_complete(base: Path, version: str) -> bool:
    marker = base / _MARKER_NAME
    lib = base / "lib"
    return (
        marker.is_file()
        and marker.read_text(encoding="utf-8").strip() == version
        and (lib / f"neo4j-{version}.jar").is_file()
    )


def ensure_jars(version: str = NEO4J_VERSION, *, quiet: bool = True) -> Path:
    """Return the folder with every server jar, fetching them with Maven if needed.

    The marker file is written only after Maven succeeded, so an interrupted
    fetch is redone from scratch next time.
    """
    base = cache_dir(version)
    lib = base / "lib"
    if _lib_complete(base, version):
        return lib
    with _file_lock(base / ".lock"):
        if _lib_complete(base, version):  # another process fetched meanwhile
            return lib
        mvn = shutil.which("mvn")
        if mvn is None:
            raise Neo4jServerError(
                "mvn not found on PATH; it is needed to fetch the Neo4j jars"
            )
        (base / _MARKER_NAME).unlink(missing_ok=True)
        shutil.rmtree(lib, ignore_errors=True)
        for stale in base.glob("cds-*"):  # class archives match one jar set only
            stale.unlink(missing_ok=True)
        pom = base / "pom.xml"
        pom.write_text(_pom_xml(version), encoding="utf-8")
        log = base / "maven.log"
        cmd = [
            mvn,
            "-B",  # batch mode: no progress bars, no prompts
            "-Dstyle.color=never",
            "-f",
            str(pom),
            f"{DEPENDENCY_PLUGIN}:copy-dependencies",
            f"-DoutputDirectory={lib}",
            "-DincludeScope=runtime",
        ]
        if not quiet:
            print(
                f"fetching Neo4j {version} jars into {lib} (log: {log})",
                file=sys.stderr,
            )
        with log.open("w", encoding="utf-8") as fh:
            fh.write("$ " + " ".join(cmd) + "\n")
            fh.flush()
            rc = subprocess.run(
                cmd,
                cwd=base,
                stdout=fh,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            ).returncode
        if rc != 0 or not (lib / f"neo4j-{version}.jar").is_file():
            raise Neo4jServerError(
                f"fetching Neo4j {version} with Maven failed (exit {rc}); "
                f"tail of {log}:\n{_tail(log)}"
            )
        (base / _MARKER_NAME).write_text(version + "\n", encoding="utf-8")
    return lib


# --------------------------------------------------------------------------- run


def _free_port() -> int:
    # The OS hands out an unused port; there is a small race until Neo4j binds
    # it, which start() covers by retrying on "Address already in use".
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    found = shutil.which("java")
    if found is None:
        raise Neo4jServerError(
            "java not found (set JAVA_HOME or put java on PATH); "
            "Neo4j 5.26 needs Java 17 or 21"
        )
    return found


def _cds_archive(lib: Path, java: str) -> Path:
    """Where the class-data-sharing archive for this JVM build and ``lib`` lives.

    An archive only fits the exact JVM build and class path it was made with
    (a mismatch is not fatal: the JVM warns and runs without it), so its name
    carries a hash of the java binary.
    """
    binary = Path(java).resolve()
    st = binary.stat()
    key = hashlib.sha1(f"{binary}:{st.st_size}:{st.st_mtime_ns}".encode()).hexdigest()[
        :12
    ]
    return lib.parent / f"cds-{key}.jsa"


def _sweep_cds_leftovers(archive: Path) -> None:
    # A dump whose Python parent died is never renamed into place; at ~100 MB
    # each, remove those whose writer process is gone.
    for tmp in archive.parent.glob(f"{archive.name}.*.tmp"):
        try:
            pid = int(tmp.name[len(archive.name) + 1 :].split("-", 1)[0])
            os.kill(pid, 0)
        except ProcessLookupError:
            tmp.unlink(missing_ok=True)
        except (ValueError, OSError):
            pass


def _sweep_orphan_homes() -> None:
    # A Python process killed outright never runs stop(): its JVM goes (parent
    # death signal) but its home stays.  Remove homes whose owner is gone.
    for home in Path(tempfile.gettempdir()).glob(_HOME_PREFIX + "*"):
        try:
            os.kill(int((home / _OWNER_FILE).read_text(encoding="utf-8")), 0)
        except ProcessLookupError:
            shutil.rmtree(home, ignore_errors=True)
        except (ValueError, OSError):
            pass  # no owner file yet, or not ours to judge


def _set_parent_death_signal() -> None:
    # Linux only: if the Python process dies without calling stop() (e.g. CI
    # kills pytest), the kernel sends the JVM SIGTERM so no server is left over.
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # 1 == PR_SET_PDEATHSIG
    except Exception:
        pass


class Neo4jServer:
    """One Neo4j Community server in a temporary home; use as a context manager.

    After ``start()``: ``uri`` is ``bolt://127.0.0.1:PORT``, ``auth`` the
    (user, password) to log in with (None when authentication is off),
    ``bolt_port``, ``http_port`` (None unless ``http=True``), ``home`` and
    ``log_path`` are set.  With ``tls_dir`` the URI is ``bolt+s://``.
    ``stop()`` kills the JVM and deletes the home.
    """

    def __init__(
        self,
        *,
        version: str = NEO4J_VERSION,
        lib_dir: Path | None = None,
        heap: str = "512m",
        pagecache: str = "128m",
        http: bool = False,
        startup_timeout: float = DEFAULT_STARTUP_TIMEOUT,
        extra_config: dict[str, str] | None = None,
        jvm_args: list[str] | None = None,
        cds: bool | None = None,
        password: str | None = None,
        tls_dir: Path | None = None,
    ) -> None:
        self.version = version
        # Neo4j refuses passwords under 8 characters (dbms.security.auth_minimum_password_length)
        if password is not None and len(password) < 8:
            raise Neo4jServerError("the Neo4j password needs at least 8 characters")
        self.password = password
        # a folder with private.key and public.crt (PEM): Bolt then takes TLS connections only
        self.tls_dir = tls_dir
        self.lib_dir = lib_dir
        self.heap = heap
        self.pagecache = pagecache
        self.http = http
        self.startup_timeout = startup_timeout
        self.extra_config = dict(extra_config or {})
        self.jvm_args = list(jvm_args or [])
        if cds is None:
            cds = os.environ.get("LEGOS_NEO4J_CDS", "1") != "0"
        self.cds = cds
        self.bolt_port: int | None = None
        self.http_port: int | None = None
        self.home: Path | None = None
        self.log_path: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self._log_fh: BinaryIO | None = None
        self._ready = False
        self._password_set = False
        # (temporary, final) paths of the class-data-sharing archive this JVM
        # writes when it exits, if there was none yet.
        self._cds_dump: tuple[Path, Path] | None = None

    # -- public API ----------------------------------------------------------

    @property
    def uri(self) -> str:
        if self.bolt_port is None:
            raise Neo4jServerError("server not started")
        return f"bolt{'+s' if self.tls_dir else ''}://127.0.0.1:{self.bolt_port}"

    @property
    def auth(self) -> tuple[str, str] | None:
        """(user, password) to log in with, or None when authentication is off."""
        return None if self.password is None else (_USER, self.password)

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> Neo4jServer:
        """Start the server and return once a query over bolt succeeds."""
        if self.is_running():
            return self
        lib = self.lib_dir or ensure_jars(self.version)
        attempts = 3
        for attempt in range(1, attempts + 1):
            try:
                self._launch(lib)
                self._wait_ready()
            except Neo4jServerError as exc:
                self.stop()
                if "Address already in use" not in str(exc) or attempt == attempts:
                    raise
                continue  # another process took the port we picked: pick again
            except BaseException:  # incl. Ctrl-C while waiting: leave nothing behind
                self.stop()
                raise
            atexit.register(self.stop)
            return self
        raise AssertionError("unreachable")

    def stop(self, timeout: float = DEFAULT_STOP_TIMEOUT) -> None:
        """Stop the JVM (SIGTERM, SIGKILL after ``timeout``) and remove the home."""
        atexit.unregister(self.stop)
        proc, self.process = self.process, None
        graceful = False
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                # Writing the class archive at exit takes a few seconds more.
                proc.wait(timeout * 2 if self._cds_dump else timeout)
                graceful = True
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self._cds_dump is not None:
            tmp, final = self._cds_dump
            self._cds_dump = None
            # Keep only an archive from a server that got fully up and exited
            # cleanly; a failed start would archive too few classes.
            if graceful and self._ready and tmp.is_file() and tmp.stat().st_size > 0:
                with contextlib.suppress(OSError):
                    os.replace(tmp, final)  # atomic: parallel workers may race here
            with contextlib.suppress(OSError):
                tmp.unlink()
        self._ready = False
        if self._log_fh is not None:
            self._log_fh.close()
            self._log_fh = None
        if self.home is not None:
            shutil.rmtree(self.home, ignore_errors=True)
            self.home = None
        self.bolt_port = self.http_port = None

    def log_tail(self, lines: int = _LOG_TAIL_LINES) -> str:
        """Last lines of the console log and ``logs/debug.log``, for error messages."""
        parts = []
        if self.log_path is not None:
            parts.append(f"--- {self.log_path} ---\n{_tail(self.log_path, lines)}")
        if self.home is not None:
            debug = self.home / "logs" / "debug.log"
            if debug.is_file():
                parts.append(f"--- {debug} ---\n{_tail(debug, lines)}")
        return "\n".join(parts)

    def __enter__(self) -> Neo4jServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- internals -----------------------------------------------------------

    def _config(self, home: Path) -> dict[str, str]:
        conf = {
            "dbms.security.auth_enabled": "false" if self.password is None else "true",
            # Tests try wrong passwords on purpose; the default lock after 3 (5 s) would
            # refuse the next test's correct login.
            "dbms.security.auth_max_failed_attempts": "0",
            "server.default_listen_address": "127.0.0.1",
            "server.default_advertised_address": "127.0.0.1",
            "server.bolt.enabled": "true",
            "server.bolt.listen_address": f"127.0.0.1:{self.bolt_port}",
            "server.bolt.advertised_address": f"127.0.0.1:{self.bolt_port}",
            "server.bolt.tls_level": "DISABLED",
            "server.http.enabled": "true" if self.http else "false",
            "server.https.enabled": "false",
            # The JVM heap itself is set by -Xms/-Xmx below (these keys are only
            # read by Neo4j's launcher script); kept here so both agree.
            "server.memory.heap.initial_size": self.heap,
            "server.memory.heap.max_size": self.heap,
            "server.memory.pagecache.size": self.pagecache,
            "server.directories.data": str(home / "data"),
            "server.directories.logs": str(home / "logs"),
            "server.directories.run": str(home / "run"),
            "server.directories.import": str(home / "import"),
            "dbms.usage_report.enabled": "false",
            # Throw-away data: don't preallocate or keep transaction logs, and
            # don't write a query log.
            "db.tx_log.preallocate": "false",
            "db.tx_log.rotation.retention_policy": "false",
            "db.logs.query.enabled": "OFF",
            # Netty's graceful shutdown waits 2 x 5 s quiet period by default;
            # that was most of the stop time.
            "internal.dbms.bolt.netty_server_shutdown_quiet_period": "0",
            "internal.dbms.bolt.netty_server_shutdown_timeout": "2s",
        }
        if self.tls_dir is not None:
            conf.update({
                "server.bolt.tls_level": "REQUIRED",
                "dbms.ssl.policy.bolt.enabled": "true",
                "dbms.ssl.policy.bolt.base_directory": str(self.tls_dir),
                "dbms.ssl.policy.bolt.private_key": "private.key",
                "dbms.ssl.policy.bolt.public_certificate": "public.crt",
                "dbms.ssl.policy.bolt.client_auth": "NONE",
            })
        if self.http:
            conf["server.http.listen_address"] = f"127.0.0.1:{self.http_port}"
            conf["server.http.advertised_address"] = f"127.0.0.1:{self.http_port}"
        conf.update(self.extra_config)
        return conf

    def _launch(self, lib: Path) -> None:
        _sweep_orphan_homes()
        self.home = Path(tempfile.mkdtemp(prefix=_HOME_PREFIX))
        self._password_set = False  # a fresh home: the user has the initial password
        (self.home / _OWNER_FILE).write_text(str(os.getpid()), encoding="utf-8")
        conf_dir = self.home / "conf"
        conf_dir.mkdir()
        self.bolt_port = _free_port()
        self.http_port = _free_port() if self.http else None
        conf_text = "".join(f"{k}={v}\n" for k, v in self._config(self.home).items())
        (conf_dir / "neo4j.conf").write_text(conf_text, encoding="utf-8")
        java = _java()
        cmd = [
            java,
            f"-Xms{self.heap}",
            f"-Xmx{self.heap}",
            *_JVM_FLAGS,
            *self._cds_flags(lib, java),
            *self.jvm_args,
            "-cp",
            f"{lib}{os.sep}*",  # the JVM expands the wildcard itself
            _MAIN_CLASS,
            f"--home-dir={self.home}",
            f"--config-dir={conf_dir}",
            "--console-mode",
        ]
        # Don't let a developer's own Neo4j install leak in.
        env = {
            k: v for k, v in os.environ.items() if k not in ("NEO4J_HOME", "NEO4J_CONF")
        }
        self.log_path = self.home / "console.log"
        self._log_fh = self.log_path.open("wb")
        self._log_fh.write(("$ " + " ".join(cmd) + "\n").encode())
        self._log_fh.flush()
        on_main_thread = threading.current_thread() is threading.main_thread()
        self.process = subprocess.Popen(
            cmd,
            cwd=self.home,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log_fh,
            stderr=subprocess.STDOUT,
            # Own session: a Ctrl-C in the terminal reaches Python, which then
            # stops the server in order, rather than hitting the JVM directly.
            start_new_session=True,
            # PDEATHSIG fires when the *thread* that forked exits, so only use
            # it from the main thread.
            preexec_fn=_set_parent_death_signal
            if on_main_thread and sys.platform == "linux"
            else None,
        )

    def _cds_flags(self, lib: Path, java: str) -> list[str]:
        # Class-data sharing: loading Neo4j's ~200 jars is much of its start-up
        # time; a dynamic CDS archive (JDK 13+) cut a warm start from ~9 s to
        # ~5 s here.  The first server writes the archive when it exits, later
        # ones map it.
        if not self.cds:
            return []
        try:
            archive = _cds_archive(lib, java)
        except OSError:
            return []
        _sweep_cds_leftovers(archive)
        if archive.is_file() and archive.stat().st_size > 0:
            return [f"-XX:SharedArchiveFile={archive}"]
        if not os.access(archive.parent, os.W_OK):
            return []
        tmp = archive.with_name(f"{archive.name}.{os.getpid()}-{id(self)}.tmp")
        self._cds_dump = (tmp, archive)
        return [f"-XX:ArchiveClassesAtExit={tmp}"]

    def _query(
        self,
        neo4j: object,
        auth: tuple[str, str] | None,
        text: str,
        database: str | None = None,
        params: dict[str, str] | None = None,
    ) -> object:
        # Short timeouts and session.run (execute_query would retry for 30 s):
        # the port may belong to some other listener while our JVM has already
        # died, and poll() must run again.
        with (
            neo4j.GraphDatabase.driver(  # type: ignore[attr-defined]
                # readiness only: the certificate is the caller's to check
                self.uri.replace("bolt+s://", "bolt+ssc://"),
                auth=auth,
                connection_timeout=3,
                connection_acquisition_timeout=3,
                max_connection_pool_size=1,
            ) as drv,
            drv.session(database=database) as session,
        ):
            return session.run(text, params or {}).single()

    def _set_password(self, neo4j: object) -> None:
        """A fresh server's user may do nothing but change its initial password."""
        try:
            self._query(
                neo4j,
                (_USER, _INITIAL_PASSWORD),
                "ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
                database="system",
                params={"old": _INITIAL_PASSWORD, "new": self.password or ""},
            )
        except neo4j.exceptions.AuthError:  # type: ignore[attr-defined]
            pass  # a home that already has it: the login that follows tells
        self._password_set = True

    def _wait_ready(self) -> None:
        assert self.process is not None and self.bolt_port is not None
        try:
            import neo4j  # optional: a real query is the only proof of readiness
        except ImportError:
            neo4j = None  # type: ignore[assignment]
        deadline = time.monotonic() + self.startup_timeout
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise Neo4jServerError(
                    f"Neo4j exited with code {self.process.returncode} during start-up:"
                    f"\n{self.log_tail()}"
                )
            try:
                with socket.create_connection(("127.0.0.1", self.bolt_port), timeout=1):
                    pass
                if neo4j is not None:
                    if self.password is not None and not self._password_set:
                        self._set_password(neo4j)
                    record = self._query(neo4j, self.auth, "RETURN 1 AS one")
                    if record is not None and record["one"] == 1:
                        self._ready = True
                        return
                elif self.password is not None:
                    raise Neo4jServerError(
                        "the neo4j Python driver is needed to set the password"
                    )
                elif self.log_path is not None and "Started." in _tail(
                    self.log_path, 20
                ):
                    self._ready = True
                    return  # no driver installed: trust the socket plus the log line
            except Exception as exc:  # not up yet: refused, unavailable, ...
                last_error = exc
            time.sleep(0.25)
        raise Neo4jServerError(
            f"Neo4j did not answer on {self.uri} within {self.startup_timeout:.0f} s "
            f"(last error: {last_error!r}):\n{self.log_tail()}"
        )


# --------------------------------------------------------------------------- CLI


def _cmd_fetch(args: argparse.Namespace) -> int:
    t0 = time.monotonic()
    lib = ensure_jars(args.version, quiet=False)
    jars = list(lib.glob("*.jar"))
    size = sum(p.stat().st_size for p in jars)
    print(
        f"{lib}: {len(jars)} jars, {size / 2**20:.0f} MiB "
        f"({time.monotonic() - t0:.1f} s)"
    )
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    def on_sigterm(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_sigterm)
    # A shell without job control starts background commands with SIGINT
    # ignored, and Python then never raises KeyboardInterrupt: re-arm it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    server = Neo4jServer(
        version=args.version, http=args.http, startup_timeout=args.timeout
    )
    t0 = time.monotonic()
    try:
        server.start()
        print(server.uri, flush=True)
        print(
            f"Neo4j {server.version} up in {time.monotonic() - t0:.1f} s "
            f"(pid {server.pid}, home {server.home}); Ctrl-C or SIGTERM stops it",
            file=sys.stderr,
            flush=True,
        )
        while server.is_running():
            time.sleep(0.5)
        print(f"Neo4j exited unexpectedly:\n{server.log_tail()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--neo4j-version",
        dest="version",
        default=NEO4J_VERSION,
        help="Neo4j version (default %(default)s)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "fetch", help="download the server jars into the cache"
    ).set_defaults(func=_cmd_fetch)
    run = sub.add_parser(
        "run", help="start a server, print its bolt URI, stop on Ctrl-C/SIGTERM"
    )
    run.add_argument(
        "--http", action="store_true", help="also enable the HTTP connector"
    )
    run.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_STARTUP_TIMEOUT,
        help="start-up timeout, s",
    )
    run.set_defaults(func=_cmd_run)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except Neo4jServerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
