"""Publish hooks: plugins that validate a publish before anything is written, and act on it
after its commit (notify a tracker, start a transcode). Built on pluggy.

    from legos.hooks import Finding, hookimpl

    @hookimpl
    def validate_publish(request):            # a PublishRequest
        if not request.comment:
            yield Finding("error", "say what changed: --comment TEXT")

    @hookimpl
    def after_publish(version):               # the committed legos.model.Version
        tracker.post(version.uri)

Plugins come from the `legos.hooks` entry-point group (loaded at the first publish, never at
import) or from Python (`register`, for tests and DCC adapters). A plugin that fails to load is
listed by `failures()` (`legos hooks`) instead of breaking legos; one that raises is reported by
name: in validate_publish that is an error finding (the publish stops), in after_publish a
warning (the version stays). Findings reach a caller three ways: PublishValidationError.findings
when an error stops the publish; `collect()` around a publish for every finding; and the
"legos.hooks" logger (the CLI prints warnings as `legos: warning: ...`). See docs/hooks.md.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import os
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pluggy  # only legos.api (inside publish) and `legos hooks` import this module

from legos.errors import PublishValidationError

if TYPE_CHECKING:
    from legos.api import Legos
    from legos.files import SourceFile
    from legos.kinds import AssetKind
    from legos.model import Version
    from legos.publish import Input

ENTRY_POINT_GROUP = "legos.hooks"
PROJECT = "legos"  # the pluggy project name: markers of another name are not ours

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

Level = Literal["error", "warning", "info"]
LEVELS: tuple[str, ...] = ("error", "warning", "info")
log = logging.getLogger("legos.hooks")


@dataclass(frozen=True)
class Finding:
    """One thing a validator found. `plugin` is filled in with the plugin's name."""

    level: Level
    message: str
    file: str | None = None     # the file it is about (a source path or a published name)
    plugin: str = ""
    check: str = ""             # a plugin's own name for the rule (the built-ins': their name)

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"a finding's level is one of {', '.join(LEVELS)}, "
                             f"not {self.level!r}")

    def __str__(self) -> str:
        where = f" ({self.file})" if self.file else ""
        return f"{self.plugin}: {self.message}{where}" if self.plugin else \
            f"{self.message}{where}"

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "message": self.message, "file": self.file,
                "plugin": self.plugin, "check": self.check}


@dataclass(frozen=True, eq=False)  # compared (and hashed) by identity: it holds mappings
class PublishRequest:
    """What `Legos.publish` was asked to do, before anything is copied or written. The files
    are as given (folders not expanded: `sources` expands them with their published names)."""

    lg: Legos = field(repr=False, compare=False)   # for lookups in the store
    project: str
    asset: str
    kind: str
    root: Path
    template: str
    files: tuple[Path, ...] = ()
    dependencies: tuple[Input, ...] = ()
    members: tuple[Input, ...] = ()
    comment: str = ""
    user: str = ""
    status: str = "published"
    entry: str | None = None
    thumbnail: Path | None = None
    facts: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    provenance: Mapping[str, Any] | None = None
    meta: Mapping[str, Any] | None = None

    @property
    def uri(self) -> str:
        """The asset's URI (the version number is not known before the commit)."""
        return f"legos:/{self.project}/{self.asset}"

    @property
    def asset_kind(self) -> AssetKind:
        from legos.kinds import registry

        return registry.get(self.kind)

    @cached_property
    def sources(self) -> list[SourceFile]:
        """Every file to publish (folders expanded) with its published name ('/'-separated
        path inside the version folder); the thumbnail is not among them."""
        from legos.files import collect

        return collect(list(self.files))

    @cached_property
    def folder(self) -> str | None:
        """The version folder under the root, with 0 for the number it does not have yet: a
        template's version segment holds no '/', so paths going up out of it are right."""
        from legos.layout import relative_folder

        try:
            return relative_folder(self.template, self.project, self.asset, self.kind, 0)
        except Exception:  # the publish itself says what is wrong with the name
            return None


# -- collecting findings ---------------------------------------------------------------------
_collectors: contextvars.ContextVar[tuple[list[Finding], ...]] = contextvars.ContextVar(
    "legos_hook_findings", default=())


@contextlib.contextmanager
def collect() -> Iterator[list[Finding]]:
    """Every finding of the publishes inside the block (validation warnings and infos, a
    failed after_publish, and the errors of a refused publish), in order:

        with legos.hooks.collect() as findings:
            version = lg.publish(...)
        for f in findings: print(f.level, f.plugin, f.message, f.file)

    Works through the ingest commands too (they publish through Legos.publish)."""
    found: list[Finding] = []
    token = _collectors.set(_collectors.get() + (found,))
    try:
        yield found
    finally:
        _collectors.reset(token)


