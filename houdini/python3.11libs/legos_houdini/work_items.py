"""What the legos PDG nodes do, between their work items and legos.jobs: evaluate the node's
parameters for a work item, call the job, and write what it returns back as attributes and
output files. The node classes in houdini/pdg/types only forward their callbacks here.

Attributes every item carries: legos_uri, legos_project, legos_asset, legos_version (int),
legos_kind, legos_slot, legos_package (legos.jobs.ATTRIBUTES). Output files are never owned
by a work item (`own=False`): PDG's "delete outputs" must not touch a published file.
"""

from __future__ import annotations

import glob
import json
import os
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from legos import jobs
from legos.errors import ConfigError, LegosError
from legos_houdini.pdg_api import Node, WorkItem, WorkItemHolder

if TYPE_CHECKING:
    from collections.abc import Iterator

    from legos.api import Legos

# -- node definitions -----------------------------------------------------------------------


@dataclass(frozen=True)
class Parm:
    name: str
    label: str
    type: str  # PDG template types: "String" or "Integer"
    value: str | int = ""


@dataclass(frozen=True)
class NodeDef:
    """A node type: its name in the TAB menu and its parameter template."""

    type_name: str
    label: str
    parms: tuple[Parm, ...]
    category: str = "legos"

    @property
    def template_name(self) -> str:
        return f"{self.type_name}_template"

    def template_body(self) -> str:
        """The parameter template as PyProcessor.templateBody returns it (JSON text)."""
        return json.dumps({
            "name": self.template_name, "dataType": "genericdata",
            "parameters": [{"name": p.name, "label": p.label, "type": p.type, "value": p.value}
                           for p in self.parms]})


# empty store and root: legos's own defaults ($LEGOS_STORE, $LEGOS_ROOT, the user's store)
STORE_PARMS = (Parm("legos_store", "Store", "String"), Parm("legos_root", "Publish Root", "String"),
               Parm("legos_user", "User", "String"))

GET_PACKAGE = NodeDef("legosgetpackage", "Legos Get Package", STORE_PARMS + (
    Parm("package_uri", "Package URI", "String"),
    Parm("project", "Project", "String"),
    Parm("asset", "Asset", "String"),
    Parm("status", "Status", "String"),
    Parm("tag", "Tag", "String"),
    Parm("as_of", "As Of", "String"),
    Parm("selector", "Selector", "String"),
    Parm("recursive", "Nested Packages' Members", "Integer", 1),
))

PUBLISH = NodeDef("legospublish", "Legos Publish", STORE_PARMS + (
    Parm("project", "Project", "String"),
    Parm("asset", "Asset", "String"),
    Parm("kind", "Kind", "String", "RenderAsset"),
    Parm("comment", "Comment", "String"),
    Parm("entry", "Entry File", "String"),
    Parm("dependency_attribs", "Dependency Attributes", "String", "legos_uri"),
))

INGEST_TEXTURE = NodeDef("legosingesttexture", "Legos Ingest Texture", STORE_PARMS + (
    Parm("files", "Files (without inputs)", "String"),
    Parm("project", "Project", "String"),
    Parm("prefix", "Asset Prefix", "String"),
    Parm("asset", "Asset (one texture)", "String"),
    Parm("colorspace", "Colour Space", "String"),
    Parm("ocio_config", "OCIO Config", "String"),
    Parm("format", "Format", "String", "exr"),
    Parm("comment", "Comment", "String"),
))

NODES = (GET_PACKAGE, PUBLISH, INGEST_TEXTURE)

# -- shared translation ---------------------------------------------------------------------


def text(node: Node, name: str, item: WorkItem | None) -> str:
    """A string parameter evaluated for a work item, stripped; an unexpanded $VARIABLE (not
    set in this session) is refused rather than taken as a name."""
    value = node[name].evaluateString(item, 0).strip()
    if value.startswith("$"):
        raise ConfigError(f"parameter {name} is {value!r}: that variable is not set in this "
                          "session (set it, or type the value)")
    return value


