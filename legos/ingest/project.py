"""`legos ingest project`: scan an existing publish tree by its path template into an editable
plan (asset, kind, version, files, entry, dependencies), for `legos ingest apply` to publish.
Pure: reads the tree, writes only the plan; never touches the store or the originals.

    plan = make_plan("/shows/old", template="{asset}/v{version:03}/{file}", project="demo")
    plan.save("plan.json"); [r.to_json() for r in plan.records]

The plan (JSON, `"schema": "legos.ingest-plan/1"`) is documented in docs/ingest-plan.md.
Decisions: the i-th source version of an asset (by number) becomes store version i, so a tree
with v001 and v003 gives versions 1 and 2 (each record says which became which); versions
are listed dependencies first (then by asset and number; an asset's versions in number order,
as the store numbers them); a cycle, or a path into a version folder the tree lacks, fails
that item.
"""

from __future__ import annotations

import heapq
import json
import os
import re
import string
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from legos.errors import IngestError, LegosError
from legos.ingest.records import FAILED, OK, Record, one_line

SCHEMA = "legos.ingest-plan/1"
_FIELDS = ("asset", "version", "kind", "project")
_VERSION_SPEC = re.compile(r"^0?\d*d?$")
Key = tuple[str, int]   # (asset, source version number)

# What a version's files say about its kind (documents beside them say nothing)
MODEL_FORMATS = (".usd", ".usda", ".usdc", ".usdz", ".obj", ".gltf", ".glb", ".fbx", ".abc")
MATERIAL_FORMATS = (".mtlx", ".mtl")
_SIDE_FILES = (".txt", ".md", ".rst", ".pdf", ".html", ".json", ".xml", ".log", ".bin")
_GEOMETRY = {"Mesh", "Points", "BasisCurves", "NurbsCurves", "HermiteCurves", "NurbsPatch",
             "TetMesh", "PointInstancer", "Cube", "Sphere", "Cylinder", "Cone", "Capsule",
             "Plane", "Cylinder_1", "Capsule_1"}


# -- the template -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Template:
    """A path template relative to the scanned folder, as a pattern of version folders."""

    text: str
    folder: re.Pattern[str]   # matches a version folder's path relative to the tree

    def version_folder(self, relative: str) -> re.Match[str] | None:
        """The match of the first folder (from the top) of `relative` that is a version
        folder: the version segment decides, so an asset name may span several folders."""
        parts = relative.split("/")
        for i in range(1, len(parts) + 1):
            found = self.folder.fullmatch("/".join(parts[:i]))
            if found:
                return found
        return None


def parse_template(text: str, project: str) -> Template:
    """`{asset}/v{version:03}/{file}` (relative to the tree; a leading `{root}/` is dropped):
    fields {asset} (one or more folders), {version} (digits), {kind} (a folder naming the
    kind), {project} (the project's code); the template ends with `/{file}`, the files of
    the version folder with their layout."""
    example = "e.g. '{asset}/v{version:03}/{file}'"
    given = text
    text = text.removeprefix("{root}/")
    if not text.endswith("/{file}") or text.startswith("/"):
        raise IngestError(f"path template {given!r} must be relative to the folder scanned and "
                          f"end with '/{{file}}', {example}")
    folder = text[: -len("/{file}")]
    try:
        parts = list(string.Formatter().parse(folder))
    except ValueError as exc:
        raise IngestError(f"path template {given!r} does not parse ({exc}): {example}") from None
    regex, seen = "", []
    for literal, name, spec, conversion in parts:
        regex += re.escape(literal)
        if name is None:
            continue
        if name not in _FIELDS:
            raise IngestError(f"path template {given!r} uses the field {{{name}}}: use "
                              f"{', '.join('{' + f + '}' for f in _FIELDS)} and a last "
                              f"'/{{file}}', {example}")
        if name in seen:
            raise IngestError(f"path template {given!r} uses {{{name}}} twice: once, {example}")
        if conversion or (spec and not (name == "version" and _VERSION_SPEC.match(spec))):
            raise IngestError(f"path template {given!r} formats {{{name}}} as "
                              f"{{{name}{'!' + conversion if conversion else ''}:{spec}}}: only "
                              f"{{version}} takes a width, {example}")
        seen.append(name)
        regex += {"asset": r"(?P<asset>[^/]+(?:/[^/]+)*)", "version": r"(?P<version>\d+)",
                  "kind": r"(?P<kind>[^/]+)", "project": re.escape(project)}[name]
    if "asset" not in seen or "version" not in seen:
        raise IngestError(f"path template {given!r} needs {{asset}} and {{version}} so that each "
                          f"version folder is told apart, {example}")
    if "/" not in folder[folder.index("{asset"):folder.index("{version")]:
        raise IngestError(f"path template {given!r} must put {{version}} in a folder below "
                          f"{{asset}}'s, {example}")
    return Template(given, re.compile(regex))


