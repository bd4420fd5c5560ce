"""Lineage: what a version was made from, what uses it, and what a package holds.

Each question is one query (cypher/lineage/) that returns the edges of the version's closure,
found by the engine's breadth-first expand (each version visited once, however many paths lead
to it). The walk below turns those edges into rows: every version once, at its shortest depth,
with the roles of the edges that reach it along a shortest path. Doing this last step here
keeps both backends' answers identical, ties included.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from legos import as_of as past
from legos.catalog import NO_TIME
from legos.errors import InvalidInputError
from legos.model import LineageRow, MemberRow
from legos.rows import collecting_paused, trusted
from legos.store.base import Transaction
from legos.uri import AssetURI, format_uri

MAX_DEPTH = 64  # the walk's hard bound in cypher/lineage/*.cypher


def _depth(max_depth: int | None) -> int:
    if max_depth is None:
        return MAX_DEPTH
    if not isinstance(max_depth, int) or isinstance(max_depth, bool):
        raise InvalidInputError(f"depth {max_depth!r} is not a number: give 1 or more")
    if max_depth < 1:
        raise InvalidInputError(f"depth {max_depth} is not valid: give 1 or more")
    return min(max_depth, MAX_DEPTH)


# One closure edge as read: (the version walked from, the version reached, relation, role).
Edge = tuple[str, str, str, str | None]
# The fields of a reached version, in this order (created_at as a UTC datetime).
FIELDS = ("project", "asset", "kind", "version", "status", "created_by", "created_at")
_STATUS = FIELDS.index("status")


def _closure_rows(tx: Transaction, module: str, uid: str, as_of: datetime | None
                  ) -> tuple[list[Edge], dict[str, list[Any]]]:
    """A lineage/ module's edges, and each reached version's FIELDS once (the module repeats
    them on every edge reaching the version)."""
    names, found = tx.table(module, uid=uid, as_of=as_of or NO_TIME)
    if not found:
        return [], {}
    at = {name: i for i, name in enumerate(names)}
    near, reached, relation, role = at["near"], at["uid"], at["relation"], at["role"]
    columns = [at[f] for f in FIELDS]
    edges: list[Edge] = []
    nodes: dict[str, list[Any]] = {}
    for row in found:
        target = row[reached]
        edges.append((row[near], target, row[relation], row[role]))
        if target not in nodes:
            nodes[target] = [row[i] for i in columns]
    return edges, nodes


def _shortest(start: str, edges: list[Edge], max_depth: int
              ) -> dict[str, tuple[int, list[tuple[str, str]]]]:
    """Breadth-first from `start`: each version reached -> (its shortest depth, the (role,
    relation) of every edge reaching it at that depth), in the order reached."""
    out_edges: dict[str, list[Edge]] = defaultdict(list)
    for edge in edges:
        out_edges[edge[0]].append(edge)
    reached: dict[str, tuple[int, list[tuple[str, str]]]] = {start: (0, [])}
    frontier = [start]
    level = 0
    while frontier and level < max_depth:
        level += 1
        following = []
        for near in frontier:
            for _, uid, relation, role in out_edges.get(near, ()):
                seen = reached.get(uid)
                if seen is None:
                    reached[uid] = (level, [(role or "", relation)])
                    following.append(uid)
                elif seen[0] == level:
                    seen[1].append((role or "", relation))
        frontier = following
    del reached[start]
    return reached


def row_templates(start: str, edges: list[Edge], nodes: dict[str, list[Any]],
               max_depth: int = MAX_DEPTH) -> list[dict[str, Any]]:
    """Every reached version's LineageRow fields, in answer order (depth, asset, version)."""
    out = []
    for uid, (depth, via) in _shortest(start, edges, max_depth).items():
        project, asset, kind, number, status, created_by, created_at = nodes[uid]
        if len(via) == 1:  # most versions are reached by one edge
            (role, relation), = via
            roles = [role] if role else []
        else:
            hops = sorted(set(via))
            role, relation = hops[0]
            roles = sorted({r for r, _ in hops if r})
        out.append({
            "uri": format_uri(project, asset, number), "project": project, "asset": asset,
            "kind": kind, "version": number, "status": status, "role": role or None,
            "roles": roles, "relation": relation, "depth": depth, "created_by": created_by,
            "created_at": created_at, "revision": None, "uid": uid})
    out.sort(key=lambda r: (r["depth"], r["asset"], r["version"]))
    return out