@contextmanager
def opened(node: Node, item: WorkItem | None) -> Iterator[Legos]:
    """The store the node names (empty: legos's defaults), open for one callback."""
    import legos

    lg = legos.open(text(node, "legos_store", item) or None,
                    text(node, "legos_root", item) or None)
    try:
        yield lg
    finally:
        lg.close()


_IMAGE_EXTS = {".exr", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".tx", ".hdr", ".tga"}


def file_tag(path: str) -> str:
    """The PDG file tag of a path (what TOPs filters outputs by)."""
    suffix = PurePosixPath(path).suffix.lower()
    if suffix in _IMAGE_EXTS:
        return "file/image"
    if suffix in (".usd", ".usda", ".usdc", ".usdz"):
        return "file/usd"
    return "file"


@dataclass(frozen=True)
class AttribKinds:
    """pdg.attribType.String and .Int, and pdg.attribOverwrite.Always: values that exist only
    inside Houdini, so the node files pass them in."""

    string: Any
    integer: Any
    replace: Any


def write_item(item: WorkItem, spec: jobs.ItemSpec, kinds: AttribKinds) -> None:
    """An ItemSpec onto a work item: its attributes, each made afresh (an item inherits its
    upstream item's, which may hold several values, e.g. after a partition), and its entry
    file as an output."""
    for name, value in spec.attributes().items():
        if isinstance(value, int):
            item.addAttrib(name, kinds.integer, kinds.replace)
            item.setIntAttrib(name, value, 0)
        else:
            item.addAttrib(name, kinds.string, kinds.replace)
            item.setStringAttrib(name, value, 0)
    if spec.entry is not None:
        item.addOutputFile(spec.entry, file_tag(spec.entry), 0, False)


def strings(item: WorkItem, name: str) -> list[str]:
    """A string attribute's values (none when the item lacks it)."""
    return [str(v) for v in item.attribArray(name) or ()]


def fail(item: WorkItem, error: LegosError) -> bool:
    """Report a job's failure on its work item (one line, naming the fix); False to return
    pdg.result.Failure."""
    from legos.ingest.records import one_line

    item.addError(one_line(error), False, True)
    return False


def _add(holder: WorkItemHolder, parent: WorkItem | None, options: dict[str, Any]) -> WorkItem:
    return holder.addWorkItem(**options) if parent is None else holder.addWorkItem(
        parent=parent, **options)


# -- Get Package ----------------------------------------------------------------------------


def package_query(node: Node, item: WorkItem | None) -> dict[str, Any]:
    """Get Package's parameters as legos.jobs.package_items arguments (empty: not given)."""
    def given(name: str) -> str | None:
        return text(node, name, item) or None
    return {"uri": given("package_uri"), "project": given("project"), "asset": given("asset"),
            "status": given("status"), "tag": given("tag"), "as_of": given("as_of"),
            "selector": given("selector"),
            "recursive": bool(node["recursive"].evaluateInt(item, 0))}


def generate_package_items(node: Node, holder: WorkItemHolder, upstream: Sequence[WorkItem],
                           kinds: AttribKinds, **options: Any) -> int:
    """onGenerate of Get Package: per upstream item (or once, without inputs), one work item
    per member of the package version its parameters choose. Returns how many were added;
    raises a LegosError naming the fix (the node shows it)."""
    added = 0
    parents: list[WorkItem | None] = list(upstream) or [None]
    for parent in parents:
        with opened(node, parent) as lg:
            specs = jobs.package_items(lg, **package_query(node, parent))
        for spec in specs:
            write_item(_add(holder, parent, options), spec, kinds)
            added += 1
    return added


def check_package_item(item: WorkItem) -> bool:
    """onCookTask of Get Package: the member's entry file is still there (a root unmounted
    since generation fails the item, not the render that reads it)."""
    missing = [f.path for f in item.outputFiles if not os.path.exists(f.path)]
    if missing:
        return fail(item, ConfigError(
            f"{' '.join(strings(item, 'legos_uri'))} resolves to {missing[0]}, which is not there: "
            "is the publish root mounted here? (set Publish Root, or $LEGOS_ROOT)"))
    return True