def parse_kind_rules(rules: Iterable[str]) -> list[tuple[str, str]]:
    """`PATTERN=KIND` rules (PATTERN a glob on the asset name or the version folder's path in
    the tree, e.g. `tex/*=TextureAsset`); the first that matches decides the kind."""
    from legos.kinds import registry

    out = []
    for rule in rules:
        pattern, sep, kind = rule.rpartition("=")
        if not sep or not pattern or not kind:
            raise IngestError(f"kind rule {rule!r} is not PATTERN=KIND: e.g. 'tex/*=TextureAsset'")
        registry.get(kind.strip())  # an unknown kind names the known ones
        out.append((pattern.strip(), kind.strip()))
    return out


# -- the plan ----------------------------------------------------------------------------------
@dataclass
class Plan:
    """An editable plan: its JSON document and one record per version."""

    data: dict[str, Any]
    records: list[Record] = field(default_factory=list)

    def save(self, path: str | os.PathLike[str]) -> Path:
        return write_plan(self.data, path)


def make_plan(folder: str | os.PathLike[str], *, template: str, project: str,
              kind_rules: Iterable[str] = ()) -> Plan:
    """Scan `folder` by `template` into a plan for `project`. Raises for a bad template, rule,
    project or folder; a version that cannot be published as found is a failed record."""
    from legos.model import validate_project_code

    validate_project_code(project)
    parsed = parse_template(template, project)
    rules = parse_kind_rules(kind_rules)
    root = Path(folder).expanduser()
    if not root.is_dir():
        what = "is not a folder" if root.exists() else "does not exist"
        raise IngestError(f"the tree to ingest {str(root)!r} {what}: give the folder the path "
                          "template starts from")
    root = root.resolve()
    reader = _Reader()  # each file read once per plan (kind guess, then dependencies)
    scan = _Scan(root, parsed)
    scan.walk(root, "")
    items = scan.items
    for item in [*items.values(), *scan.duplicates]:
        _describe(item, rules, reader)
    for item in items.values():
        if item["error"] is None:
            _dependencies(item, items, parsed, root, reader)
    ordered = order(items.values())
    data: dict[str, Any] = {
        "schema": SCHEMA, "project": project, "root": str(root), "template": template,
        "kind_rules": [f"{p}={k}" for p, k in rules],
        "versions": [_public(items[key]) for key in ordered]
        + [_public(item) for item in scan.duplicates],
        "unmatched": scan.unmatched}
    return Plan(data, [plan_record(item, project) for item in data["versions"]])


def plan_record(item: dict[str, Any], project: str) -> Record:
    """What the plan says about one version: ok (to publish) or failed (with why)."""
    error = item.get("error")
    number = item.get("store_version") or 0
    return Record(item.get("folder") or item["asset"], FAILED if error else OK,
                  uri=f"legos:/{project}/{item['asset']}?version={number}" if number else None,
                  kind=item.get("kind"), error=error,
                  extra={"asset": item["asset"], "source_version": item["version"],
                         "version": item["store_version"], "entry": item.get("entry"),
                         "dependencies": item.get("dependencies", []),
                         "notes": item.get("notes", [])})


_KEYS = ("asset", "version", "store_version", "kind", "kind_from", "folder", "files", "entry",
         "dependencies", "notes", "error")


def _public(item: dict[str, Any]) -> dict[str, Any]:
    return {k: item[k] for k in _KEYS}


