"""A compound search file-based pipelines cannot run: assets by kind, project, representation
format, use in shots, age, a word in the name or comments and metadata terms, every rule
optional (cypher/analytics/search.cypher, cypher/metadata/find_*.cypher)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from pydantic import BaseModel

from legos import metadata
from legos.analytics import params
from legos.store.base import Transaction
from legos.uri import format_uri


class Found(BaseModel):
    uri: str                 # the asset's URI
    project: str
    asset: str
    kind: str
    version: int             # its latest version as of the time
    uses: int                # distinct container assets (e.g. shots) holding one of its versions
    use_versions: int        # container versions holding one of its versions
    first_published: datetime


def search(tx: Transaction, project: str | None = None, kind: str | None = None,
           format: str | None = None, used_in: str = "ShotPackage",
           min_uses: int | None = 0, max_age_days: float | None = 0, word: str | None = None,
           as_of: datetime | str | None = None,
           where: Iterable[str] | str | None = None) -> list[Found]:
    """Assets of `kind` in `project`, with at least one version that has a representation of
    `format`, contained directly by versions of at least `min_uses` distinct `used_in` assets
    (e.g. shots: distinct shot assets, not shot versions), first published less than
    `max_age_days` days before the as-of time, with `word` in its name or in a version
    comment (case-insensitive), matching every metadata term of `where` ("frame_in>1000", see
    legos.metadata: on the asset's own metadata or any of its versions' by the as-of time;
    values are today's). Empty, 0 or None: no rule. Most used first."""
    at = params.moment(as_of)
    terms = metadata.parse_terms(where)
    if max_age_days is not None and (isinstance(max_age_days, bool) or max_age_days < 0):
        from legos.errors import InvalidInputError

        raise InvalidInputError(f"max age {max_age_days!r} days is not valid: give 0 (no rule) "
                                "or more")
    after = at - timedelta(days=max_age_days) if max_age_days else params.EARLIEST
    # the metadata terms first: one keyed query each, and nothing else to ask when none match
    paths = metadata.matching_assets(tx, terms, latest=False, as_of=at) if terms else None
    if paths is not None and not paths:
        return []
    rows = tx.query("analytics/search", project=params.project_rule(project),
                    kind=params.kind_rule(kind), format=(format or "").lstrip("."),
                    used_in=params.kind_rule(used_in or "ShotPackage", package=True),
                    min_uses=params.count(min_uses, "minimum uses"), published_after=after,
                    word=(word or "").lower(), as_of=at)
    return [Found(uri=format_uri(r["project"], r["asset"]), project=r["project"],
                  asset=r["asset"], kind=r["kind"], version=r["version"], uses=r["uses"],
                  use_versions=r["use_versions"],
                  first_published=r["first_published"]) for r in rows
            if paths is None or f"{r['project']}/{r['asset']}" in paths]
