"""The legos Python API: one object over a store and a publish root.

    with legos.open() as lg:                      # the default embedded store
        v = lg.publish("demo", "chr/skaarj/tex/albedo", kind="TextureAsset", files=["a.png"])
        rows = lg.dependencies("legos:/demo/chr/skaarj/lookdev?version=3")

Every method takes URIs as text or AssetURI; every failure is a LegosError naming the fix.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from legos import (
    as_of as past,
    catalog,
    lineage,
    metadata,
    publish_root,
    questions,
    review,
    selection,
)
from legos.errors import ConfigError, InvalidInputError
from legos.layout import DEFAULT_TEMPLATE, resolve_root, validate_template
from legos.model import (
    AliasMove,
    Asset,
    Change,
    HistoryRow,
    LineageRow,
    MemberRow,
    Revision,
    Tag,
    Version,
)
from legos.model.user import current_user
from legos.publish import Input, publish as _publish
from legos.publish_inputs import remembering
from legos.selection import Selector
from legos.store import GraphStore, open_store
from legos.uri import AssetURI, parse_reference

if TYPE_CHECKING:
    from legos.analytics.bound import Analytics
    from legos.batch import ItemResult, PublishItem
    from legos.events import Event
    from legos.operations.archive_export import ExportReport
    from legos.operations.archive_import import ImportReport
    from legos.operations.gc import Removed
    from legos.operations.verify import Finding
    from legos.pins.manifest import Manifest
    from legos.pins.pinset import PinResult
    from legos.pins.resolver import Resolved
    from legos.projects import ProjectDefinition
    from legos.projects.store import LoadRecord, LoadReport
    from legos.projects.workarea import WorkArea
    from legos.staging import Leftover

_ROOT_KEY = "publish_root"
_TEMPLATE_KEY = "path_template"
_ROOT_ID_KEY = "root_id"


@dataclass(frozen=True)
class StoreInfo:
    store: str
    backend: str
    schema_version: int
    root: str | None
    template: str
    assets: int
    versions: int
    leftovers: list[Leftover]


def _uri(value: str | AssetURI) -> AssetURI:
    """A URI, or an asset as "<project>/<asset name>" (legos.uri.parse_reference)."""
    return parse_reference(value)


class Legos:
    def __init__(self, store: GraphStore, root: str | os.PathLike[str] | None = None) -> None:
        self.store = store
        self._root_override = root
        self._settings: dict[str, str | None] | None = None
        self._checked_root: Path | None = None

    # -- settings ---------------------------------------------------------------------------
    def _setting(self, key: str) -> str | None:
        if self._settings is None:
            self._settings = {k: self.store.get_meta(k)
                              for k in (_ROOT_KEY, _TEMPLATE_KEY, _ROOT_ID_KEY)}
        return self._settings[key]

    @property
    def root(self) -> Path:
        """The publish root: the recorded one, or an override that is the same storage seen
        under another mount (its marker says so; see legos.publish_root)."""
        if self._checked_root is None:
            recorded = self._setting(_ROOT_KEY)
            chosen = resolve_root(self._root_override, recorded)
            recorded_path = Path(recorded) if recorded else None
            if chosen != recorded_path:
                publish_root.check_mount(chosen, recorded_path, self._setting(_ROOT_ID_KEY))
            self._checked_root = chosen
        return self._checked_root

    @property
    def root_or_none(self) -> Path | None:
        """The publish root, or None for a store that has none yet (paths then stay relative)."""
        if (self._root_override is None and not os.environ.get("LEGOS_ROOT")
                and self._setting(_ROOT_KEY) is None):
            return None
        return self.root

    @property
    def template(self) -> str:
        return validate_template(self._setting(_TEMPLATE_KEY) or DEFAULT_TEMPLATE)

    def configure(self, root: str | os.PathLike[str] | None = None,
                  template: str | None = None) -> None:
        """Record the publish root and path template in the store (what `legos init` does).
        A store whose versions live under another root keeps it: that is `relocate`."""
        if template is not None:
            validate_template(template)
        self.store.check_writable("configure")  # before the root's marker is written
        if root is not None:
            path = Path(root).expanduser().resolve()
            recorded = self._setting(_ROOT_KEY)
            if recorded is not None and Path(recorded) != path and self._has_versions():
                raise ConfigError(
                    f"this store's versions live under {recorded}: recording {path} instead "
                    f"would break every one of them. If the files moved there, run `legos "
                    f"relocate {path}` (it checks they are there); to reach them under another "
                    f"mount, pass --root {path} to each command instead")
            publish_root.claim(path, self._root_id(), self.store.location)
            self.store.set_meta(_ROOT_KEY, str(path))
        if template is not None:
            self.store.set_meta(_TEMPLATE_KEY, template)
        self._settings = None
        self._checked_root = None

    def relocate(self, root: str | os.PathLike[str]) -> int:
        """Record that the publish root moved to `root`, after checking that every version's
        files are there with their recorded sizes; returns how many files were checked."""
        self.store.check_writable("relocate")  # before the new root's marker is written
        path = Path(root).expanduser().resolve()
        files = self.store.query("store/all_files")
        problems = publish_root.check_files_at(path, files)
        if problems:
            first = problems[0]
            raise ConfigError(
                f"{len(problems)} of {len(files)} published files are not at {path}, e.g. "
                f"{first.path} of {first.uri} ({first.problem}): copy the whole root there "
                "first; nothing was changed")
        publish_root.claim(path, self._root_id(), self.store.location)
        self.store.set_meta(_ROOT_KEY, str(path))
        self._settings = None
        self._checked_root = None
        return len(files)

    def info(self) -> StoreInfo:
        """What a TD checks first: the store, its root, its size and any leftovers under the root
        (staging areas of publishes in flight or dead, folders moved aside as orphans)."""
        from legos import staging
        from legos.store.connect import BACKEND_NAMES

        counts = self.store.query("store/counts")[0]
        root = self.root_or_none
        return StoreInfo(
            store=self.store.location, backend=BACKEND_NAMES[self.store.dialect],
            schema_version=int(self.store.get_meta("schema_version") or 0),
            root=str(root) if root else None, template=self.template,
            assets=counts["assets"], versions=counts["versions"],
            leftovers=staging.leftovers(root) if root else [])

    def verify(self, project: str | None = None, quick: bool = False, jobs: int | None = None,
               fix: bool = False) -> list[Finding]:
        """Check that the root and the graph agree (legos.operations.verify): every version's
        files there with their size, sha256 (not when `quick`) and read-only mode, edges whole,
        nothing unowned. `fix` restores read-only bits and quarantines what no version owns."""
        from legos.model import validate_project_code
        from legos.operations.verify import verify

        if project is not None:
            validate_project_code(project)
        if fix:  # it changes the root: a read-only session only looks
            self.store.check_writable("verify --fix")
        return verify(self.store, self.root, self.template, project, quick, jobs, fix)

    def gc(self, older_than_hours: float | None = None, dry_run: bool = False) -> list[Removed]:
        """Remove the staging leftovers of publishes that died (legos.operations.gc)."""
        from legos.operations.gc import collect

        if not dry_run:
            self.store.check_writable("gc")
        return collect(self.store, self.root, older_than_hours, dry_run)

    def _root_id(self) -> str:
        root_id = self._setting(_ROOT_ID_KEY)
        if root_id is None:  # a store from before root ids (the v2 upgrade gives one)
            root_id = uuid.uuid4().hex
            self.store.set_meta(_ROOT_ID_KEY, root_id)
            self._settings = None
        return root_id

    def _has_versions(self) -> bool:
        return bool(self.store.query("store/counts")[0]["versions"])

    # -- publish ----------------------------------------------------------------------------
    @remembering  # each input looked up once: for the validators, the check and the write
    def publish(self, project: str, asset: str, *, kind: str,
                files: Iterable[str | os.PathLike[str]] = (),
                dependencies: Iterable[Input | tuple[str | None, str] | str] = (),
                members: Iterable[Input | tuple[str | None, str] | str] = (),
                comment: str = "", user: str | None = None,
                status: str = "published", allow_empty: bool = False,
                skip_unchanged: bool = False,
                progress: Callable[[int, int], None] | None = None, entry: str | None = None,
                thumbnail: str | os.PathLike[str] | None = None,
                facts: Mapping[str, Mapping[str, Any]] | None = None,
                provenance: Mapping[str, Any] | None = None,
                meta: Mapping[str, Any] | None = None) -> Version:
        """Publish the next version. Dependencies and members are URIs, `(role, uri)` pairs or
        `Input`s; a bare URI takes the default role of its kind (members: the asset's last name).
        A kind that needs files gets some, and none is empty unless `allow_empty`. With
        `skip_unchanged`, the same files and inputs as the latest version publish nothing and
        return that version. `progress(bytes_done, bytes_total)` follows the copy.

        `entry` names the file (its published name) a URI without rep= resolves to; without it
        the only file, a USD asset's root layer or the main file named like the asset is taken
        (legos.entry). `thumbnail` is a PNG kept with the version (`rep=thumbnail`), `facts`
        image facts by file name, `provenance` how the content was made (JSON-able), `meta`
        the version's metadata ({key: JSON-able value}; legos.metadata)."""
        from legos import hooks
        from legos.model import validate_asset_name, validate_project_code

        validate_project_code(project)  # a bad name is said before the root is looked at
        validate_asset_name(asset)
        self.store.check_writable("publish")  # before any file is copied or swept
        root = self.root
        files, deps, mems = (list(files), [_input(d) for d in dependencies],
                             [_input(m) for m in members])
        # the validate_publish hooks (legos.hooks): an error stops it before anything is written
        request = hooks.check_publish(
            self, project, asset, kind=kind, files=files, dependencies=deps,
            members=mems, comment=comment, user=user, status=status, entry=entry,
            thumbnail=thumbnail, facts=facts, provenance=provenance, meta=meta)
        self.claim_root()
        new_uid = uuid.uuid4().hex  # a version with another uid: skip_unchanged made nothing
        version = _publish(
            self.store, project=project, asset=asset, kind=kind, root=root,
            template=self.publish_template(project, asset), files=files,
            allow_empty=allow_empty,
            skip_unchanged=skip_unchanged, progress=progress, entry=entry, thumbnail=thumbnail,
            facts=facts, provenance=provenance, dependencies=deps, members=mems,
            comment=comment, user=user, status=status, meta=meta, version_uid=new_uid,
        )
        if version.uid == new_uid:
            hooks.announce(version, request)  # after_publish hooks; they never undo it
        return version

    def claim_root(self) -> Path:
        """The publish root, claimed for this store before anything is written into it."""
        root = self.root
        publish_root.claim(root, self._root_id(), self.store.location)  # stores before markers
        if self._setting(_ROOT_KEY) is None:  # a store without a root takes the first one used
            self.store.set_meta(_ROOT_KEY, str(root))
            self._settings = None
        return root

    def publish_many(self, items: Iterable[PublishItem], *, chunk: int = 256,
                     progress: Callable[[int, int], None] | None = None) -> list[ItemResult]:
        """Publish many versions (`legos.batch.PublishItem`s, in order; an item may use an
        earlier one's version) in few transactions, `chunk` versions each; each version is
        all-or-nothing and a failed one is left out with its error (`ItemResult.error`)
        while the others are published. See legos.batch."""
        from legos.batch import publish_many

        return publish_many(self, items, chunk=chunk, progress=progress)

    def ingest_texture(self, files: Iterable[str | os.PathLike[str]], *, project: str,
                       prefix: str | None = None, asset: str | None = None,
                       colorspace: str | None = None,
                       ocio_config: str | os.PathLike[str] | None = None, fmt: str = "exr",
                       jobs: int | None = 1, dry_run: bool = False, comment: str = "",
                       user: str | None = None) -> list[Any]:
        """Ingest image files (UDIM tiles as one set) as the next versions of TextureAssets:
        `prefix/<file stem>`, or `asset` for one texture. Transcoded to tiled, mipmapped
        ACEScg (data maps raw) OpenEXR by legos.ingest.texture, `jobs` at a time. Returns one
        record per texture (`.status`, `.uri`, `.error`, `.extra["colorspace"]`); never raises
        for bad input."""
        from legos.ingest.texture_publish import ingest_textures

        return ingest_textures(self, list(files), project=project, prefix=prefix, asset=asset,
                               colorspace=colorspace, ocio_config=ocio_config, fmt=fmt,
                               jobs=jobs, dry_run=dry_run, comment=comment, user=user)

    def ingest_usd(self, path: str | os.PathLike[str], *, project: str, asset: str,
                   textures_prefix: str | None = None, entry: str | None = None,
                   kind: str = "ModelAsset", dry_run: bool = False, comment: str = "",
                   user: str | None = None) -> Any:
        """Ingest a USD asset (root layer or folder) and its textures: legos.ingest.usd_publish.
        Returns its record (`.status`, `.uri`, `.error`, `.extra["textures"]`); never raises
        for bad input."""
        from legos.ingest.usd_publish import ingest_usd

        return ingest_usd(self, path, project=project, asset=asset,
                          textures_prefix=textures_prefix, entry=entry, kind=kind,
                          dry_run=dry_run, comment=comment, user=user)

    def ingest_model(self, source: str | os.PathLike[str], *, project: str, asset: str,
                     textures_prefix: str | None = None,
                     blender: str | os.PathLike[str] | None = None, up_axis: str = "Y",
                     dry_run: bool = False, comment: str = "",
                     user: str | None = None) -> Any:
        """Ingest a model (OBJ, glTF/GLB, FBX, USD) converted by Blender to a USD layer, and its
        textures: legos.ingest.model. Returns its record (`.status`, `.uri`, `.error`,
        `.extra["textures"]`); never raises for bad input."""
        from legos.ingest.model import ingest_model

        return ingest_model(self, source, project=project, asset=asset,
                            textures_prefix=textures_prefix, blender=blender, up_axis=up_axis,
                            dry_run=dry_run, comment=comment, user=user)

    def ingest_plan(self, folder: str | os.PathLike[str], *, template: str, project: str,
                    kind_rules: Iterable[str] = (),
                    output: str | os.PathLike[str] | None = None,
                    project_file: str | os.PathLike[str] | None = None) -> Any:
        """Scan an existing publish tree by its path template (`{asset}/v{version:03}/{file}`,
        relative to `folder`) into an editable plan (legos.ingest.project), written to `output`
        when given. Returns the Plan (`.data`, the JSON document; `.records`, one per version).
        Reads the tree only; publishes nothing. `project_file`: also write the assets and
        shots found as a project file (legos.projects.inventory)."""
        from legos.ingest.project import make_plan

        plan = make_plan(folder, template=template, project=project, kind_rules=kind_rules)
        if output is not None:
            plan.save(output)
        if project_file is not None:
            from legos.projects.inventory import write_project_file

            write_project_file(plan.data, project_file)
        return plan

    def ingest_apply(self, plan: Any, *, dry_run: bool = False, comment: str = "",
                     user: str | None = None,
                     progress: Callable[[int, int], None] | None = None,
                     project_file: str | os.PathLike[str] | None = None) -> list[Any]:
        """Publish a plan (its file, its document or a Plan) dependencies first; what the store
        already has is skipped (legos.ingest.project_apply). Returns one record per version;
        raises only for a plan that is not one. `progress(done, total)` follows the versions.
        `project_file`: define the project from it first (created, or loaded as a merge)."""
        from legos.ingest.project_apply import apply_plan

        if project_file is not None:
            from legos.projects.inventory import define_from_file

            define_from_file(self, plan, project_file, dry_run=dry_run, user=user)
        return apply_plan(self, plan, dry_run=dry_run, comment=comment, user=user,
                          progress=progress)

    # -- projects (legos.projects) -----------------------------------------------------------
    def project(self, code: str, as_of: datetime | str | None = None) -> ProjectDefinition:
        """A project's definition (settings, templates, inventory); with `as_of`, the one it
        had then (its last load before that instant)."""
        from legos.projects import store as projects

        when = past.given(as_of)
        return self.store.read(lambda tx: projects.definition_or_raise(tx, code, when))

    def create_project(self, code: str, definition: ProjectDefinition | str | os.PathLike[str]
                       | None = None, *, user: str | None = None) -> LoadReport:
        """Create a project, empty or from a definition (a ProjectDefinition or a project
        file); recorded as its first load. A project a publish made is defined here too."""
        from legos.projects import ProjectDefinition, store as projects

        given = projects.as_definition(definition or ProjectDefinition())
        return projects.load(self.store, code, given, user=current_user(user), create=True)

    def load_project(self, code: str, definition: ProjectDefinition | str | os.PathLike[str],
                     *, dry_run: bool = False, user: str | None = None) -> LoadReport:
        """Merge a definition (a ProjectDefinition or a project file) into a project: reports
        what it adds, changes and removes, and records the load unless `dry_run`."""
        from legos.projects import store as projects

        return projects.load(self.store, code, projects.as_definition(definition),
                             user=current_user(user), dry_run=dry_run)

    def save_project(self, code: str, output: str | os.PathLike[str],
                     as_of: datetime | str | None = None) -> Path:
        """Write a project's definition (now, or as of a time) as a project file."""
        from legos.projects.toml_file import write_file

        return write_file(self.project(code, as_of), output)

    def project_history(self, code: str) -> list[LoadRecord]:
        """Every load of a project, oldest first: who, when, what it changed."""
        from legos.projects import store as projects

        return self.store.read(lambda tx: projects.history(tx, code))

    def publish_template(self, project: str, asset: str) -> str:
        """The path template a publish of `project/asset` uses: the project's own (its silo
        filled in) or the store's."""
        from legos.projects.templates import publish_template_for

        return publish_template_for(self.store, project, asset, self.template)

    def workdir(self, reference: str, *, task: str, app: str | None = None,
                user: str | None = None, create: bool = False) -> WorkArea:
        """The work area of an asset ("PROJECT/ASSET") for a task, from the project's work
        template (`.path`, `.environment()`); with `create`, its folder is made."""
        from legos.projects.workarea import work_area

        return work_area(self, reference, task=task, app=app, user=user, create=create)

    # -- reading ----------------------------------------------------------------------------
    def show(self, uri: str | AssetURI, as_of: datetime | None = None) -> Version:
        """The version a URI names; with `as_of`, the one its rules picked then."""
        parsed, when = _uri(uri), past.given(as_of)

        def work(tx: Any) -> Version:
            uid = past.start_uid(tx, parsed, when)
            return catalog.versions_by_uid(tx, [uid], self.root_or_none)[uid]
        return self.store.read(work)

    def history(self, uri: str | AssetURI,
                as_of: datetime | None = None) -> list[HistoryRow]:
        """Every version of an asset, newest first (with `as_of`: those of then, with the
        statuses of then)."""
        when = past.given(as_of)
        return self.store.read(lambda tx: past.history(tx, _uri(uri), when))

    def assets(self, project: str | None = None, kind: str | None = None, *,
               pattern: str | None = None, tag: str | None = None,
               status: str | None = None,
               where: Iterable[str] | str | None = None) -> list[Asset]:
        """Assets, each with its latest version number: of a project and a kind, whose
        "<project>/<asset name>" matches the glob `pattern` (e.g. "demo/chr/*/tex/*"), with a
        version of `status` and/or carrying `tag`, matching every metadata term of `where`
        ("frame_in>1000": on the asset's own metadata or its latest version's; see
        legos.metadata); None: no rule."""
        from legos.model.tag import validate_tag
        from legos.model.version import parse_status

        if kind is not None:
            from legos.kinds import registry

            registry.get(kind)
        for name, value in (("project", project), ("pattern", pattern)):
            if value is not None and not isinstance(value, str):
                raise InvalidInputError(f"{name} {value!r} is not text")
        if tag is not None:
            validate_tag(tag)
        if status is not None:
            status = parse_status(status).value
        terms = metadata.parse_terms(where)
        return self.store.read(lambda tx: metadata.keep_assets(
            tx, catalog.list_assets(tx, project, kind, pattern, tag, status), terms))

    def dependencies(self, uri: str | AssetURI, depth: int | None = None,
                     role: str | None = None, as_of: datetime | None = None) -> list[LineageRow]:
        when = past.given(as_of)
        return self.store.read(lambda tx: lineage.dependencies(tx, _uri(uri), depth, role, when))

    def dependents(self, uri: str | AssetURI, depth: int | None = None,
                   role: str | None = None, revisions: bool = True,
                   as_of: datetime | None = None) -> list[LineageRow]:
        when = past.given(as_of)
        return self.store.read(lambda tx: lineage.dependents(tx, _uri(uri), depth, role,
                                                             revisions, when))

    def contents(self, uri: str | AssetURI,
                 as_of: datetime | None = None) -> list[MemberRow]:
        """A package version's members, recursively, each with the packages holding it."""
        when = past.given(as_of)
        return self.store.read(lambda tx: lineage.contents(tx, _uri(uri), when))

    def closure(self, uri: str | AssetURI, *, reverse: bool = False, depth: int | None = None,
                as_of: datetime | None = None) -> lineage.Closure:
        """The lineage subgraph (rows and edges) of `uri`: what `legos deps --format` draws."""
        when = past.given(as_of)
        return self.store.read(lambda tx: lineage.closure(tx, _uri(uri), reverse=reverse,
                                                          max_depth=depth, as_of=when))

    # -- questions (legos.questions) ----------------------------------------------------------
    def impact(self, uri: str | AssetURI, as_of: datetime | None = None,
               revisions: bool = True) -> list[questions.ImpactRow]:
        when = past.given(as_of)
        return self.store.read(lambda tx: questions.impact(tx, _uri(uri), when, revisions))

    def stale(self, uri: str | AssetURI, any_newer: bool = False,
              as_of: datetime | None = None) -> list[questions.StaleRow]:
        when = past.given(as_of)
        return self.store.read(lambda tx: questions.stale(tx, _uri(uri), any_newer, when))

    def diff(self, first: str | AssetURI, second: str | AssetURI, depth: int | None = None,
             as_of: datetime | None = None) -> list[questions.DiffRow]:
        when = past.given(as_of)
        return self.store.read(lambda tx: questions.diff(tx, _uri(first), _uri(second), depth,
                                                         when))

    def path(self, first: str | AssetURI, second: str | AssetURI,
             as_of: datetime | None = None) -> list[questions.PathStep]:
        when = past.given(as_of)
        return self.store.read(lambda tx: questions.path(tx, _uri(first), _uri(second), when))

    def evolution(self, asset: str | AssetURI,
                  as_of: datetime | None = None) -> list[questions.EvolutionStep]:
        when = past.given(as_of)
        return self.store.read(lambda tx: questions.evolution(tx, _uri(asset), when))

    def query(self, name: str, params: dict[str, str] | None = None,
              as_of: datetime | None = None) -> list[dict[str, Any]]:
        """Any read-only module of cypher/ by name, parameters as text (`legos query`)."""
        from legos import query

        given, when = query.text_params(params), past.given(as_of)
        return self.store.read(lambda tx: query.run(tx, name, given, when))

    @property
    def analytics(self) -> Analytics:
        """The whole-graph questions of legos.analytics, asked of this store:
        `lg.analytics.reuse(kind="TextureAsset")`."""
        from legos.analytics.bound import Analytics

        return Analytics(self.store)

    def events(self, since: datetime | str | None = None, after: str | None = None, *,
               project: str | None = None, limit: int | None = None) -> list[Event]:
        """Every publish, status, tag, alias, review, submission, metadata change and project
        load from `since` or after a cursor (an event's `.cursor`), oldest first
        (legos.events; `legos.events.follow` keeps following)."""
        from legos import events

        return events.events(self.store, since=since, after=after, project=project,
                             limit=limit)

    def changes(self, uri: str | AssetURI) -> list[Change]:
        """The recorded status, tag, alias, review and metadata changes of a version, oldest
        first (an asset's own metadata changes: `meta_changes`)."""
        return self.store.read(lambda tx: review.changes(tx, _uri(uri)))

    # -- metadata (legos.metadata): a URI without version or rules names the ASSET ----------
    def meta(self, uri: str | AssetURI) -> dict[str, Any]:
        """The metadata of an asset (`legos:/p/a`, `p/a`) or of a version (`?version=N`,
        `?version=latest`, or a rule such as `?status=approved`)."""
        where = metadata.target(uri)
        return self.store.read(lambda tx: metadata.of(tx, where))[1]

    def set_meta(self, uri: str | AssetURI, values: Mapping[str, Any], user: str | None = None,
                 note: str = "") -> metadata.MetaChanges:
        """Set metadata keys of an asset or a version (a version's content stays as published);
        each change is recorded ("meta:KEY", from, to, who, when)."""
        where, encoded, who = metadata.target(uri), metadata.checked(values), current_user(user)
        return self.store.write(lambda tx: metadata.set_values(tx, where, encoded, who, note))

    def unset_meta(self, uri: str | AssetURI, key: str | Iterable[str], user: str | None = None,
                   note: str = "") -> metadata.MetaChanges:
        """Remove metadata keys of an asset or a version; each removal is recorded."""
        where, who = metadata.target(uri), current_user(user)
        keys = [key] if isinstance(key, str) else list(key)
        return self.store.write(lambda tx: metadata.unset_values(tx, where, keys, who, note))

    def meta_changes(self, uri: str | AssetURI) -> metadata.MetaChanges:
        """The recorded metadata changes of an asset or a version, oldest first."""
        where = metadata.target(uri)
        return self.store.read(lambda tx: metadata.changes(tx, where))

    # -- selection --------------------------------------------------------------------------
    def select(self, uri_or_asset: str | AssetURI, selector: str | Selector) -> Version:
        """The version of an asset (a URI, or "<project>/<asset name>") a selector picks, e.g.
        `lg.select("demo/chr/skaarj/lookdev", "depends-on:legos:/demo/chr/skaarj/model?version=7")`.
        The selector decides; the URI's own version serves only `exact`."""
        uri = _uri(uri_or_asset)

        def work(tx: Any) -> Version:
            uid = selection.select_reference(tx, uri, selector)
            return catalog.versions_by_uid(tx, [uid], self.root_or_none)[uid]
        return self.store.read(work)

    def select_many(self, asset_paths: Iterable[str],
                    selector: str | Selector) -> dict[str, str]:
        """Asset path -> version uid for many assets in one pass (absent: nothing matches)."""
        if isinstance(asset_paths, str) or not isinstance(asset_paths, Iterable):
            raise InvalidInputError(f"select_many takes a list of asset paths, not {asset_paths!r}:"
                                    " e.g. ['demo/chr/skaarj/model']")
        paths = list(asset_paths)
        return self.store.read(lambda tx: selection.select_many(tx, paths, selector))

    # -- the mutable side -------------------------------------------------------------------
    def set_status(self, uri: str | AssetURI, status: str, user: str | None = None,
                   note: str = "") -> Change:
        """Set a version's status; returns the change recorded (from, to, who, when)."""
        who = current_user(user)
        return self.store.write(lambda tx: review.set_status(tx, _uri(uri), status, who, note))

    def tag(self, uri: str | AssetURI, name: str, colour: str | None = None,
            user: str | None = None) -> Tag:
        """Tag a version (the change is recorded); returns the tag with its colour."""
        who = current_user(user)
        return self.store.write(lambda tx: review.tag(tx, _uri(uri), name, who, colour))

    def set_alias(self, uri: str | AssetURI, name: str, user: str | None = None,
                  note: str = "") -> AliasMove:
        """Point the alias `name` (an exclusive tag, e.g. hero) of the URI's asset at the version
        the URI names; the move is recorded (see alias_history)."""
        who = current_user(user)
        return self.store.write(lambda tx: review.set_alias(tx, _uri(uri), name, who, note))

    def alias_history(self, asset_uri: str | AssetURI,
                      name: str | None = None) -> list[AliasMove]:
        """The moves of an asset's aliases (or of one), oldest first."""
        return self.store.read(lambda tx: review.alias_history(tx, _uri(asset_uri), name))

    def submit(self, uri: str | AssetURI, kind: str = "QCRevision", note: str = "",
               user: str | None = None) -> Revision:
        """Submit a version to dailies (its status becomes review); `review(revision.uid, ...)`
        gives the verdict."""
        who = current_user(user)
        revision_id = review.new_revision_id()  # chosen outside, so a retried write reuses it
        return self.store.write(
            lambda tx: review.submit(tx, _uri(uri), kind, note, who, revision_id))

    def review(self, revision: str, verdict: str, note: str = "",
               user: str | None = None) -> Revision:
        """Give a revision (by id) its verdict; it carries over to the submitted version."""
        who = current_user(user)
        return self.store.write(lambda tx: review.review(tx, revision, verdict, note, who))

    # -- pin sets and resolution ------------------------------------------------------------
    def pin(self, uri: str | AssetURI, *, output: str | os.PathLike[str] | None = None,
            name: str | None = None, select: str = "exact", scope: str = "",
            includes: Iterable[tuple[str, str | os.PathLike[str]]] = (),
            allow_missing: bool = False, user: str | None = None,
            force: bool = False) -> PinResult:
        """Freeze everything `uri` uses into a pin set: stored in the graph, and written as a
        manifest to `output` when given (never over an existing file unless `force`).
        `includes` nests other manifests under a scope."""
        from legos.pins import manifest as manifests, pinset

        if output is not None and not force:
            manifests.refuse_existing(output)  # before anything is recorded
        source = _uri(uri)
        who = current_user(user)
        inner = [(inner_scope, manifests.read(path)) for inner_scope, path in includes]
        result = self.store.read(lambda tx: pinset.build(
            tx, source, name=name or source.asset.replace("/", "_"), user=who,
            root=str(self.root), select=select, scope=scope, allow_missing=allow_missing,
            includes=inner))
        document = result.manifest.to_json()  # built once: hashed, recorded and written
        pinset.record(self.store, result.manifest, document["hash"])
        if output is not None:
            result.manifest.write(output, document, replace=force)
        return result

    def export_pins(self, pinset: str, output: str | os.PathLike[str] | None = None, *,
                    force: bool = False) -> Manifest:
        """Rebuild the manifest of a recorded pin set (by uid, or by name when only one has
        it) from the graph, the same document as the one first written; write it to `output`
        (never over an existing file unless `force`)."""
        from legos.pins import manifest as manifests, pinset as pinsets

        if output is not None and not force:
            manifests.refuse_existing(output)
        roots = [r for r in dict.fromkeys([str(self.root), self._setting(_ROOT_KEY)]) if r]
        manifest = self.store.read(lambda tx: pinsets.rebuild(tx, pinset, roots))
        if output is not None:
            manifest.write(output, replace=force)
        return manifest

    def resolve(self, uri: str | AssetURI) -> Resolved:
        """Resolve a URI against the store (selection rules apply): the path of its file, which
        exists (else MissingFileError names the version and the path)."""
        from legos.pins.files import check_exists, pick_file, tile_path
        from legos.pins.resolver import Resolved

        parsed = _uri(uri)
        root = self.root  # a path to hand out needs a root: ConfigError when none is set

        def work(tx: Any) -> Version:
            uid = past.start_uid(tx, parsed, None)
            return catalog.versions_by_uid(tx, [uid], root)[uid]
        version = self.store.read(work)
        files = {r.name: r.path for r in version.representations}
        name = pick_file(files, parsed.rep, parsed.asset, version.uri, version.entry)
        path = tile_path(files, name)
        check_exists(path, version.uri, str(root), root != self._recorded_root())
        return Resolved(version.uri, f"{version.project}/{version.asset}", version.number, path)

    def _recorded_root(self) -> Path | None:
        recorded = self._setting(_ROOT_KEY)
        return Path(recorded) if recorded else None

    # -- backup and moving between backends (legos.operations.archive_*) -------------------
    def export(self, output: str | os.PathLike[str], *, projects: Iterable[str] | None = None,
               with_files: bool = False) -> ExportReport:
        """Write a consistent snapshot of the graph (or of `projects`), with the published files
        when `with_files`, as an archive (docs/archive-format.md)."""
        from legos.operations.archive_export import export

        return export(self.store, output, projects=projects,
                      root=self.root if with_files else None)

    def digest(self, projects: Iterable[str] | None = None) -> str:
        """The canonical sha256 of the graph's content (or of `projects`), the same on both
        backends for the same content (docs/archive-format.md)."""
        from legos.operations.archive_export import store_digest

        return store_digest(self.store, projects)

    # -- lifetime ---------------------------------------------------------------------------
    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Legos:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _input(value: Input | tuple[str | None, str] | str) -> Input:
    if isinstance(value, Input):
        return value
    if isinstance(value, tuple):
        return Input(value[0], value[1])
    return Input(None, value)


def open(store: str | os.PathLike[str] | None = None,
         root: str | os.PathLike[str] | None = None, *, create: bool = False,
         read_only: bool | None = None) -> Legos:
    """Open a legos store (default: $LEGOS_STORE, else the embedded store in the user's data
    directory) with an optional publish-root override (the recorded root under another mount).
    Only `create=True` makes a store where there is none; then `configure(root=...)` it.
    `read_only` (None: $LEGOS_READ_ONLY) refuses every write (ReadOnlyStoreError)."""
    return Legos(open_store(store, create=create, read_only=read_only), root)


def import_archive(archive: str | os.PathLike[str], store: str | os.PathLike[str] | None = None,
                   root: str | os.PathLike[str] | None = None) -> ImportReport:
    """Import an archive (`Legos.export`) into an empty store of either backend, created when
    missing, with its files (if it holds them) under `root` (docs/archive-format.md)."""
    from legos.operations.archive_import import import_archive as run

    return run(archive, store, root)


def init(store: str | os.PathLike[str] | None = None,
         root: str | os.PathLike[str] | None = None, template: str | None = None,
         *, read_only: bool | None = None) -> Legos:
    """Create the store where there is none (or open it) and record its publish root and path
    template: what `legos init` does. An embedded store's root defaults to `<store>/publish`; a
    Neo4j store needs one. If setting up fails, a store this call created is removed again."""
    from legos.store.connect import is_neo4j_uri, resolve_location

    location = resolve_location(store)
    neo4j = is_neo4j_uri(location)
    folder = None if neo4j else Path(location).expanduser().resolve()
    before = None if folder is None or not folder.is_dir() else set(folder.iterdir())
    lg = Legos(open_store(location, create=True, read_only=read_only))  # read-only: refused
    try:
        if root is None and lg.root_or_none is None:
            if folder is None:
                raise ConfigError(f"a Neo4j store needs a publish root: pass --root DIR "
                                  f"(e.g. legos init --store {lg.store.location} --root /mnt/publish)")
            root = folder / "publish"
        lg.configure(root=root, template=template)
    except BaseException:
        created = lg.store.created
        lg.close()
        if created:
            _remove_new_store(location, folder, before)
        raise
    return lg


def _remove_new_store(location: str, folder: Path | None, before: set[Path] | None) -> None:
    """Undo a store that `init` created and could not set up: no half-made store remains."""
    import shutil

    if folder is None:
        with open_store(location, schema=False) as store:
            store.write(lambda tx: tx.query("store/drop_meta"))
        return
    if before is None:
        shutil.rmtree(folder, ignore_errors=True)
        return
    for entry in set(folder.iterdir()) - before:
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