class _Scan:
    """The version folders of a tree, found top-down: the first folder matching the
    template's folder pattern is a version, everything below it its files."""

    def __init__(self, root: Path, template: Template) -> None:
        self.root, self.template = root, template
        self.items: dict[Key, dict[str, Any]] = {}
        self.duplicates: list[dict[str, Any]] = []   # a second folder for one version
        self.unmatched: list[str] = []   # files and folders outside every version folder

    def walk(self, folder: Path, prefix: str) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            self.unmatched.append(f"{prefix or '.'}/ (cannot read: {exc.strerror})")
            return
        for entry in entries:
            relative = prefix + entry.name
            is_dir = entry.is_dir()  # follows a link
            found = self.template.folder.fullmatch(relative) if is_dir else None
            if found:
                self.add(found, Path(entry.path), relative, entry.is_symlink())
            elif entry.name.startswith("."):
                self.unmatched.append(relative + ("/ (hidden: not scanned)" if is_dir else ""))
            elif is_dir and entry.is_symlink():
                self.unmatched.append(f"{relative}/ (a symlink to {os.readlink(entry.path)}: "
                                      "not followed)")
            elif is_dir:
                self.walk(Path(entry.path), relative + "/")
            else:
                self.unmatched.append(relative)

    def add(self, found: re.Match[str], path: Path, relative: str, is_link: bool) -> None:
        from legos import files as filestore
        from legos.model import validate_asset_name

        asset, number = found["asset"], int(found["version"])
        item: dict[str, Any] = {
            "asset": asset, "version": number, "store_version": 0, "kind": None,
            "kind_from": None, "folder": str(path), "relative": relative, "files": [],
            "entry": None, "dependencies": [], "notes": [], "error": None,
            "kind_folder": found.groupdict().get("kind")}
        key = (asset, number)
        if key in self.items:  # v1 and v001: both fail, neither is guessed right
            other = self.items[key]
            other["error"] = item["error"] = (
                f"{other['relative']} and {relative} are both version {number} of {asset}: "
                "keep one (move the other out of the tree) and plan again")
            self.duplicates.append(item)
            return
        self.items[key] = item
        try:
            validate_asset_name(asset)
            if is_link:
                raise IngestError(f"{relative} is a symlink to {os.readlink(path)}, not a "
                                  "version folder of its own: not ingested")
            sources = filestore.collect([path])
        except LegosError as exc:
            item["error"] = one_line(exc)
            return
        item["files"] = [{"source": str(s.source), "name": s.name}
                         for s in sorted(sources, key=lambda s: s.name)]


class _Reader:
    """read_references, once per file."""

    def __init__(self) -> None:
        self.found: dict[Path, Any] = {}

    def __call__(self, path: Path) -> Any:
        from legos.ingest.project_refs import read_references

        if path not in self.found:
            self.found[path] = read_references(path)
        return self.found[path]


def _describe(item: dict[str, Any], rules: list[tuple[str, str]], reader: _Reader) -> None:
    """The kind (rule, then a {kind} folder naming one, then the files) and the entry."""
    from legos.entry import EntryError, choose
    from legos.files import SourceFile
    from legos.kinds import registry

    rule = next(((p, k) for p, k in rules if fnmatchcase(item["asset"], p)
                 or fnmatchcase(item["relative"], p)), None)
    known = {k.name.lower(): k.name for k in registry.all()}
    folder_kind = item["kind_folder"]
    if rule is not None:
        item["kind"], item["kind_from"] = rule[1], f"rule {rule[0]}={rule[1]}"
    elif folder_kind and folder_kind.lower() in known:
        item["kind"], item["kind_from"] = known[folder_kind.lower()], "template"
    else:
        item["kind"], why = guess_kind([Path(f["source"]) for f in item["files"]], reader)
        item["kind_from"] = f"files: {why}"
        if folder_kind:
            item["notes"].append(f"the kind folder {folder_kind!r} names no kind: guessed from "
                                 "the files (a --kind-rule can say)")
    sources = [SourceFile(Path(f["source"]), f["name"]) for f in item["files"]]
    try:
        item["entry"] = choose(sources, item["asset"], None, item["kind"])
    except EntryError as exc:
        item["notes"].append(f"no entry: {one_line(exc)}; set \"entry\" in the plan")


def guess_kind(files: Sequence[Path], reader: Any = None) -> tuple[str, str]:
    """(kind, why) from the files: model formats make a ModelAsset (a USD layer defining
    materials and no geometry a MaterialAsset), MaterialX/MTL a MaterialAsset, images only
    a TextureAsset, anything else a FileAsset. Documents beside them do not count."""
    from legos.ingest.usd_asset import is_image

    suffixes = {p.suffix.lower() for p in files
                if p.suffix and not p.name.startswith(".") and p.suffix.lower() not in _SIDE_FILES}
    models = sorted(suffixes & set(MODEL_FORMATS))
    if models:
        if set(models) <= {".usd", ".usda", ".usdc"} and _usd_defines_only_materials(
                files, reader or _Reader()):
            return "MaterialAsset", "USD layers defining materials and no geometry"
        return "ModelAsset", "model files (" + ", ".join(models) + ")"
    materials = sorted(suffixes & set(MATERIAL_FORMATS))
    if materials:
        return "MaterialAsset", "material files (" + ", ".join(materials) + ")"
    if suffixes and all(is_image("x" + s) for s in suffixes):
        return "TextureAsset", "images only"
    return "FileAsset", "no model, material or image files"


