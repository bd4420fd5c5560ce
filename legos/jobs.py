"""Jobs of pipeline task graphs (Houdini PDG, a farm's job scripts): a package version's
members as items, files published as the next version, textures ingested one item each.

DCC-neutral and free of any task-graph API: the Houdini nodes (houdini/) only translate
between their work items and these functions, so every decision here runs in the tests.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from legos import as_of as past, catalog, lineage, selection
from legos.errors import IngestError, InvalidInputError, LegosError
from legos.kinds import registry
from legos.model import MemberRow, Version
from legos.selection import Selector
from legos.uri import AssetURI, parse_reference, parse_uri

if TYPE_CHECKING:
    from legos.api import Legos
    from legos.ingest.records import Record

# the work-item attributes an item carries (ItemSpec.attributes)
ATTRIBUTES = ("legos_uri", "legos_project", "legos_asset", "legos_version", "legos_kind",
              "legos_slot", "legos_package")


@dataclass(frozen=True)
class ItemSpec:
    """One version as a work item carries it: its URI, its asset, its number and kind, the
    path of its entry file (a UDIM set as `name.<UDIM>.ext`; None for a version without
    files), and for a package member its slot and the package version holding it."""

    uri: str
    project: str
    asset: str
    version: int
    kind: str
    entry: str | None
    slot: str | None = None
    package: str | None = None

    @property
    def asset_path(self) -> str:
        return f"{self.project}/{self.asset}"

    def attributes(self) -> dict[str, str | int]:
        """The item's attributes by name (ATTRIBUTES); text is never None (PDG has no null)."""
        return {"legos_uri": self.uri, "legos_project": self.project,
                "legos_asset": self.asset, "legos_version": self.version,
                "legos_kind": self.kind, "legos_slot": self.slot or "",
                "legos_package": self.package or ""}


def entry_path(version: Version, root: Path) -> str | None:
    """The path of a version's entry file under `root` (checked to exist), None without files."""
    from legos.pins.files import check_exists, pick_file, tile_path

    files = {r.name: r.path for r in version.representations}
    if not files:
        return None
    name = pick_file(files, None, version.asset, version.uri, version.entry)
    path = tile_path(files, name)
    check_exists(path, version.uri, str(root))
    return path


def spec_of(version: Version, root: Path, slot: str | None = None,
            package: str | None = None) -> ItemSpec:
    return ItemSpec(uri=version.uri, project=version.project, asset=version.asset,
                    version=version.number, kind=version.kind,
                    entry=entry_path(version, root), slot=slot, package=package)


# -- Get Package ----------------------------------------------------------------------------


def package_reference(uri: str | AssetURI | None = None, *, project: str | None = None,
                      asset: str | None = None, version: int | None = None,
                      status: str | None = None, tag: str | None = None) -> AssetURI:
    """The package a node names: a URI (with its own rules), or a project and asset with at
    most one of version, status and tag (none: the latest)."""
    given = [n for n, v in (("version", version), ("status", status), ("tag", tag)) if v]
    if uri:
        if project or asset or given:
            raise InvalidInputError(
                f"name the package either by URI ({uri}) or by project and asset with "
                f"version/status/tag, not both")
        return parse_reference(uri)
    if not project or not asset:
        raise InvalidInputError("name the package: a URI (legos:/demo/chr/skaarj/lookdev"
                                "?status=approved), or a project and an asset")
    if len(given) > 1:
        raise InvalidInputError(f"choose the package version by one rule, not {' and '.join(given)}")
    wanted = AssetURI(project=project, asset=asset, version=version or None,
                      status=status or None, tag=tag or None)
    return parse_uri(str(wanted))  # its checks name any bad part


def package_items(lg: Legos, uri: str | AssetURI | None = None, *, project: str | None = None,
                  asset: str | None = None, version: int | None = None,
                  status: str | None = None, tag: str | None = None,
                  as_of: datetime | str | None = None, selector: str | Selector | None = None,
                  recursive: bool = True) -> list[ItemSpec]:
    """One item per member of a package version (nested packages' members too, when
    `recursive`; a nested package itself is then left out unless it holds files), each with
    its entry file's path. The version is the one the URI or the rules pick, as the graph
    stood at `as_of` when given (statuses as they were then); or the one `selector` picks
    (e.g. "approved", "tag:hero", "depends-on:URI")."""
    reference = package_reference(uri, project=project, asset=asset, version=version,
                                  status=status, tag=tag)
    when = past.given(as_of)
    if selector is not None and when is not None:
        raise InvalidInputError("as_of and a selector do not combine: put the time in the "
                                "selector (at:2026-03-01T18:00:00Z) or drop the selector")
    if selector is not None and (reference.version or reference.status or reference.tag
                                 or reference.at):
        raise InvalidInputError(f"{reference} names its own rule: give a selector or the "
                                "rule, not both")
    root = lg.root

    def work(tx: Any) -> list[ItemSpec]:
        if selector is not None:
            uid = selection.select_reference(tx, reference, selector)
        else:
            uid = past.start_uid(tx, reference, when)
        package = catalog.versions_by_uid(tx, [uid], root)[uid]
        if not registry.get(package.kind).is_package:
            raise InvalidInputError(
                f"{package.uri} is a {package.kind}, not a package: Get Package lists a "
                "package's members (for one asset, use its URI directly)")
        rows = lineage.contents(tx, reference.with_version(package.number), when)
        if not recursive:
            rows = [r for r in rows if r.depth == 1]
        versions = catalog.versions_by_uid(tx, sorted({r.uid for r in rows}), root) if rows else {}
        return [spec_of(versions[r.uid], root, r.role, _holder(r, package.uri))
                for r in _ordered(rows, versions, recursive)]
    return lg.store.read(work)