def _rows(templates: list[dict[str, Any]], max_depth: int = MAX_DEPTH,
          role: str | None = None, statuses: dict[str, str] | None = None,
          owned: bool = False) -> list[LineageRow]:
    """LineageRows of the templates within `max_depth` (with `role`, only those reached
    through it), each with its status from `statuses` where given there. `owned`: the
    templates are this call's own (not remembered), so the rows may take them as they are."""
    if role is not None and not isinstance(role, str):
        raise InvalidInputError(f"role {role!r} is not text: give a role or slot, e.g. texture")
    out = []
    for fields in templates:
        if fields["depth"] > max_depth:
            break  # in depth order
        if role and role not in fields["roles"]:
            continue
        row = fields if owned else dict(fields, roles=list(fields["roles"]))
        if statuses and fields["uid"] in statuses:
            row["status"] = statuses[fields["uid"]]
        out.append(trusted(LineageRow, row))
    return out


def walk(start: str, edges: list[dict[str, Any]], max_depth: int = MAX_DEPTH,
         role: str | None = None) -> list[LineageRow]:
    """Breadth-first over closure edges given as rows (`near` -> `uid`, relation, role and
    the reached version's FIELDS), from `start`: every version once, at its shortest depth."""
    pairs: list[Edge] = []
    nodes: dict[str, list[Any]] = {}
    for edge in edges:
        pairs.append((edge["near"], edge["uid"], edge["relation"], edge["role"]))
        nodes.setdefault(edge["uid"], [edge[f] for f in FIELDS])
    return _rows(row_templates(start, pairs, nodes, max_depth), max_depth, role, owned=True)


@dataclass(frozen=True)
class Closure:
    """A version's lineage subgraph: the start, the versions reached (rows) and the edges
    among them, each as (user uid, input uid, relation, role): what pictures are drawn from."""

    start: dict[str, Any]
    rows: list[LineageRow]
    edges: list[tuple[str, str, str, str | None]]


@collecting_paused()
def closure(tx: Transaction, uri: AssetURI, *, reverse: bool = False,
            max_depth: int | None = None, as_of: datetime | None = None) -> Closure:
    """Dependencies (or, with `reverse`, dependents) of `uri` with the edges between them."""
    uid = past.start_uid(tx, uri, as_of)
    statuses = past.statuses_at(tx, as_of)
    depth_limit = _depth(max_depth)
    if reverse:
        found, nodes = _closure_rows(tx, "lineage/dependents", uid, as_of)
        rows = _rows(row_templates(uid, found, nodes, depth_limit), depth_limit,
                     statuses=statuses, owned=True)
    else:
        found, templates = input_closure(tx, uid, as_of)
        rows = _rows(templates, depth_limit, statuses=statuses)
    kept = {r.uid for r in rows} | {uid}
    edges = [(e[1], e[0], e[2], e[3]) if reverse else e
             for e in found if e[0] in kept and e[1] in kept]
    start = tx.query("versions/get", uids=[uid])[0]
    start["status"] = statuses.get(uid, start["status"])
    return Closure(start, rows, edges)


@collecting_paused()
def input_closure(tx: Transaction, uid: str, as_of: datetime | None, current: bool = True
                  ) -> tuple[list[Edge], list[dict[str, Any]]]:
    """The dependency closure of a version: its edges (user, input, relation, role) and its
    rows' fields, in answer order (statuses as they are now). A published version's closure
    never changes, so it is read once per store (legos.memo); asking again re-reads only the
    statuses, by the same walk. Without `current`, a remembered closure comes back as it is,
    its statuses possibly old: for callers that show none (diff) or read their own (path)."""
    memo = tx.memo if as_of is None else None
    if memo is not None:
        kept = memo.get(("dependencies", uid))
        if kept is not None and not current:
            return kept
        if kept is not None:
            edges, templates = kept
            names, found = tx.table("lineage/dependency_statuses", uid=uid)
            now = dict(found) if names == ["uid", "status"] else {}
            if len(now) == len(templates) and all(t["uid"] in now for t in templates):
                return edges, [t if t["status"] == now[t["uid"]] else
                               dict(t, status=now[t["uid"]]) for t in templates]
    edges, nodes = _closure_rows(tx, "lineage/dependencies", uid, as_of)
    templates = row_templates(uid, edges, nodes)
    if memo is not None:
        memo.put(("dependencies", uid), (edges, templates), len(edges) + len(templates))
    return edges, templates