def _usd_defines_only_materials(files: Sequence[Path], reader: Any) -> bool:
    from legos.ingest.project_refs import USD_LAYERS

    types: set[str] = set()
    for path in files:
        if path.suffix.lower() in USD_LAYERS:
            found = reader(path)
            if found.notes:
                return False  # cannot tell: the model guess stands
            types |= found.prim_types
    return "Material" in types and not types & _GEOMETRY


def _dependencies(item: dict[str, Any], items: dict[Key, dict[str, Any]], template: Template,
                  root: Path, reader: _Reader) -> None:
    """Paths the version's files name inside another version folder of the tree, as
    {role, asset, version}; a path into a version the tree lacks fails the item."""
    from legos.ingest.project_refs import joined_role, reads_references
    from legos.kinds import registry

    roles: dict[Key, set[str | None]] = {}
    via: dict[Key, list[str]] = {}
    own = Path(item["folder"])
    for file in item["files"]:
        if not reads_references(file["name"]):
            continue
        found = reader(Path(file["source"]))
        item["notes"] += found.notes
        for ref in found.references:
            shown = f"{file['name']} names {ref.text!r}"
            try:
                relative = Path(ref.path).relative_to(root).as_posix()
            except ValueError:
                item["notes"].append(f"{shown}, outside the tree: not a dependency")
                continue
            target = template.version_folder(relative)
            if target is None:
                item["notes"].append(f"{shown}, in no version folder of the tree: not a "
                                     "dependency")
                continue
            key = (target["asset"], int(target["version"]))
            exists = "<UDIM>" in ref.path or os.path.exists(ref.path)
            if Path(root, target.group(0)) == own:
                if not exists:
                    item["notes"].append(f"{shown}, which does not exist")
                continue
            if key not in items:
                item["error"] = (f"{shown}: version {key[1]} of {key[0]}, which the tree does "
                                 "not have: add it, or change the path")
                continue
            if not exists:
                item["notes"].append(f"{shown}, which does not exist in version {key[1]} of "
                                     f"{key[0]}")
            roles.setdefault(key, set()).add(ref.role)
            via.setdefault(key, []).append(f"{file['name']}: {ref.text}")
    for key in sorted(roles):
        named = roles[key]
        target_kind = items[key]["kind"]
        if None in named or not named:  # a layer, material file or buffer: the kind's role
            role = registry.get(target_kind).default_role if target_kind in {
                k.name for k in registry.all()} else "source"
        else:
            role = joined_role({r for r in named if r})
        item["dependencies"].append({"role": role, "asset": key[0], "version": key[1],
                                     "via": sorted(set(via[key]))})


