"""Fuzzing what legos reads from outside: URIs, selectors, pin manifests and archives. Whatever
the input, the answer is a value or a LegosError (never another exception), and nothing is
written. Each property runs a bounded number of examples so the suite stays fast."""

from __future__ import annotations

import copy
import io
import json
import os
import tarfile
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from legos.errors import LegosError

FUZZ = settings(max_examples=200, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# text that reaches the interesting branches: separators, keys, escapes, hostile characters
_PIECES = st.sampled_from([
    "legos:", "/", "//", "?", "&", "=", "%", "%2F", "%00", "%0A", "..", ".", "\\", "\x00", "\n",
    "version", "status", "tag", "at", "rep", "latest", "approved", "demo", "chr", "a", "1",
    "0", "-1", "2026-11-20T18:00Z", "+01:00", "9" * 30, "é", "☃", " ", "'", '"', "`", "}",
    "exact", "status:", "tag:", "at:", "version:", "depends-on:", "depends-on*:", ",",
    "compatible:", ":", "Z"])
HOSTILE_TEXT = st.one_of(st.text(max_size=60), st.lists(_PIECES, max_size=12).map("".join))


@FUZZ
@given(HOSTILE_TEXT)
def test_uri_parsing_answers_a_uri_or_a_legos_error(text):
    from legos.uri import parse_asset, parse_reference, parse_uri

    for parse in (parse_uri, parse_reference, parse_asset):
        try:
            uri = parse(text)
        except LegosError:
            continue
        again = parse_uri(str(uri))  # what parses formats back to the same thing
        assert again == uri
        from legos.names import problem

        assert problem(uri.path) is None  # and names nothing outside the root
        assert "\n" not in str(uri)


@FUZZ
@given(st.lists(_PIECES, min_size=1, max_size=6).map("".join),
       st.dictionaries(st.sampled_from(["version", "status", "tag", "at", "rep", "x"]),
                       HOSTILE_TEXT, max_size=4))
def test_uri_queries_answer_a_uri_or_a_legos_error(asset, query):
    from urllib.parse import quote

    from legos.uri import parse_uri

    text = f"legos:/demo/{asset}?" + "&".join(f"{k}={quote(v)}" for k, v in query.items())
    try:
        parse_uri(text)
    except LegosError:
        pass


@FUZZ
@given(HOSTILE_TEXT)
def test_selector_parsing_answers_a_selector_or_a_legos_error(text):
    from legos.selection import parse_selector

    with tempfile.TemporaryDirectory() as here:
        before = os.getcwd()
        os.chdir(here)  # a `compatible:` rule names a file: none may appear
        try:
            try:
                selector = parse_selector(text)
            except LegosError:
                pass
            else:
                assert str(selector)
        finally:
            os.chdir(before)
        assert os.listdir(here) == []


# -- pin manifests ---------------------------------------------------------------------------


def _manifest_document() -> dict:
    from legos.pins.manifest import Manifest, Pin, PinnedFile

    manifest = Manifest(name="sh0040", uid="u1", created_by="ana", created_at="2026-01-01T00:00Z",
                        root="/mnt/publish", source="legos:/demo/seq/sh0040?version=3")
    manifest.add(Pin("demo/chr/skaarj/model", 2, "v2", "ModelAsset",
                     {"model.usd": PinnedFile("demo/chr/skaarj/model/v002/model.usd", "ab" * 32)},
                     "model.usd"))
    manifest.add(Pin("demo/tex/albedo", 1, "v1", "TextureAsset",
                     {"a.png": PinnedFile("demo/tex/albedo/v001/a.png", "cd" * 32)}), "crowd")
    manifest.includes.append({"scope": "crowd", "name": "old", "uid": "u0", "hash": "sha256:0"})
    return manifest.to_json()


def _paths(document):
    """Every (container, key) of a JSON document, for mutating one place."""
    if isinstance(document, dict):
        for key, value in document.items():
            yield document, key
            yield from _paths(value)
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield document, index
            yield from _paths(value)


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | HOSTILE_TEXT
    | st.sampled_from(["../../../../tmp/escaped", "/etc/passwd", "a\\..\\b", "x\ny", "..",
                       "demo/../../x", "C:/x", 10**30, -1, 0]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(HOSTILE_TEXT, inner, max_size=3),
    max_leaves=6)


def _rehash(document: dict) -> dict:
    """Give a changed document its matching hash, so the reader's checks (not the hash) judge
    it: anyone can write a manifest, the hash proves no authorship."""
    from legos.pins.manifest import Manifest

    body = {k: v for k, v in document.items() if k != "hash"}
    try:
        return {**body, "hash": Manifest.content_hash(None, body)}  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return body


@FUZZ
@given(st.data())
def test_manifest_reading_answers_a_manifest_or_a_legos_error(data):
    from legos.names import problem
    from legos.pins import manifest as manifests

    document = copy.deepcopy(_manifest_document())
    for _ in range(data.draw(st.integers(1, 3))):
        container, key = data.draw(st.sampled_from(list(_paths(document))))
        if data.draw(st.booleans()) and isinstance(container, dict) and isinstance(key, str):
            value = container.pop(key)  # rename the key (an asset, a scope, a file name)
            container[data.draw(_JSON_VALUES.filter(lambda v: isinstance(v, str)))] = value
        else:
            container[key] = data.draw(_JSON_VALUES)
    document = _rehash(document)
    with tempfile.TemporaryDirectory() as here:
        path = Path(here) / "m.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        try:
            manifest = manifests.read(path)
        except LegosError:
            manifest = None
        assert os.listdir(here) == ["m.json"]
    if manifest is not None:  # what was accepted names nothing outside its root
        for scope, pin in manifest.pins():
            assert scope == "" or problem(scope) is None
            assert problem(pin.asset) is None
            for name, file in pin.files.items():
                assert problem(name) is None and problem(file.path) is None, (name, file.path)


@FUZZ
@given(st.binary(max_size=2000))
def test_manifest_reading_of_any_bytes_is_a_legos_error(raw):
    from legos.pins import manifest as manifests

    with tempfile.TemporaryDirectory() as here:
        path = Path(here) / "m.json"
        path.write_bytes(raw)
        with pytest.raises(LegosError):
            manifests.read(path)


def test_a_manifest_whose_paths_climb_out_is_refused_before_a_bundle_writes(tmp_path):
    """A manifest with a matching hash but a file path out of the bundle: refused at reading,
    so `legos bundle` never copies a file outside its folder."""
    from legos.pins import manifest as manifests

    for field, hostile in (("path", "../../../escaped.txt"), ("path", "/etc/passwd"),
                           ("path", "demo\\..\\..\\x"), ("name", "../x.png"),
                           ("asset", "demo/../../x"), ("scope", "../up")):
        document = copy.deepcopy(_manifest_document())
        pin = document["scopes"][""]["demo/chr/skaarj/model"]
        if field == "path":
            pin["files"]["model.usd"]["path"] = hostile
        elif field == "name":
            pin["files"][hostile] = pin["files"].pop("model.usd")
        elif field == "asset":
            document["scopes"][""][hostile] = document["scopes"][""].pop("demo/chr/skaarj/model")
        else:
            document["scopes"][hostile] = document["scopes"].pop("crowd")
        path = tmp_path / "m.json"
        path.write_text(json.dumps(_rehash(document)), encoding="utf-8")
        with pytest.raises(manifests.ManifestError, match=r"m\.json"):
            manifests.read(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json"]


# -- archives --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def archive_members(tmp_path_factory):
    """The members of a small real archive (with files), to mutate."""
    import legos

    pytest.importorskip("legos.operations.archive_read")
    here = tmp_path_factory.mktemp("archive")
    source = here / "a.png"
    source.write_bytes(b"pixels")
    with legos.open(here / "store", create=True) as lg:
        lg.configure(root=here / "publish")
        made = lg.publish("demo", "tex/a", kind="TextureAsset", files=[source], meta={"k": 1})
        lg.publish("demo", "mtl/m", kind="MaterialAsset", files=[source],
                   dependencies=[made.uri])
        lg.export(here / "a.tar", with_files=True)
    members = []
    with tarfile.open(here / "a.tar", "r:*") as tar:
        for member in tar.getmembers():
            data = tar.extractfile(member).read() if member.isfile() else None
            members.append((member, data))
    return members


def _tar(members: list[tuple[tarfile.TarInfo, bytes | None]]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for member, data in members:
            info = copy.copy(member)
            if data is not None:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
            else:
                tar.addfile(info)
    return out.getvalue()


def _mutate_json_lines(data: bytes, draw) -> bytes:
    lines = data.decode("utf-8", "replace").splitlines()
    if not lines:
        return data
    index = draw(st.integers(0, len(lines) - 1))
    try:
        value = json.loads(lines[index])
    except ValueError:
        value = None
    places = list(_paths(value)) if isinstance(value, (dict, list)) else []
    if places and draw(st.booleans()):
        container, key = draw(st.sampled_from(places))
        container[key] = draw(_JSON_VALUES)
        lines[index] = json.dumps(value)
    else:
        lines[index] = draw(st.one_of(HOSTILE_TEXT, _JSON_VALUES.map(json.dumps)))
    if draw(st.booleans()):
        lines.append(lines[index])  # one row too many
    return ("\n".join(lines) + "\n").encode()


@FUZZ
@given(st.data())
def test_archive_reading_answers_an_archive_or_a_legos_error(archive_members, data):
    from legos.operations.archive_read import open_archive

    members = list(archive_members)
    how = data.draw(st.sampled_from(["json", "bytes", "truncate", "drop", "rename"]))
    index = data.draw(st.integers(0, len(members) - 1))
    member, content = members[index]
    if how == "json" and content is not None:
        members[index] = (member, _mutate_json_lines(content, data.draw))
    elif how == "drop":
        del members[index]
    elif how == "rename":
        renamed = copy.copy(member)
        renamed.name = data.draw(st.sampled_from(["../../escaped", "/abs", "files/../../x",
                                                  member.name + "\n", "manifest.json"]))
        members[index] = (renamed, content)
    raw = _tar(members)
    if how == "bytes":
        position = data.draw(st.integers(0, len(raw) - 1))
        raw = raw[:position] + bytes([raw[position] ^ data.draw(st.integers(1, 255))]) + \
            raw[position + 1:]
    elif how == "truncate":
        raw = raw[:data.draw(st.integers(0, len(raw) - 1))]
    with tempfile.TemporaryDirectory() as here:
        path = Path(here) / "a.tar"
        path.write_bytes(raw)
        try:
            archive = open_archive(path)
        except LegosError:
            pass
        else:
            try:
                from legos.operations.archive_read import check_relative_path

                for row in archive.snapshot.nodes.get("Representation", []):
                    assert check_relative_path(row["path"]) is None
            finally:
                archive.close()
        assert os.listdir(here) == ["a.tar"]
