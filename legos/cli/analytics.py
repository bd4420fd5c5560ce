"""The analytics commands: `legos analytics similar|shared|iteration|reuse|users|search|
communities`, thin shells over legos.analytics."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import click

from legos.cli import output
from legos.cli.base import CommandContext, as_of_option, cli, command

if TYPE_CHECKING:
    from legos.api import Legos

T = TypeVar("T")


@cli.group("analytics")
def analytics_group() -> None:
    """Questions about the whole graph: similar and shared packages, iteration times,
    reuse, users, compound search and communities of assets.

    \b
    Example:
      legos analytics similar --project show01 --top 5
      legos analytics reuse --kind TextureAsset --json
    """


def _project(fn: Callable) -> Callable:
    return click.option("--project", default="", metavar="P",
                        help="Only this project (default: every project).")(fn)


def _top(default: int) -> Callable:
    return click.option("--top", default=default, show_default=True,
                        type=click.IntRange(min=0), help="How many rows, best first (0: all).")


def _window(fn: Callable) -> Callable:
    fn = click.option("--until", metavar="TIME", help="Only versions created at or before "
                      "this UTC time (default: the as-of time).")(fn)
    return click.option("--since", metavar="TIME", help="Only versions created at or after "
                        "this UTC time, e.g. 2026-03-01.")(fn)


def _ask(ctx: CommandContext, question: Callable[[Legos], T]) -> T:
    with ctx.open() as lg:
        return question(lg)


def _days(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds / 86400:.1f}"


def _pairs_cmd(ctx: CommandContext, which: str, project: str, kind: str, top: int,
               as_of: Any) -> None:
    rows = _ask(ctx, lambda lg: (lg.analytics.similar if which == "similar"
                                 else lg.analytics.shared)(project, kind, top, as_of))
    if ctx.as_json:
        output.emit_json(rows)
        return
    output.table(None, ("package", "other package", "shared", "jaccard", "shared assets"),
                 [(r.uri, r.other_uri, f"{r.shared} of {r.members}/{r.other_members}",
                   f"{r.jaccard:.3f}", ", ".join(a.removeprefix(f"legos:/{r.project}/")
                                                 for a in r.shared_assets))
                  for r in rows])


@command(analytics_group, "similar")
@_project
@click.option("--kind", default="", help="Only packages of this kind, e.g. ShotPackage.")
@_top(10)
@as_of_option
def similar_cmd(ctx: CommandContext, project: str, kind: str, top: int, as_of: Any) -> None:
    """Pairs of packages with the most similar contents: Jaccard index of the member assets
    of their latest versions.

    \b
    Example:
      legos analytics similar --project show01 --kind ShotPackage --top 5
    """
    _pairs_cmd(ctx, "similar", project, kind, top, as_of)


@command(analytics_group, "shared")
@_project
@click.option("--kind", default="", help="Only packages of this kind, e.g. CharacterPackage.")
@_top(10)
@as_of_option
def shared_cmd(ctx: CommandContext, project: str, kind: str, top: int, as_of: Any) -> None:
    """Pairs of packages sharing the most assets, with the shared assets listed.

    \b
    Example:
      legos analytics shared --project show01 --top 5 --json
    """
    _pairs_cmd(ctx, "shared", project, kind, top, as_of)


@command(analytics_group, "iteration")
@click.argument("uri", required=False)
@click.option("--by", type=click.Choice(["asset", "kind", "user", "version"]), default="asset",
              show_default=True, help="Mean per asset, kind or user; or every version.")
@_project
@click.option("--kind", default="", help="Only versions of assets of this kind.")
@_window
@_top(20)
@as_of_option
def iteration_cmd(ctx: CommandContext, uri: str | None,
                  by: Literal["asset", "kind", "user", "version"], project: str, kind: str,
                  since: str | None, until: str | None, top: int, as_of: Any) -> None:
    """How long a complete iteration takes: from the creation of the earliest input (at any
    depth) to the version. With URI, that version's; else the mean per asset, kind or user
    of the versions published in the window (longest first). On big graphs narrow it with
    --project, --kind or --since: each version's inputs are walked.

    \b
    Example:
      legos analytics iteration 'legos:/show01/seq010/sh0010/pkg?version=3'
      legos analytics iteration --by kind --since 2026-03-01 --until 2026-04-01
    """
    if uri:
        one = _ask(ctx, lambda lg: lg.analytics.iteration(uri, as_of))
        if ctx.as_json:
            output.emit_json([one])
        else:
            output.fields([("uri", one.uri), ("inputs", one.inputs),
                           ("earliest input", one.earliest_uri),
                           ("earliest at", one.earliest_at), ("created at", one.created_at),
                           ("iteration (days)", _days(one.seconds))])
        return
    if by == "version":
        rows = _ask(ctx, lambda lg: lg.analytics.iterations(project, kind, since, until, as_of))
        rows = sorted(rows, key=lambda r: -(r.seconds or 0))[:top or None]
        if ctx.as_json:
            output.emit_json(rows)
        else:
            output.table(None, ("uri", "kind", "created_by", "inputs", "days"),
                         [(r.uri, r.kind, r.created_by, r.inputs, _days(r.seconds))
                          for r in rows])
        return
    means = _ask(ctx, lambda lg: lg.analytics.iteration_means(by, project, kind, since, until,
                                                              as_of, top))
    if ctx.as_json:
        output.emit_json(means)
    else:
        output.table(None, (by, "versions", "mean days", "min days", "max days"),
                     [(m.uri or m.group, m.versions, _days(m.mean_seconds),
                       _days(m.min_seconds), _days(m.max_seconds)) for m in means])


@command(analytics_group, "reuse")
@_project
@click.option("--kind", default="", help="Only assets of this kind, e.g. TextureAsset.")
@click.option("--by", type=click.Choice(["assets", "versions"]), default="assets",
              show_default=True, help="Rank by distinct using assets or using versions.")
@_top(10)
@as_of_option
def reuse_cmd(ctx: CommandContext, project: str, kind: str, by: Literal["assets", "versions"],
              top: int,
              as_of: Any) -> None:
    """The most reused assets: how many other assets (and versions) depend on or contain
    any version of each, directly.

    \b
    Example:
      legos analytics reuse --project show01 --kind TextureAsset --top 20
    """
    rows = _ask(ctx, lambda lg: lg.analytics.reuse(project, kind, by, top, as_of))
    if ctx.as_json:
        output.emit_json(rows)
    else:
        output.table(None, ("uri", "kind", "latest", "using assets", "using versions"),
                     [(r.uri, r.kind, r.version, r.user_assets, r.user_versions)
                      for r in rows])


@command(analytics_group, "users")
@_project
@_window
@_top(0)
@as_of_option
def users_cmd(ctx: CommandContext, project: str, since: str | None, until: str | None,
              top: int, as_of: Any) -> None:
    """Each user's output (versions published, per kind) and collaborators (users whose
    versions use each other's), over a window.

    \b
    Example:
      legos analytics users --project show01 --since 2026-03-01 --top 10
    """
    rows = _ask(ctx, lambda lg: lg.analytics.users(project, since, until, as_of, top))
    if ctx.as_json:
        output.emit_json(rows)
    else:
        output.table(None, ("user", "versions", "per kind", "collaborators (edges)"),
                     [(u.user, u.versions, ", ".join(f"{k} {n}" for k, n in u.kinds.items()),
                       ", ".join(f"{c.user} ({c.edges})" for c in u.collaborators[:5]))
                      for u in rows])


@command(analytics_group, "search")
@_project
@click.option("--kind", default="", help="Only assets of this kind, e.g. CharacterPackage.")
@click.option("--format", "fmt", default="", metavar="F",
              help="With a version that has a representation of this format, e.g. usd.")
@click.option("--used-in", default="ShotPackage", show_default=True, metavar="KIND",
              help="The container kind --min-uses counts.")
@click.option("--min-uses", default=0, type=click.IntRange(min=0),
              help="Held (directly) by versions of at least N distinct --used-in assets.")
@click.option("--max-age", "max_age", default=0.0, type=click.FloatRange(min=0), metavar="D",
              help="First published less than D days before the as-of time.")
@click.option("--word", default="", help="With WORD in its name or in a version comment "
              "(case-insensitive).")
@click.option("--where", "where", multiple=True, metavar="TERM",
              help="A metadata term: KEY=VALUE, KEY<N, KEY>N, KEY<=N, KEY>=N or KEY~TEXT, on "
                   "the asset's metadata or any of its versions'. Repeatable (all must hold).")
@as_of_option
def search_cmd(ctx: CommandContext, project: str, kind: str, fmt: str, used_in: str,
               min_uses: int, max_age: float, word: str, where: tuple[str, ...],
               as_of: Any) -> None:
    """Assets matching every rule given: kind, project, representation format, use in
    shots, age, a word in its name or comments, and metadata terms. Most used first.

    \b
    Example:
      legos analytics search --project show01 --kind CharacterPackage --format usd \\
        --min-uses 3 --max-age 30 --word notes
      legos analytics search --kind ShotPackage --where frame_in'>='1001 --where fps=24
    """
    rows = _ask(ctx, lambda lg: lg.analytics.search(project, kind, fmt, used_in, min_uses,
                                                  max_age, word, as_of, where))
    if ctx.as_json:
        output.emit_json(rows)
    else:
        output.table(None, ("uri", "kind", "latest", f"{used_in} assets", "versions",
                            "first published"),
                     [(r.uri, r.kind, r.version, r.uses, r.use_versions, r.first_published)
                      for r in rows])


@command(analytics_group, "communities")
@_project
@click.option("--seed", default=0, show_default=True, help="Seed of the Louvain method.")
@click.option("--resolution", default=1.0, show_default=True, type=float,
              help="Louvain resolution: above 1 gives smaller communities.")
@click.option("--min-size", default=2, show_default=True, type=click.IntRange(min=1),
              help="Leave out communities smaller than this.")
@_top(10)
@as_of_option
def communities_cmd(ctx: CommandContext, project: str, seed: int, resolution: float,
                    min_size: int, top: int, as_of: Any) -> None:
    """Communities of assets that travel together: Louvain (networkx) on the graph of assets
    joined by how many packages hold both. Needs the `analytics` extra (networkx).

    \b
    Example:
      legos analytics communities --project show01 --top 5 --seed 1
    """
    rows = _ask(ctx, lambda lg: lg.analytics.communities(
        project, as_of, seed=seed, resolution=resolution, top=top, min_size=min_size))
    if ctx.as_json:
        output.emit_json(rows)
    else:
        output.table(None, ("community", "size", "uri", "kind", "latest", "packages"),
                     [(r.community, r.size, r.uri, r.kind, r.version, r.packages)
                      for r in rows])