@collecting_paused()
def user_closure(tx: Transaction, uid: str, as_of: datetime | None, edges: bool = True
                 ) -> tuple[list[Edge], list[dict[str, Any]]]:
    """The dependents closure of a version: its edges (input, user, relation, role; without
    `edges`, maybe none) and its rows' fields in answer order (statuses as stored), each dict
    this call's own."""
    if as_of is None and tx.memo is not None:
        from legos.store import dependents_closure  # the engine's walk, the rest remembered

        answer = dependents_closure.user_closure(tx, uid, edges)
        if answer is not None:
            return answer
    found, nodes = _closure_rows(tx, "lineage/dependents", uid, as_of)
    return found, row_templates(uid, found, nodes)


def dependencies(tx: Transaction, uri: AssetURI, max_depth: int | None = None,
                 role: str | None = None, as_of: datetime | None = None) -> list[LineageRow]:
    uid = past.start_uid(tx, uri, as_of)
    return inputs_of(tx, uid, past.statuses_at(tx, as_of), max_depth, role, as_of)


@collecting_paused()
def inputs_of(tx: Transaction, uid: str, statuses: dict[str, str], max_depth: int | None = None,
              role: str | None = None, as_of: datetime | None = None,
              current: bool = True) -> list[LineageRow]:
    """`dependencies` of a version already selected, with statuses as of `as_of` given
    (without `current`, possibly old statuses: see input_closure)."""
    depth_limit = _depth(max_depth)
    return _rows(input_closure(tx, uid, as_of, current)[1], depth_limit, role, statuses)


@collecting_paused()
def dependents(tx: Transaction, uri: AssetURI, max_depth: int | None = None,
               role: str | None = None, revisions: bool = True,
               as_of: datetime | None = None) -> list[LineageRow]:
    """Versions and packages using `uri`, then the revisions submitting any of them."""
    uid = past.start_uid(tx, uri, as_of)
    depth_limit = _depth(max_depth)
    rows = _rows(user_closure(tx, uid, as_of, edges=False)[1], depth_limit, role,
                 past.statuses_at(tx, as_of), owned=True)
    if not revisions or role:
        return rows
    rows = rows + revision_rows(tx, uid, rows, depth_limit, as_of)
    rows.sort(key=lambda r: (r.depth, r.asset, r.version, r.revision or ""))
    return rows


def revision_rows(tx: Transaction, uid: str, rows: list[LineageRow], depth_limit: int = MAX_DEPTH,
                  as_of: datetime | None = None,
                  start: dict[str, Any] | None = None) -> list[LineageRow]:
    """The dailies revisions submitting the start version or any row: one hop past it.
    `start` is the start's versions/get row when the caller has read it already."""
    found_revisions = tx.query("lineage/revisions_downstream", uid=uid, as_of=as_of or NO_TIME)
    if not found_revisions:
        return []
    start = start or tx.query("versions/get", uids=[uid])[0]
    verdicts = past.verdicts_at(tx, as_of)
    reached = {uid: (0, start["project"], start["asset"], start["number"])}
    for r in rows:
        reached[r.uid] = (r.depth, r.project, r.asset, r.version)
    found = []
    for rev in sorted(found_revisions, key=lambda rev: rev["created_at"]):
        if rev["version_uid"] not in reached:   # beyond the rows' depth limit
            continue
        depth, project, asset, number = reached[rev["version_uid"]]
        if depth + 1 > depth_limit:
            continue
        verdict: str = rev["status"]  # typed: dict.get with an Any default reads as Optional
        found.append(LineageRow(
            uri=format_uri(project, asset, number), project=project, asset=asset,
            kind=rev["kind"], version=number,
            status=verdicts.get(rev["revision"], verdict), role="submits",
            roles=["submits"], relation="submits", depth=depth + 1,
            created_by=rev["created_by"], created_at=rev["created_at"],
            revision=rev["revision"], uid=rev["version_uid"]))
    return found


@collecting_paused()
def contents(tx: Transaction, uri: AssetURI,
             as_of: datetime | None = None) -> list[MemberRow]:
    """Members of a package version, recursively, each with the packages that hold it."""
    uid = past.start_uid(tx, uri, as_of)
    edges = tx.query("lineage/contents", uid=uid, as_of=as_of or NO_TIME)
    rows = past.with_statuses(walk(uid, edges), past.statuses_at(tx, as_of))
    uri_of = {uid: str(uri.with_version(tx.query("versions/get", uids=[uid])[0]["number"]))}
    uri_of.update({r.uid: r.uri for r in rows})
    parents: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        parents[edge["uid"]].add(uri_of[edge["near"]])
    # the walk's rows plus their parents, without validating again (see walk)
    return [MemberRow.model_construct(**dict(r), parents=sorted(parents[r.uid])) for r in rows]