def _holder(row: MemberRow, package: str) -> str:
    """The package version holding a member: the nearest one (several when shared: the
    first by name)."""
    return sorted(row.parents)[0] if row.parents else package


def _ordered(rows: list[MemberRow], versions: dict[str, Version],
             recursive: bool) -> list[MemberRow]:
    """Members in a stable order (depth, then slot and URI); with `recursive`, a nested
    package without files is left out: its members stand for it."""
    def keep(row: MemberRow) -> bool:
        version = versions[row.uid]
        return not (recursive and registry.get(version.kind).is_package
                    and not version.representations)
    return sorted((r for r in rows if keep(r)), key=lambda r: (r.depth, r.role or "", r.uri))


# -- Publish --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishJob:
    """What one work item publishes: its files as the next version of an asset, depending on
    the versions its upstream items name."""

    project: str
    asset: str
    kind: str
    files: tuple[str, ...]
    dependencies: tuple[str, ...] = ()
    comment: str = ""
    entry: str | None = None


def dependency_uris(values: Iterable[Any]) -> tuple[str, ...]:
    """Upstream attribute values as dependency URIs: text only, stripped, empties dropped,
    each once, in order."""
    out: dict[str, None] = {}
    for value in values:
        if not isinstance(value, str):
            raise InvalidInputError(f"dependency {value!r} is not a legos URI: an attribute "
                                    "such as legos_uri holds text like legos:/demo/tex/a?version=2")
        text = value.strip()
        if text:
            out[text] = None
    return tuple(out)


def publish_item(lg: Legos, job: PublishJob, *, user: str | None = None,
                 skip_unchanged: bool = False) -> ItemSpec:
    """Publish one job; raises a LegosError naming the fix (no files, a missing file, an
    unknown dependency)."""
    if not job.files:
        raise InvalidInputError(
            f"nothing to publish as {job.project}/{job.asset}: the work item has no output "
            "files (connect a node that writes files, e.g. a ROP Fetch)")
    missing = [f for f in job.files if not os.path.exists(f)]
    if missing:
        raise InvalidInputError(
            f"{len(missing)} of the files to publish as {job.project}/{job.asset} do not "
            f"exist, e.g. {missing[0]}: cook the upstream work item first")
    version = lg.publish(job.project, job.asset, kind=job.kind, files=list(job.files),
                         dependencies=list(job.dependencies), comment=job.comment, user=user,
                         entry=job.entry, skip_unchanged=skip_unchanged)
    return spec_of(version, lg.root)


def publish_items(lg: Legos, jobs: Iterable[PublishJob], *,
                  user: str | None = None) -> list[Record]:
    """Each job published on its own: one record per job; a failed one says why and the
    others go on."""
    from legos.ingest.records import Record, failed

    records = []
    for job in jobs:
        where = f"{job.project}/{job.asset}"
        try:
            item = publish_item(lg, job, user=user)
        except LegosError as exc:
            records.append(failed(where, exc, job.kind))
            continue
        records.append(Record(where, uri=item.uri, kind=item.kind,
                              extra={"entry": item.entry}))
    return records


# -- Ingest Texture -------------------------------------------------------------------------


@dataclass(frozen=True)
class TextureJob:
    """One texture to ingest: a file, or the tiles of a UDIM set (`source` is then its
    `name.<UDIM>.ext` pattern), and the TextureAsset it becomes."""

    source: str
    files: tuple[str, ...]
    asset: str


def texture_jobs(files: Iterable[str | os.PathLike[str]], *, prefix: str | None = None,
                 asset: str | None = None) -> list[TextureJob]:
    """One job per texture, as `legos ingest texture` groups them (a UDIM set is one), named
    `prefix/<file stem>`, or `asset` for a single texture. Reads no file."""
    from legos.ingest.texture import UdimSet, group_udims
    from legos.ingest.texture_publish import _asset_names

    items = group_udims([os.fspath(f) for f in files])
    if not items:
        raise InvalidInputError("no texture files given: connect a node whose work items have "
                                "image files as outputs (e.g. File Pattern)")
    names = _asset_names(items, prefix, asset)
    jobs = []
    for item, name in zip(items, names, strict=True):
        if isinstance(item, UdimSet):
            jobs.append(TextureJob(str(item.pattern), tuple(str(t) for t in item.tiles.values()),
                                   name))
        else:
            jobs.append(TextureJob(str(item), (str(item),), name))
    return jobs


def ingest_texture_item(lg: Legos, job: TextureJob, *, project: str,
                        colorspace: str | None = None,
                        ocio_config: str | os.PathLike[str] | None = None, fmt: str = "exr",
                        comment: str = "", user: str | None = None) -> ItemSpec:
    """Ingest one texture (the texture step: transcoded entry, source kept, thumbnail, facts)
    as the next version of its TextureAsset, or the latest when its content is unchanged;
    raises IngestError with the step's reason when it fails."""
    (record,) = lg.ingest_texture(list(job.files), project=project, asset=job.asset,
                                  colorspace=colorspace or None, ocio_config=ocio_config or None,
                                  fmt=fmt, comment=comment, user=user)
    if record.failed or record.uri is None:
        raise IngestError(f"{job.source}: {record.error}")
    return spec_of(lg.show(record.uri), lg.root)
