"""A seeded, production-shaped legos graph as plain data, and its networkx lineage baseline.

`generate(size=1.0)` gives about 100k nodes and 500k edges: shows > sequences > shots whose
ShotPackage versions contain character packages, prop lookdevs, a set (an AssetPackage of
props), camera, animation, fx, light rig and render settings, with renders and comps built on
them; characters and props whose lookdev packages hold a model, materials and look bindings;
materials built on textures shared across many of them (so shot closures are full of
diamonds). Every asset gets several versions over a simulated production, and each version
depends only on versions published before it, with inputs that churn from version to version.

The same `(size, seed)` always gives the same graph, uids and timestamps included.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cached_property
from itertools import accumulate
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx

DEFAULT_SEED = 20261120
DEPENDS_ON = "DEPENDS_ON"
CONTAINS = "CONTAINS"

# The production is simulated in rounds (think: weeks); in each round the assets that publish
# do so bottom-up (textures before materials before lookdevs before shots), so every input an
# asset picks already exists, and created_at grows with every version.
ROUNDS = 20
_START = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
_PRODUCTION_SECONDS = 120 * 86400

# Totals at size 1.0 (scaled linearly; each show keeps a minimum so tiny sizes stay shaped).
_SHOWS = 3
_PER_SIZE = {
    "characters": 150, "props": 420, "texture_sets": 300, "hdrs": 24, "sets": 45,
    "sequences": 45, "shots": 1000, "users": 60,
}
_MINIMUM = {"characters": 2, "props": 3, "texture_sets": 3, "hdrs": 1, "sets": 1,
            "sequences": 1, "shots": 2, "users": 4}

# How many versions each kind of asset gets over the production (inclusive ranges).
_VERSIONS = {
    "TextureAsset": (2, 6), "ModelAsset": (3, 9), "HdrAsset": (1, 2),
    "RenderSettingsAsset": (1, 3), "CameraAsset": (1, 4), "MaterialAsset": (3, 9),
    "LightRigAsset": (2, 5), "LookBindingAsset": (2, 6), "LookDevPackage": (3, 9),
    "CharacterPackage": (2, 7), "ShotPackage": (6, 16), "RenderAsset": (3, 8),
    "FileAsset": (2, 7), "AssetPackage": (3, 8),
}
# The level orders publishes inside a round: an asset depends only on lower levels.
_LEVEL = {
    "TextureAsset": 0, "ModelAsset": 0, "HdrAsset": 0, "RenderSettingsAsset": 0,
    "CameraAsset": 0, "plate": 0, "MaterialAsset": 1, "LightRigAsset": 1, "rig": 1,
    "LookBindingAsset": 2, "LookDevPackage": 3, "CharacterPackage": 4, "AssetPackage": 4,
    "anim": 5, "fx": 6, "ShotPackage": 7, "RenderAsset": 8, "comp": 9,
}
# (file name, probability that a version has it): a few representations, not one per version
_FILES = {
    "TextureAsset": ("{leaf}.tx", 0.6), "ModelAsset": ("model.usd", 0.5),
    "HdrAsset": ("env.exr", 1.0), "CameraAsset": ("camera.abc", 0.5),
    "RenderAsset": ("{leaf}.exr", 0.8), "FileAsset": ("{leaf}.usd", 0.3),
}
_STATUSES = (("published", 55), ("approved", 20), ("review", 10), ("wip", 5),
             ("needs_changes", 5), ("deprecated", 3), ("rejected", 2))
_COMMENTS = ("first pass", "fix seams", "client notes", "update uvs", "tweak spec",
             "new topology", "lighting notes", "rebuild after ingest", "dailies feedback",
             "final polish", "match reference", "optimise")

_CHARACTER_NAMES = ("skaarj", "mira", "rex", "olwen", "tobo", "kira", "gorm", "ysolde", "brann",
                    "pip", "azra", "dunmore", "lio", "nessa", "quill", "ragna", "sable", "tibor")
_PROP_NAMES = ("chair", "lamp", "crate", "sword", "barrel", "table", "door", "rock", "tree",
               "cart", "shield", "lantern", "bench", "bottle", "rope")
_FAMILIES = ("fabric", "metal", "wood", "stone", "leather", "skin", "plastic", "rust", "moss",
             "concrete", "glass", "paint")
_LIB_CHANNELS = ("albedo", "roughness", "normal")
_CHR_CHANNELS = ("albedo", "roughness", "normal", "displacement", "specular", "sss", "coat",
                 "mask")
_CHR_PARTS = ("skin", "cloth", "eyes", "hair", "teeth", "nails", "armor")
_PRP_CHANNELS = ("albedo", "roughness", "normal")
_PRP_PARTS = ("base", "trim", "detail")
_HDR_NAMES = ("sky", "studio", "interior", "dusk")
_SET_NAMES = ("forest", "castle", "harbour", "market", "cave", "bridge", "tavern", "desert")

# Churn between consecutive versions of an asset, and pinning an older input version.
_P_SWAP, _P_ADD, _P_DROP, _P_PIN_OLDER = 0.25, 0.1, 0.1, 0.15


@dataclass(frozen=True, slots=True)
class SynthProject:
    code: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SynthUser:
    name: str
    created_at: datetime


@dataclass(slots=True)
class SynthAsset:
    uid: str
    project: str
    name: str
    kind: str
    created_at: datetime | None = None    # set by its first version, as a publish does
    created_by: str | None = None
    version_count: int = 0

    @property
    def path(self) -> str:
        return f"{self.project}/{self.name}"

    @property
    def uri(self) -> str:
        return f"legos:/{self.project}/{self.name}"


@dataclass(frozen=True, slots=True)
class SynthVersion:
    uid: str
    asset_uid: str
    project: str
    asset: str          # the asset's name (without the project), as Version.asset in legos
    kind: str
    number: int
    status: str
    created_by: str
    created_at: datetime
    content_hash: str
    comment: str

    @property
    def key(self) -> str:
        return f"{self.project}/{self.asset}@{self.number}"

    @property
    def uri(self) -> str:
        return f"legos:/{self.project}/{self.asset}?version={self.number}"


@dataclass(frozen=True, slots=True)
class SynthRepresentation:
    uid: str
    version_uid: str
    name: str
    path: str           # relative to the publish root, by the default path template
    format: str
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class SynthEdge:
    """A lineage edge between versions: DEPENDS_ON (name is the role) or CONTAINS (slot)."""

    source: str
    target: str
    type: str
    name: str


@dataclass
class SynthGraph:
    size: float
    seed: int
    projects: list[SynthProject]
    users: list[SynthUser]
    assets: list[SynthAsset]
    versions: list[SynthVersion]          # in publish order (created_at increasing)
    representations: list[SynthRepresentation]
    edges: list[SynthEdge]                # DEPENDS_ON and CONTAINS, in publish order

    @cached_property
    def version_by_uid(self) -> dict[str, SynthVersion]:
        return {v.uid: v for v in self.versions}

    @cached_property
    def asset_by_uid(self) -> dict[str, SynthAsset]:
        return {a.uid: a for a in self.assets}

    @cached_property
    def versions_by_asset(self) -> dict[str, list[SynthVersion]]:
        """Each asset's versions by number."""
        out: dict[str, list[SynthVersion]] = {}
        for v in self.versions:
            out.setdefault(v.asset_uid, []).append(v)
        for versions in out.values():
            versions.sort(key=lambda v: v.number)
        return out

    def assets_of_kind(self, kind: str) -> list[SynthAsset]:
        return [a for a in self.assets if a.kind == kind]

    def latest_versions(self, kind: str) -> list[SynthVersion]:
        """The latest version of every asset of one kind."""
        return [self.versions_by_asset[a.uid][-1] for a in self.assets_of_kind(kind)]

    def counts(self) -> dict[str, int]:
        """Nodes by label and relationships by type, as bulk_load writes them, with totals."""
        edge_types = Counter(e.type for e in self.edges)
        out = {
            "Project": len(self.projects), "User": len(self.users), "Asset": len(self.assets),
            "Version": len(self.versions), "Representation": len(self.representations),
            "IN_PROJECT": len(self.assets), "VERSION_OF": len(self.versions),
            "CREATED_BY": len(self.versions), "HAS_REPRESENTATION": len(self.representations),
            DEPENDS_ON: edge_types[DEPENDS_ON], CONTAINS: edge_types[CONTAINS],
        }
        out["nodes"] = sum(out[k] for k in ("Project", "User", "Asset", "Version",
                                            "Representation"))
        out["edges"] = sum(out[k] for k in ("IN_PROJECT", "VERSION_OF", "CREATED_BY",
                                            "HAS_REPRESENTATION", DEPENDS_ON, CONTAINS))
        return out