def _report(finding: Finding) -> None:
    for target in _collectors.get():
        target.append(finding)
    if finding.level == "warning":
        log.warning("legos: warning: %s", finding)
    elif finding.level == "info":  # for a UI that collects them; not worth a line on stderr
        log.debug("legos: %s", finding)


# -- the specification -----------------------------------------------------------------------
class PublishSpec:
    """The hooks a plugin may implement (each may take fewer arguments than named here)."""

    @hookspec
    def validate_publish(self, request: PublishRequest) -> Iterable[Finding] | None:
        """Findings about a publish that has not started: an error stops it. Return (or yield)
        Finding objects or dicts with level, message and optionally file; None is none."""

    @hookspec
    def after_publish(self, version: Version, request: PublishRequest) -> None:
        """Act on a committed version. Raising never undoes it: it is reported as a warning."""


@dataclass(frozen=True)
class PluginInfo:
    name: str
    source: str          # "built-in", "entry point <value>" or "python"
    hooks: tuple[str, ...]


class HookManager:
    """The plugins of this process: built-ins, entry points (loaded once, at first use) and
    those registered from Python."""

    def __init__(self) -> None:
        self._pm: pluggy.PluginManager | None = None
        self._sources: dict[str, str] = {}
        self._failures: dict[str, str] = {}
        self._lock = threading.RLock()

    @property
    def pm(self) -> pluggy.PluginManager:
        with self._lock:
            if self._pm is None:
                self._pm = self._load()
            return self._pm

    def _load(self) -> pluggy.PluginManager:
        from legos import validators

        pm = pluggy.PluginManager(PROJECT)
        pm.add_hookspecs(PublishSpec)
        for name, plugin in validators.builtin_plugins().items():
            pm.register(plugin, name=name)
            self._sources[name] = "built-in"
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            if pm.has_plugin(ep.name) or ep.name in self._failures:
                self._failures.setdefault(ep.name, f"another plugin is named {ep.name!r}")
                continue
            try:
                plugin = ep.load()
                if plugin is None:  # the plugin opted out (e.g. its host is missing)
                    continue
                _register_checked(pm, plugin, ep.name)
            except Exception as exc:  # a broken plugin must not break legos
                self._failures[ep.name] = f"{type(exc).__name__}: {exc}"
                continue
            self._sources[ep.name] = f"entry point {ep.value}"
        return pm

    def register(self, plugin: object, name: str | None = None) -> str:
        """Register a plugin (a module, class instance or any object with @hookimpl functions)
        from Python; returns its name, which `unregister` takes. A bad plugin raises here."""
        with self._lock:
            chosen = name or getattr(plugin, "__name__", None) or type(plugin).__name__
            if self.pm.has_plugin(chosen):
                raise ValueError(f"a legos hook plugin named {chosen!r} is registered already: "
                                 "give another name")
            _register_checked(self.pm, plugin, chosen)
            self._sources[chosen] = "python"
            return chosen

    def unregister(self, name: str) -> None:
        with self._lock:
            if self.pm.has_plugin(name):
                self.pm.unregister(name=name)
            self._sources.pop(name, None)

    def plugins(self) -> list[PluginInfo]:
        pm = self.pm
        out = []
        for name, plugin in pm.list_name_plugin():
            if plugin is None:
                continue
            hooks = tuple(sorted(caller.name for caller in pm.get_hookcallers(plugin) or ()))
            out.append(PluginInfo(name, self._sources.get(name, "python"), hooks))
        return out

    def failures(self) -> dict[str, str]:
        """Entry points that failed to load: name -> the error."""
        _ = self.pm  # loads the entry points
        return dict(self._failures)

    def validate(self, request: PublishRequest) -> list[Finding]:
        """Run every validate_publish; report every finding; raise PublishValidationError
        when one is an error. Nothing has been written when this runs."""
        from legos.validators import levels

        levels()  # a bad LEGOS_VALIDATORS is a ConfigError of its own, not a plugin's crash
        _ = request.asset_kind, request.sources  # the errors publish gives: unknown kind,
        # missing file (raised as they are, before any plugin sees the request)
        findings: list[Finding] = []
        for impl in self._impls("validate_publish"):
            try:
                returned = impl.function(*_args(impl, request=request))
                if isinstance(returned, Finding | Mapping):  # one finding, not in a list
                    returned = [returned]
                found = [_finding(item, impl.plugin_name) for item in returned or ()]
            except Exception as exc:
                log.debug("legos: hook plugin %s crashed", impl.plugin_name, exc_info=True)
                found = [Finding("error", f"validate_publish failed: {type(exc).__name__}: "
                                 f"{exc}", plugin=impl.plugin_name)]
            findings.extend(found)
        for finding in findings:
            _report(finding)
        errors = [f for f in findings if f.level == "error"]
        if errors:
            raise PublishValidationError(_refusal(request, errors), findings)
        return findings

    def after(self, version: Version, request: PublishRequest) -> list[Finding]:
        """Run every after_publish; one that raises is a warning naming it."""
        findings = []
        for impl in self._impls("after_publish"):
            try:
                impl.function(*_args(impl, version=version, request=request))
            except Exception as exc:
                log.debug("legos: hook plugin %s crashed", impl.plugin_name, exc_info=True)
                finding = Finding("warning", f"after_publish of {version.uri} failed: "
                                  f"{type(exc).__name__}: {exc} (the version is published)",
                                  plugin=impl.plugin_name)
                findings.append(finding)
                _report(finding)
        return findings

    def _impls(self, hook: str) -> list[Any]:
        # called one by one (in pluggy's order), so that a plugin that raises is named and
        # the others still run
        caller = getattr(self.pm.hook, hook)
        return [impl for impl in reversed(caller.get_hookimpls())
                if not (impl.hookwrapper or impl.wrapper)]