# -- Publish --------------------------------------------------------------------------------


def generate_publish_items(holder: WorkItemHolder, upstream: Sequence[WorkItem],
                           **options: Any) -> int:
    """onGenerate of Publish: one work item per upstream item (its outputs are the new
    item's inputs); the publish happens when the item cooks."""
    for parent in upstream:
        _add(holder, parent, options)
    return len(upstream)


def publish_job(node: Node, item: WorkItem) -> jobs.PublishJob:
    """What a Publish work item publishes: its input files (the upstream item's outputs), as
    the next version of the asset its parameters name, depending on the URIs in the
    attributes named by Dependency Attributes (default legos_uri)."""
    names = text(node, "dependency_attribs", item).replace(",", " ").split()
    return jobs.PublishJob(
        project=text(node, "project", item), asset=text(node, "asset", item),
        kind=text(node, "kind", item), files=tuple(f.path for f in item.inputFiles),
        dependencies=jobs.dependency_uris(v for n in names for v in strings(item, n)),
        comment=text(node, "comment", item), entry=text(node, "entry", item) or None)


def cook_publish_item(node: Node, item: WorkItem, kinds: AttribKinds) -> bool:
    """onCookTask of Publish: publish, then the item carries the new version (attributes and
    entry file) for what comes downstream. False (after addError) when it failed."""
    try:
        job = publish_job(node, item)
        with opened(node, item) as lg:
            spec = jobs.publish_item(lg, job, user=text(node, "legos_user", item) or None)
    except LegosError as exc:
        return fail(item, exc)
    write_item(item, spec, kinds)
    return True


# -- Ingest Texture -------------------------------------------------------------------------

SOURCE, FILES, ASSET = "legos_texture_source", "legos_texture_files", "legos_texture_asset"


def texture_files(node: Node, parent: WorkItem | None) -> list[str]:
    """The files to ingest: the upstream item's outputs, or without inputs the Files
    parameter (paths or glob patterns, separated by spaces)."""
    if parent is not None:
        return [f.path for f in parent.outputFiles]
    found: list[str] = []
    for pattern in text(node, "files", None).split():
        found.extend(sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern])
    return found


def generate_texture_items(node: Node, holder: WorkItemHolder, upstream: Sequence[WorkItem],
                           **options: Any) -> int:
    """onGenerate of Ingest Texture: one work item per texture (a file; a UDIM set's tiles
    are one texture), named as `legos ingest texture` names them."""
    added = 0
    parents: list[WorkItem | None] = list(upstream) or [None]
    for parent in parents:
        planned = jobs.texture_jobs(texture_files(node, parent),
                                    prefix=text(node, "prefix", parent) or None,
                                    asset=text(node, "asset", parent) or None)
        for job in planned:
            item = _add(holder, parent, options)
            item.setStringAttrib(SOURCE, job.source, 0)
            item.setStringAttrib(ASSET, job.asset, 0)
            for index, path in enumerate(job.files):
                item.setStringAttrib(FILES, path, index)
            added += 1
    return added


def texture_job(item: WorkItem) -> jobs.TextureJob:
    return jobs.TextureJob(source=strings(item, SOURCE)[0], files=tuple(strings(item, FILES)),
                           asset=strings(item, ASSET)[0])


def cook_texture_item(node: Node, item: WorkItem, kinds: AttribKinds) -> bool:
    """onCookTask of Ingest Texture: the texture step and its publish; the item then carries
    the TextureAsset version and its transcoded entry file."""
    try:
        with opened(node, item) as lg:
            spec = jobs.ingest_texture_item(
                lg, texture_job(item), project=text(node, "project", item),
                colorspace=text(node, "colorspace", item) or None,
                ocio_config=text(node, "ocio_config", item) or None,
                fmt=text(node, "format", item) or "exr", comment=text(node, "comment", item),
                user=text(node, "legos_user", item) or None)
    except LegosError as exc:
        return fail(item, exc)
    write_item(item, spec, kinds)
    return True
