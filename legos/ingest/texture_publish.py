"""`legos ingest texture`: image files become the next versions of TextureAssets.

Each file (or UDIM set) is transcoded by the texture step (legos.ingest.texture, in parallel
with `jobs`), then published in this process: the transcoded texture is the entry, the
untouched source is kept under `source/`, the thumbnail beside, image facts per file and the
transcode's provenance (cache key, tool versions, colour decision) on the version. A bad file is
a failed record; the others go on.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from legos.errors import IngestError, LegosError
from legos.ingest.records import SKIPPED, Record, failed

if TYPE_CHECKING:
    from legos.api import Legos

KIND = "TextureAsset"


def _asset_names(items: list[Any], prefix: str | None, asset: str | None) -> list[str]:
    from legos.ingest.texture import UdimSet

    if asset is not None:
        if len(items) != 1:
            raise IngestError(f"--asset names one texture, but {len(items)} were given: use "
                              "--prefix PATH to name each after its file")
        return [asset]
    if not prefix:
        raise IngestError("say where the textures go: --prefix PATH (each named after its "
                          "file) or --asset PATH (one texture)")
    stems = [item.stem if isinstance(item, UdimSet) else Path(item).stem for item in items]
    return [f"{prefix.rstrip('/')}/{stem}" for stem in stems]


def _source_of(item: Any) -> str:
    from legos.ingest.texture import UdimSet

    return str(item.pattern if isinstance(item, UdimSet) else item)


def ingest_textures(lg: Legos, files: list[str | os.PathLike[str]], *, project: str,
                    prefix: str | None = None, asset: str | None = None,
                    colorspace: str | None = None,
                    ocio_config: str | os.PathLike[str] | None = None, fmt: str = "exr",
                    jobs: int | None = 1, dry_run: bool = False, comment: str = "",
                    user: str | None = None) -> list[Record]:
    """One record per texture (a UDIM set is one): its URI, colour decision and whether an
    earlier transcode was reused; never raises for bad input."""
    from legos.ingest.runner import transcode_many
    from legos.ingest.texture import group_udims

    items = group_udims([str(f) for f in files])
    try:
        names = _asset_names(items, prefix, asset)
    except LegosError as exc:
        return [failed(_source_of(item), exc, KIND) for item in items] or [
            failed(", ".join(map(str, files)) or "(no files)", exc, KIND)]
    if dry_run:
        return [_would(lg, item, project, name, colorspace, ocio_config)
                for item, name in zip(items, names, strict=True)]
    with tempfile.TemporaryDirectory(prefix="legos-textures-") as work:
        paths = [str(f) for f in files]
        settings: dict[str, Any] = {"colorspace": colorspace, "ocio_config": ocio_config,
                                    "fmt": fmt}
        try:
            outcomes = transcode_many(paths, Path(work) / "out", jobs=jobs, **settings)
        except BrokenProcessPool:  # workers could not start (e.g. a script read from stdin)
            outcomes = transcode_many(paths, Path(work) / "out", in_process=True, **settings)
        return [_publish(lg, outcome, project, name, Path(work) / f"v{i:04d}", comment, user)
                for i, (outcome, name) in enumerate(zip(outcomes, names, strict=True))]


def _would(lg: Legos, item: Any, project: str, name: str, colorspace: str | None,
           ocio_config: str | os.PathLike[str] | None) -> Record:
    """What a real run would do, from the header and the colour rules alone."""
    from legos.ingest.colour import decide
    from legos.ingest.texture import _FLOATS, UdimSet, probe

    source = _source_of(item)
    try:
        first = next(iter(item.tiles.values())) if isinstance(item, UdimSet) else Path(item)
        facts, tag = probe(first)
        decision = decide(Path(source), is_float=facts.pixel_type in _FLOATS,
                          colorspace=colorspace, ocio_config=ocio_config, header_colorspace=tag,
                          file_format=facts.file_format)
    except LegosError as exc:
        return failed(source, exc, KIND)
    return Record(source, uri=f"legos:/{project}/{name}", kind=KIND,
                  extra={"colorspace": decision.to_dict(), "dry_run": True})


def _publish(lg: Legos, outcome: Any, project: str, name: str, folder: Path, comment: str,
             user: str | None) -> Record:
    """Publish one transcoded texture (or UDIM set) the way USD and model ingest publish
    theirs (legos.ingest.usd_publish.publish_prepared): the texture its entry, the source
    under source/, the thumbnail beside."""
    from legos.ingest.usd_publish import PreparedTexture, publish_prepared

    if not outcome.ok:
        return failed(outcome.source, outcome.error, KIND)
    result = outcome.result
    colour = result.colour.to_dict()
    layout = result.layout()
    for published, (path, _role, _facts) in layout.items():
        target = folder / published
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)  # cache entries are read-only: a link costs nothing
        except OSError:
            shutil.copyfile(path, target)
    provenance = dict(getattr(result, "provenance", {}) or {})
    if not provenance:  # a UDIM set: its tiles' provenance
        provenance = {"tiles": {str(n): t.provenance for n, t in result.tiles.items()}}
    prepared = PreparedTexture(
        files=[str(folder)], entry=result.texture.name,
        thumbnail=str(result.thumbnail) if result.thumbnail else None,
        facts={n: f.to_dict() for n, (_p, _r, f) in layout.items()},
        provenance={**provenance, "colorspace": colour, "source": outcome.source,
                    "reused": result.reused},
        colorspace=colour)
    record = Record(outcome.source, kind=KIND, extra={"reused": result.reused})
    started = datetime.now(timezone.utc)
    version = publish_prepared(lg, prepared, record, project=project, asset=name,
                               provenance={"ingest": "texture"},
                               comment=comment or f"ingested {Path(outcome.source).name}",
                               user=user)
    record.extra.setdefault("colorspace", colour)
    if version is not None and version.created_at < started:
        record.status = SKIPPED
        record.extra["note"] = "already published with the same content: nothing new"
    return record