# -- generation ------------------------------------------------------------------------------

@dataclass(slots=True)
class _Input:
    type: str          # DEPENDS_ON or CONTAINS
    name: str          # role or slot
    asset_uid: str


@dataclass
class _Plan:
    """How one asset publishes: when, and from which inputs (which churn between versions)."""

    asset: SynthAsset
    level: int
    rounds: frozenset[int]
    inputs: list[_Input]
    pool: list[_Input]          # alternatives a later version may swap in or add
    owner: str
    min_inputs: int = 1
    file: tuple[str, float] | None = None


class _Builder:
    def __init__(self, size: float, seed: int) -> None:
        if not size > 0:
            raise ValueError(f"size must be positive, not {size!r}")
        self.size = size
        self.seed = seed
        self.rng = random.Random(seed)
        self.clock = _START
        # about four months of production whatever the size: ~66k versions at size 1.0
        self.step = max(2, round(_PRODUCTION_SECONDS * 2 / (66_000 * size)))
        self.plans: list[_Plan] = []
        self.users: list[str] = []
        self.versions: list[SynthVersion] = []
        self.edges: list[SynthEdge] = []
        self.representations: list[SynthRepresentation] = []
        self.published: dict[str, list[str]] = {}   # asset uid -> version uids by number

    # -- helpers ---------------------------------------------------------------------------
    def uid(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def total(self, what: str, shows: int) -> int:
        return max(_MINIMUM.get(what, 1) * shows, round(_PER_SIZE[what] * self.size))

    def plan(self, project: str, name: str, kind: str, *, level: str | None = None,
             inputs: Iterable[_Input] = (), pool: Iterable[_Input] = (),
             min_inputs: int = 1) -> _Plan:
        rng = self.rng
        low, high = _VERSIONS[kind]
        count = rng.randint(low, high)
        rounds = frozenset([0, *rng.sample(range(1, ROUNDS), count - 1)])
        leaf = name.rsplit("/", 1)[-1]
        file = _FILES.get(kind)
        plan = _Plan(
            asset=SynthAsset(uid=self.uid(), project=project, name=name, kind=kind),
            level=_LEVEL[level or kind], rounds=rounds, inputs=list(inputs), pool=list(pool),
            owner=rng.choice(self.users), min_inputs=min_inputs,
            file=(file[0].format(leaf=leaf), file[1]) if file else None,
        )
        self.plans.append(plan)
        return plan

    # -- the production --------------------------------------------------------------------
    def build(self) -> SynthGraph:
        rng = self.rng
        shows = max(1, round(_SHOWS * self.size))
        self.users = [f"artist{i:03d}" for i in range(1, self.total("users", 1) + 1)]
        self.users.append("svc-ingest")
        totals = {k: self.total(k, shows) for k in _PER_SIZE if k != "users"}
        codes = [f"show{i:02d}" for i in range(1, shows + 1)]
        for index, code in enumerate(codes):
            share = {k: totals[k] // shows + (1 if index < totals[k] % shows else 0)
                     for k in totals}
            self.build_show(code, share)
        by_level: dict[int, list[_Plan]] = {}
        for plan in self.plans:
            by_level.setdefault(plan.level, []).append(plan)
        for rnd in range(ROUNDS):
            for level in sorted(by_level):
                batch = [p for p in by_level[level] if rnd in p.rounds]
                rng.shuffle(batch)
                for plan in batch:
                    self.publish(plan)
        return self.finish()

    def build_show(self, code: str, share: dict[str, int]) -> None:
        rng = self.rng
        # Shared library textures; a few are very popular (Zipf-like), which makes diamonds
        # and large impact sets.
        library: list[_Plan] = []
        for i in range(share["texture_sets"]):
            family = _FAMILIES[i % len(_FAMILIES)]
            for channel in _LIB_CHANNELS:
                library.append(self.plan(code, f"lib/tex/{family}_{i:03d}/{channel}",
                                         "TextureAsset"))
        order = library[:]
        rng.shuffle(order)
        popularity = list(accumulate(1.0 / (rank + 1) ** 0.9 for rank in range(len(order))))

        def library_inputs(count: int) -> list[_Input]:
            picked: dict[str, _Plan] = {}
            while len(picked) < min(count, len(order)):
                plan = rng.choices(order, cum_weights=popularity)[0]
                picked[plan.asset.uid] = plan
            return [_Input(DEPENDS_ON, "texture", p.asset.uid) for p in picked.values()]

        hdrs = [self.plan(code, f"lib/hdr/{_HDR_NAMES[i % len(_HDR_NAMES)]}_{i:02d}",
                          "HdrAsset") for i in range(share["hdrs"])]

        characters = []
        for i in range(share["characters"]):
            name = f"{_CHARACTER_NAMES[i % len(_CHARACTER_NAMES)]}_{i:03d}"
            characters.append((name, self.build_lookdev(
                code, f"chr/{name}", _CHR_CHANNELS[:rng.randint(4, len(_CHR_CHANNELS))],
                _CHR_PARTS[:rng.randint(2, 5)], library_inputs, (2, 5), character=True)))
        props = []
        for i in range(share["props"]):
            name = f"{_PROP_NAMES[i % len(_PROP_NAMES)]}_{i:03d}"
            props.append((name, self.build_lookdev(
                code, f"prp/{name}", _PRP_CHANNELS[:rng.randint(1, 3)],
                _PRP_PARTS[:rng.randint(1, 2)], library_inputs, (1, 3), character=False)))

        sets = []
        for i in range(share["sets"]):
            name = f"{_SET_NAMES[i % len(_SET_NAMES)]}_{i:02d}"
            ground = self.build_lookdev(code, f"env/{name}/ground", _PRP_CHANNELS,
                                        _PRP_PARTS[:2], library_inputs, (1, 4), character=False)
            dressing = rng.sample(props, min(len(props), rng.randint(8, 20)))
            members = [_Input(CONTAINS, "ground", ground["lookdev"].asset.uid)] + [
                _Input(CONTAINS, prop, plans["lookdev"].asset.uid) for prop, plans in dressing]
            sets.append(self.plan(
                code, f"env/{name}/set", "AssetPackage", inputs=members,
                pool=[_Input(CONTAINS, prop, plans["lookdev"].asset.uid)
                      for prop, plans in rng.sample(props, min(len(props), 10))],
                min_inputs=len(members) - 3))

        shots_left = share["shots"]
        for s in range(share["sequences"]):
            seq = f"seq{(s + 1) * 10:03d}"
            chosen = rng.sample(hdrs, min(len(hdrs), rng.randint(1, 2)))
            rig = self.plan(code, f"{seq}/lgt/rig", "LightRigAsset",
                            inputs=[_Input(DEPENDS_ON, "hdr", h.asset.uid) for h in chosen],
                            pool=[_Input(DEPENDS_ON, "hdr", h.asset.uid) for h in hdrs])
            settings = self.plan(code, f"{seq}/render_settings", "RenderSettingsAsset")
            locations = rng.sample(sets, min(len(sets), 2))
            count = shots_left // (share["sequences"] - s)
            shots_left -= count
            for n in range(count):
                self.build_shot(code, f"{seq}/sh{(n + 1) * 10:04d}", characters, props,
                                rng.choice(locations), rig, settings, library_inputs)

    def build_lookdev(self, code: str, base: str, channels: Sequence[str],
                      parts: Sequence[str], library_inputs: Any, library_range: tuple[int, int],
                      character: bool) -> dict[str, _Plan]:
        rng = self.rng
        model = self.plan(code, f"{base}/model", "ModelAsset")
        textures = [self.plan(code, f"{base}/tex/{c}", "TextureAsset") for c in channels]
        own = [_Input(DEPENDS_ON, "texture", t.asset.uid) for t in textures]
        materials = []
        for part in parts:
            mine = rng.sample(own, rng.randint(1, min(4, len(own))))
            shared = library_inputs(rng.randint(*library_range))
            materials.append(self.plan(code, f"{base}/mtl/{part}", "MaterialAsset",
                                       inputs=mine + shared, pool=own + library_inputs(4)))
        look = self.plan(code, f"{base}/look", "LookBindingAsset",
                         inputs=[_Input(DEPENDS_ON, "model", model.asset.uid)]
                         + [_Input(DEPENDS_ON, "material", m.asset.uid) for m in materials],
                         min_inputs=len(materials) + 1)
        lookdev = self.plan(code, f"{base}/lookdev", "LookDevPackage",
                            inputs=[_Input(CONTAINS, "model", model.asset.uid),
                                    _Input(CONTAINS, "look", look.asset.uid)]
                            + [_Input(CONTAINS, m.asset.name.rsplit("/", 1)[-1], m.asset.uid)
                               for m in materials],
                            min_inputs=len(materials) + 2)
        out = {"model": model, "lookdev": lookdev}
        if character:
            rig = self.plan(code, f"{base}/rig", "FileAsset", level="rig",
                            inputs=[_Input(DEPENDS_ON, "model", model.asset.uid)])
            out["rig"] = rig
            out["package"] = self.plan(code, f"{base}/pkg", "CharacterPackage",
                                       inputs=[_Input(CONTAINS, "lookdev", lookdev.asset.uid),
                                               _Input(CONTAINS, "rig", rig.asset.uid)],
                                       min_inputs=2)
        return out

    def build_shot(self, code: str, base: str, characters: list[tuple[str, dict[str, _Plan]]],
                   props: list[tuple[str, dict[str, _Plan]]], location: _Plan,
                   light_rig: _Plan, settings: _Plan, library_inputs: Any) -> None:
        rng = self.rng
        cast = rng.sample(characters, min(len(characters), rng.randint(2, 6)))
        set_dressing = rng.sample(props, min(len(props), rng.randint(4, 10)))
        camera = self.plan(code, f"{base}/cam", "CameraAsset")
        plate = self.plan(code, f"{base}/plate", "FileAsset", level="plate")
        anim = self.plan(
            code, f"{base}/anim", "FileAsset", level="anim",
            inputs=[_Input(DEPENDS_ON, "rig", c["rig"].asset.uid) for _, c in cast]
            + [_Input(DEPENDS_ON, "model", p["model"].asset.uid) for _, p in set_dressing[:2]]
            + [_Input(DEPENDS_ON, "camera", camera.asset.uid),
               _Input(DEPENDS_ON, "plate", plate.asset.uid)],
            pool=[_Input(DEPENDS_ON, "rig", c["rig"].asset.uid) for _, c in characters],
            min_inputs=3)
        members = ([_Input(CONTAINS, name, c["package"].asset.uid) for name, c in cast]
                   + [_Input(CONTAINS, name, p["lookdev"].asset.uid) for name, p in set_dressing]
                   + [_Input(CONTAINS, "set", location.asset.uid),
                      _Input(CONTAINS, "camera", camera.asset.uid),
                      _Input(CONTAINS, "anim", anim.asset.uid),
                      _Input(CONTAINS, "light_rig", light_rig.asset.uid),
                      _Input(CONTAINS, "render_settings", settings.asset.uid)])
        if rng.random() < 0.5:
            fx = self.plan(code, f"{base}/fx", "FileAsset", level="fx",
                           inputs=[_Input(DEPENDS_ON, "source", anim.asset.uid),
                                   *library_inputs(2)])
            members.append(_Input(CONTAINS, "fx", fx.asset.uid))
        extras = rng.sample(props, min(len(props), 6))
        package = self.plan(code, f"{base}/pkg", "ShotPackage", inputs=members,
                            pool=[_Input(CONTAINS, name, p["lookdev"].asset.uid)
                                  for name, p in extras],
                            min_inputs=len(members) - 2)
        render = self.plan(code, f"{base}/render/beauty", "RenderAsset",
                           inputs=[_Input(DEPENDS_ON, "shot", package.asset.uid),
                                   _Input(DEPENDS_ON, "render_settings", settings.asset.uid),
                                   _Input(DEPENDS_ON, "light_rig", light_rig.asset.uid),
                                   _Input(DEPENDS_ON, "camera", camera.asset.uid),
                                   _Input(DEPENDS_ON, "anim", anim.asset.uid)],
                           min_inputs=5)
        self.plan(code, f"{base}/comp", "RenderAsset", level="comp",
                  inputs=[_Input(DEPENDS_ON, "render", render.asset.uid),
                          _Input(DEPENDS_ON, "plate", plate.asset.uid),
                          _Input(DEPENDS_ON, "camera", camera.asset.uid)],
                  min_inputs=3)

    # -- publishing one version ------------------------------------------------------------
    def churn(self, plan: _Plan) -> None:
        rng = self.rng
        current = {i.asset_uid for i in plan.inputs}
        fresh = [i for i in plan.pool if i.asset_uid not in current]
        roll = rng.random()
        if fresh and roll < _P_SWAP and len(plan.inputs) > 0:
            # swap an input for an alternative of the same role
            position = rng.randrange(len(plan.inputs))
            same = [i for i in fresh if i.name == plan.inputs[position].name
                    and i.type == plan.inputs[position].type]
            if same:
                plan.inputs[position] = rng.choice(same)
        elif fresh and roll < _P_SWAP + _P_ADD:
            plan.inputs.append(rng.choice(fresh))
        elif roll < _P_SWAP + _P_ADD + _P_DROP and len(plan.inputs) > plan.min_inputs:
            plan.inputs.pop(rng.randrange(len(plan.inputs)))

    def publish(self, plan: _Plan) -> None:
        rng = self.rng
        asset = plan.asset
        if asset.version_count:
            self.churn(plan)
        self.clock += timedelta(seconds=rng.randint(1, self.step))
        number = asset.version_count + 1
        uid = self.uid()
        user = plan.owner if rng.random() < 0.75 else rng.choice(self.users)
        status = rng.choices([s for s, _ in _STATUSES], [w for _, w in _STATUSES])[0]
        version = SynthVersion(
            uid=uid, asset_uid=asset.uid, project=asset.project, asset=asset.name,
            kind=asset.kind, number=number, status=status, created_by=user,
            created_at=self.clock, content_hash=hashlib.sha256(uid.encode()).hexdigest(),
            comment=f"{rng.choice(_COMMENTS)} (v{number})")
        if number == 1:
            asset.created_at, asset.created_by = version.created_at, user
        asset.version_count = number
        self.versions.append(version)
        for item in plan.inputs:
            existing = self.published[item.asset_uid]
            pick_older = len(existing) > 1 and rng.random() < _P_PIN_OLDER
            target = rng.choice(existing[:-1]) if pick_older else existing[-1]
            self.edges.append(SynthEdge(uid, target, item.type, item.name))
        self.published.setdefault(asset.uid, []).append(uid)
        if plan.file and rng.random() < plan.file[1]:
            name = plan.file[0]
            self.representations.append(SynthRepresentation(
                uid=self.uid(), version_uid=uid, name=name,
                path=f"{asset.project}/{asset.name}/v{number:03}/{name}",
                format=name.rsplit(".", 1)[-1], size=rng.randint(10_000, 400_000_000),
                sha256=hashlib.sha256(f"{uid}/{name}".encode()).hexdigest()))

    def finish(self) -> SynthGraph:
        assets = [p.asset for p in self.plans]
        first_by_project: dict[str, datetime] = {}
        for a in assets:
            assert a.created_at is not None  # every asset publishes in round 0
            if a.project not in first_by_project or a.created_at < first_by_project[a.project]:
                first_by_project[a.project] = a.created_at
        first_by_user: dict[str, datetime] = {}
        for v in self.versions:
            first_by_user.setdefault(v.created_by, v.created_at)
        return SynthGraph(
            size=self.size, seed=self.seed,
            projects=[SynthProject(c, t) for c, t in sorted(first_by_project.items())],
            users=[SynthUser(n, t) for n, t in sorted(first_by_user.items())],
            assets=assets, versions=self.versions, representations=self.representations,
            edges=self.edges)


def generate(size: float = 1.0, seed: int = DEFAULT_SEED) -> SynthGraph:
    """The production-shaped graph for `size` (1.0: ~100k nodes, ~500k edges) and `seed`."""
    return _Builder(size, seed).build()


# -- baselines -------------------------------------------------------------------------------

def lineage_digraph(graph: SynthGraph) -> networkx.DiGraph:
    """The version-level lineage (DEPENDS_ON + CONTAINS) as a networkx DiGraph: nodes are
    version uids with their fields, edges carry `type` and `name` (role or slot)."""
    import networkx as nx  # a test/bench dependency only

    digraph = nx.DiGraph()
    digraph.add_nodes_from(
        (v.uid, {"project": v.project, "asset": v.asset, "kind": v.kind, "number": v.number,
                 "uri": v.uri})
        for v in graph.versions)
    digraph.add_edges_from((e.source, e.target, {"type": e.type, "name": e.name})
                           for e in graph.edges)
    return digraph


def expected_dependencies(digraph: networkx.DiGraph, uid: str) -> dict[str, int]:
    """What `dependencies` must answer: every version reachable from `uid`, at its shortest
    depth (a breadth-first walk, like the lineage queries)."""
    import networkx as nx

    depths = nx.single_source_shortest_path_length(digraph, uid)
    depths.pop(uid)
    return depths


def expected_dependents(digraph: networkx.DiGraph, uid: str) -> dict[str, int]:
    """What `dependents` must answer (without revisions): every version that reaches `uid`."""
    return expected_dependencies(digraph.reverse(copy=False), uid)


def expected_lineage(digraph: networkx.DiGraph, uid: str, *,
                     reverse: bool = False) -> dict[str, tuple[int, tuple[str, ...]]]:
    """The full answer of `dependencies` (or, with `reverse`, of `dependents` without
    revisions): version uid -> (shortest depth, sorted roles or slots of every edge reaching it
    from a version one level closer), as LineageRow.depth and LineageRow.roles give them."""
    graph = digraph.reverse(copy=False) if reverse else digraph
    depths = expected_dependencies(graph, uid)
    depths[uid] = 0
    out = {}
    for node, depth in depths.items():
        if node == uid:
            continue
        roles = {data["name"] for near, _, data in graph.in_edges(node, data=True)
                 if depths.get(near) == depth - 1}
        out[node] = (depth, tuple(sorted(roles)))
    return out


__all__ = [
    "CONTAINS", "DEFAULT_SEED", "DEPENDS_ON", "ROUNDS", "SynthAsset", "SynthEdge", "SynthGraph",
    "SynthProject", "SynthRepresentation", "SynthUser", "SynthVersion", "expected_dependencies",
    "expected_dependents", "expected_lineage", "generate", "lineage_digraph",
]
