"""The synthetic production (legos.testing.synthetic) as a legos archive's content: the nodes
and relationships a bulk load (legos.testing.bulk) writes, as a Snapshot, so a benchmark can
write it as an archive and import it through each backend's bulk path."""

from __future__ import annotations

from legos import folders, kept
from legos.layout import DEFAULT_TEMPLATE, relative_folder
from legos.operations.archive_tables import Snapshot, schema
from legos.testing.synthetic import CONTAINS, DEPENDS_ON, SynthGraph


def synthetic_snapshot(graph: SynthGraph) -> Snapshot:
    """What bulk_load writes for `graph`, node for node and edge for edge (no Meta)."""
    snap = Snapshot(schema_version=schema().version, meta={"path_template": DEFAULT_TEMPLATE})
    snap.nodes["Project"] = [{"code": p.code, "created_at": p.created_at}
                             for p in graph.projects]
    snap.nodes["User"] = [{"name": u.name, "created_at": u.created_at} for u in graph.users]
    snap.nodes["Asset"] = [
        {"uid": a.uid, "path": a.path, "project": a.project, "name": a.name, "kind": a.kind,
         "created_at": a.created_at, "created_by": a.created_by,
         "version_count": a.version_count, "folded": a.path.lower()} for a in graph.assets]
    snap.nodes["Version"] = [
        {"uid": v.uid, "key": v.key, "project": v.project, "asset": v.asset, "kind": v.kind,
         "number": v.number, "status": v.status, "content_hash": v.content_hash,
         "comment": v.comment, "created_by": v.created_by, "created_at": v.created_at,
         "folder": relative_folder(DEFAULT_TEMPLATE, v.project, v.asset, v.kind, v.number)}
        for v in graph.versions]
    snap.nodes["Representation"] = [
        {"uid": r.uid, "name": r.name, "path": r.path, "format": r.format, "size": r.size,
         "sha256": r.sha256} for r in graph.representations]
    asset_path = {a.uid: a.path for a in graph.assets}
    snap.rels[("IN_PROJECT", "Asset", "Project")] = [(a.path, a.project, {})
                                                     for a in graph.assets]
    snap.rels[("VERSION_OF", "Version", "Asset")] = [(v.uid, asset_path[v.asset_uid], {})
                                                     for v in graph.versions]
    snap.rels[("CREATED_BY", "Version", "User")] = [(v.uid, v.created_by, {})
                                                    for v in graph.versions]
    snap.rels[("HAS_REPRESENTATION", "Version", "Representation")] = [
        (r.version_uid, r.uid, {}) for r in graph.representations]
    snap.rels[("DEPENDS_ON", "Version", "Version")] = [
        (e.source, e.target, {"role": e.name}) for e in graph.edges if e.type == DEPENDS_ON]
    snap.rels[("CONTAINS", "Version", "Version")] = [
        (e.source, e.target, {"slot": e.name}) for e in graph.edges if e.type == CONTAINS]
    kept.fill_snapshot(snap)  # what publishing these versions would have kept
    folders.with_index(snap.nodes)  # the publish's Folder index of those versions
    return snap