def _register_checked(pm: pluggy.PluginManager, plugin: object, name: str) -> None:
    """Register, refusing a plugin that implements no legos hook or one legos does not know
    (a misspelt hook would otherwise never run, silently)."""
    pm.register(plugin, name=name)
    known = {"validate_publish", "after_publish"}
    hooks = [c.name for c in pm.get_hookcallers(plugin) or ()]
    unknown = sorted(set(hooks) - known)
    if unknown or not hooks:
        pm.unregister(name=name)
        what = f"implements unknown hooks {', '.join(unknown)}" if unknown else \
            "implements no legos hook (mark functions with @legos.hooks.hookimpl)"
        raise ValueError(f"{what}: the hooks are {', '.join(sorted(known))}")


def _args(impl: Any, **given: Any) -> list[Any]:
    return [given[name] for name in impl.argnames]


def _finding(item: Any, plugin: str) -> Finding:
    if isinstance(item, Finding):
        return Finding(item.level, item.message, item.file, plugin, item.check)
    if isinstance(item, Mapping):
        return Finding(item.get("level", "error"), str(item["message"]),
                       None if item.get("file") is None else str(item["file"]), plugin,
                       str(item.get("check") or ""))
    raise TypeError(f"returned {item!r}, not a Finding (or a dict with level and message)")


def _refusal(request: PublishRequest, errors: list[Finding]) -> str:
    more = f" (and {len(errors) - 1} more error{'s' if len(errors) > 2 else ''})" \
        if len(errors) > 1 else ""
    return (f"publish of {request.uri} refused by validation: {errors[0]}{more}; nothing was "
            "published: fix it and publish again")


manager = HookManager()


def register(plugin: object, name: str | None = None) -> str:
    """Register a hook plugin from Python (tests, a DCC adapter); returns its name."""
    return manager.register(plugin, name)


def unregister(name: str) -> None:
    manager.unregister(name)


def plugins() -> list[PluginInfo]:
    return manager.plugins()


def failures() -> dict[str, str]:
    return manager.failures()


def check_publish(lg: Legos, project: str, asset: str, **arguments: Any) -> PublishRequest:
    """What `Legos.publish` calls first: its request (see `request_for`), validated by every
    plugin; PublishValidationError when one finds an error. Nothing is written before."""
    request = request_for(lg, project, asset, **arguments)
    manager.validate(request)
    return request


def announce(version: Version, request: PublishRequest) -> None:
    """What `Legos.publish` calls after its commit: every after_publish (never for a publish
    that committed nothing: skip_unchanged found the latest version the same)."""
    manager.after(version, request)


def request_for(lg: Legos, project: str, asset: str, *, kind: str,
                files: Iterable[str | os.PathLike[str]], dependencies: Iterable[Input],
                members: Iterable[Input], comment: str, user: str | None, status: str,
                entry: str | None, thumbnail: str | os.PathLike[str] | None,
                facts: Mapping[str, Mapping[str, Any]] | None,
                provenance: Mapping[str, Any] | None,
                meta: Mapping[str, Any] | None = None) -> PublishRequest:
    """The request `Legos.publish` builds from its arguments."""
    from legos.model.user import current_user

    return PublishRequest(
        lg=lg, project=project, asset=asset, kind=kind, root=lg.root, template=lg.template,
        files=tuple(Path(f).expanduser().absolute() for f in files),
        dependencies=tuple(dependencies),
        members=tuple(members), comment=comment, user=current_user(user), status=status,
        entry=entry, thumbnail=Path(thumbnail).expanduser() if thumbnail is not None else None,
        facts=dict(facts or {}), provenance=provenance, meta=meta)