# -- the order ----------------------------------------------------------------------------------
def order(items: Iterable[dict[str, Any]]) -> list[Key]:
    """The keys of `items` dependencies first, then by asset and number; an asset's versions
    in number order (the store numbers them so). Sets `store_version` (the i-th source version
    of an asset becomes version i); an item in a cycle, or waiting on one, fails."""
    by_key = {(i["asset"], i["version"]): i for i in items}
    previous: dict[Key, Key] = {}   # an asset's versions publish in number order
    ranks: dict[str, int] = {}
    last: Key | None = None
    for key in sorted(by_key):
        ranks[key[0]] = ranks.get(key[0], 0) + 1
        by_key[key]["store_version"] = ranks[key[0]]
        if last is not None and last[0] == key[0]:
            previous[key] = last
        last = key
    needs = {key: _needs(key, item, by_key, previous) for key, item in by_key.items()}
    waiting = {key: len(n) for key, n in needs.items()}
    users: dict[Key, list[Key]] = {}
    for key, wanted in needs.items():
        for other in wanted:
            users.setdefault(other, []).append(key)
    ready = [key for key, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    out: list[Key] = []
    while ready:
        key = heapq.heappop(ready)
        out.append(key)
        for user in users.get(key, []):
            waiting[user] -= 1
            if waiting[user] == 0:
                heapq.heappush(ready, user)
    stuck = sorted(set(by_key) - set(out))
    for key in stuck:
        cycle = _cycle_from(key, needs, set(stuck))
        where = "is in" if key in cycle else "waits on"
        text = " -> ".join(f"{a} v{n:03}" for a, n in cycle)
        item = by_key[key]
        item["error"] = item.get("error") or (
            f"{where} a dependency cycle ({text}; an asset's versions publish in number order): "
            "remove a dependency from the plan")
    return out + stuck


def _needs(key: Key, item: dict[str, Any], by_key: dict[Key, dict[str, Any]],
           previous: dict[Key, Key]) -> set[Key]:
    wanted = {(d["asset"], d["version"]) for d in item.get("dependencies") or []}
    if key in previous:
        wanted.add(previous[key])
    return {k for k in wanted if k in by_key and k != key}


def _cycle_from(start: Key, needs: dict[Key, set[Key]], stuck: set[Key]) -> list[Key]:
    path = [start]
    while True:
        step = min(k for k in needs[path[-1]] if k in stuck)
        if step in path:
            return path[path.index(step):] + [step]
        path.append(step)


# -- reading and writing plans -------------------------------------------------------------------
def write_plan(data: dict[str, Any], path: str | os.PathLike[str]) -> Path:
    """Write the plan whole or not at all (a temporary file renamed into place)."""
    target = Path(path).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".plan-", suffix=".json", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, indent=2)
            stream.write("\n")
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise
    return target


def load_plan(source: str | os.PathLike[str] | dict[str, Any]) -> dict[str, Any]:
    """A plan from its file (or its document), checked field by field: a bad one is one line
    naming the file, the field and what it must be."""
    shown = "the plan"
    if isinstance(source, dict):
        data: Any = source
    else:
        path = Path(source).expanduser()
        shown = f"plan {str(path)!r}"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise IngestError(f"{shown} does not exist: write one with `legos ingest project "
                              "DIR --template T --project P -o PLAN.json`") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise IngestError(f"{shown} cannot be read: {one_line(str(exc))}") from None
        except json.JSONDecodeError as exc:
            raise IngestError(f"{shown} is not JSON (line {exc.lineno}, column {exc.colno}: "
                              f"{exc.msg})") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        found = data.get("schema") if isinstance(data, dict) else type(data).__name__
        raise IngestError(f"{shown} is not a {SCHEMA} plan (schema {found!r}): write one with "
                          "`legos ingest project`")
    _field(shown, data, "project", str, "")
    _field(shown, data, "versions", list, "")
    for i, item in enumerate(data["versions"]):
        where = f"versions[{i}]"
        if not isinstance(item, dict):
            raise IngestError(f"{shown}: {where} must be an object")
        _field(shown, item, "asset", str, where)
        _field(shown, item, "version", int, where)
        _field(shown, item, "kind", str, where)
        _field(shown, item, "files", list, where)
        for j, file in enumerate(item["files"]):
            if not (isinstance(file, dict) and isinstance(file.get("source"), str)
                    and isinstance(file.get("name"), str)):
                raise IngestError(f"{shown}: {where}.files[{j}] must be "
                                  "{\"source\": PATH, \"name\": NAME}")
            name = file["name"]
            if not name or name.startswith("/") or "\\" in name or any(
                    part in ("", ".", "..") for part in name.split("/")):
                raise IngestError(f"{shown}: {where}.files[{j}].name {name!r} must be a path "
                                  "inside the version folder ('/'-separated, no '..')")
        for j, dep in enumerate(item.get("dependencies") or []):
            if not (isinstance(dep, dict) and isinstance(dep.get("role"), str)
                    and isinstance(dep.get("asset"), str) and _is_int(dep.get("version"))):
                raise IngestError(f"{shown}: {where}.dependencies[{j}] must be "
                                  "{\"role\": ROLE, \"asset\": NAME, \"version\": N}")
        for name in ("entry", "error"):
            if item.get(name) is not None and not isinstance(item[name], str):
                raise IngestError(f"{shown}: {where}.{name} must be text or null")
    return data


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _field(shown: str, data: dict[str, Any], name: str, kind: type, where: str) -> None:
    value = data.get(name)
    ok = _is_int(value) if kind is int else isinstance(value, kind)
    if not ok:
        place = f"{where}.{name}" if where else name
        raise IngestError(f"{shown}: {place} must be {kind.__name__} "
                          f"({'missing' if value is None else f'got {value!r}'[:60]})")
