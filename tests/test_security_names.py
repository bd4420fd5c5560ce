"""Hostile names cannot escape the publish root or reach a query as text: project and asset
names, file names inside published folders, tags, slots, roles, pin scopes, metadata keys and
user names with `..`, absolute paths, NUL and control characters, backslashes or too many
characters are refused with an error naming the thing, and nothing is written. Free text
(comments, metadata values, file names with quotes and braces) goes in and comes back verbatim."""

from __future__ import annotations

from pathlib import Path

import pytest

from legos.errors import InvalidInputError, LegosError

HOSTILE_PROJECTS = ["..", "/etc", "de\x00mo", "demo\n", "de\\mo", "x" * 65, "demo\x1b[2J"]
HOSTILE_ASSETS = ["../x", "chr/../../x", "chr/..", "/etc/passwd", "chr\\..\\x", "chr/x\n",
                  "chr/\nx", "chr\x00x", "chr/\x1b[31mred", "a" * 129, "chr/./x", "chr//x",
                  "C:/x", "chr/x\r"]
HOSTILE_WORDS = ["../x", "hero\n", "he\x00ro", "a\\b", "/abs", "x" * 300, "\x1b[2J", "..",
                 "a/../b", "tab\there"]


def _written(lg) -> list[str]:
    """What lies under the root besides its marker, and what the store holds."""
    root = Path(lg.root)
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*")
                   if p.is_file() and p.relative_to(root).parts[0] != ".legos")
    counts = sum(lg.store.read(lambda tx, label=label: tx.run(
        f"MATCH (n:{label}) RETURN count(n) AS n"))[0]["n"] for label in ("Asset", "Version"))
    return files + ([f"{counts} nodes"] if counts else [])


def _outside(tmp_path: Path) -> list[str]:
    """Anything created beside the root and the sources, where an escaping name would land."""
    return sorted(p.name for p in tmp_path.iterdir()
                  if p.name not in ("publish", "src", "store", ".legos-staging"))


@pytest.mark.parametrize("project", HOSTILE_PROJECTS)
def test_hostile_project_codes_are_refused_and_nothing_is_written(lg, make_file, tmp_path,
                                                                    project):
    source = make_file("a.png")
    with pytest.raises(InvalidInputError, match="project code"):
        lg.publish(project, "tex/a", kind="TextureAsset", files=[source])
    assert _written(lg) == [] and _outside(tmp_path) == []


@pytest.mark.parametrize("asset", HOSTILE_ASSETS)
def test_hostile_asset_names_are_refused_and_nothing_is_written(lg, make_file, tmp_path, asset):
    source = make_file("a.png")
    with pytest.raises(InvalidInputError, match="asset name"):
        lg.publish("demo", asset, kind="TextureAsset", files=[source])
    assert _written(lg) == [] and _outside(tmp_path) == []


ODD_FILE_NAMES = ["new\nline.png", "back\\slash.png", "esc\x1b[2J.png", "bell\x07.png",
                  "del\x7f.png", "cr\r.png"]


@pytest.mark.parametrize("name", ODD_FILE_NAMES)
def test_a_folder_holding_a_file_with_an_odd_name_is_refused(lg, tmp_path, name):
    folder = tmp_path / "src" / "look"
    (folder / "sub").mkdir(parents=True)
    (folder / "ok.usda").write_text("#usda 1.0\n")
    (folder / "sub" / name).write_bytes(b"x")
    with pytest.raises(InvalidInputError) as refused:
        lg.publish("demo", "chr/look", kind="LookDevPackage", files=[folder])
    assert "file name" in str(refused.value) and "sub/" in str(refused.value)
    assert _written(lg) == [] and _outside(tmp_path) == []
    # the same file given on its own is refused too
    with pytest.raises(InvalidInputError, match="file name"):
        lg.publish("demo", "chr/look", kind="LookDevPackage", files=[folder / "sub" / name])
    assert _written(lg) == []


def test_a_symlink_out_of_a_published_folder_is_refused(lg, tmp_path):
    folder = tmp_path / "src" / "look"
    folder.mkdir(parents=True)
    (folder / "ok.usda").write_text("#usda 1.0\n")
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the root")
    (folder / "leak.txt").symlink_to(secret)
    with pytest.raises(InvalidInputError, match="points outside the folder"):
        lg.publish("demo", "chr/look", kind="LookDevPackage", files=[folder])
    assert _written(lg) == []


@pytest.mark.parametrize("word", HOSTILE_WORDS)
def test_hostile_tags_slots_roles_keys_users_and_scopes_are_refused(lg, make_file, word):
    made = lg.publish("demo", "tex/a", kind="TextureAsset", files=[make_file("a.png")])
    before = _written(lg)
    with pytest.raises(InvalidInputError, match="tag"):
        lg.tag(made.uri, word)
    with pytest.raises(InvalidInputError, match=r"alias|tag"):
        lg.set_alias(made.uri, word)
    with pytest.raises(InvalidInputError, match="slot"):
        lg.publish("demo", "pkg", kind="LookDevPackage", members=[(word, made.uri)])
    with pytest.raises(InvalidInputError, match="role"):
        lg.publish("demo", "mtl", kind="MaterialAsset", files=[make_file("m.usda")],
                   dependencies=[(word, made.uri)])
    with pytest.raises(InvalidInputError, match="metadata key"):
        lg.set_meta(made.uri, {word: 1})
    with pytest.raises(InvalidInputError, match="metadata key"):
        lg.publish("demo", "tex/a", kind="TextureAsset", files=[make_file("b.png")],
                   meta={word: 1})
    with pytest.raises(InvalidInputError, match="user name"):
        lg.publish("demo", "tex/a", kind="TextureAsset", files=[make_file("c.png")], user=word)
    with pytest.raises(InvalidInputError, match="scope"):
        lg.pin(made.uri, scope=word)
    assert _written(lg) == before
    assert not lg.show(made.uri).tags and lg.meta(made.uri) == {}


# -- the CLI -------------------------------------------------------------------------------


def test_the_cli_refuses_hostile_names_in_one_line(run, make_file, tmp_path):
    source = make_file("a.png")
    folder = tmp_path / "src" / "odd"
    folder.mkdir()
    (folder / "x\ny.png").write_bytes(b"x")
    cases = [("publish", "../../x", "--kind", "TextureAsset", "--file", str(source)),
             ("publish", "demo/chr/x\n", "--kind", "TextureAsset", "--file", str(source)),
             ("publish", "demo/chr\\x", "--kind", "TextureAsset", "--file", str(source)),
             ("publish", "demo/chr/x", "--kind", "TextureAsset", "--file", str(folder)),
             ("publish", "demo/chr/x", "--kind", "TextureAsset", "--file", str(source),
              "--meta", "../k=1"),
             ("publish", "demo/chr/x", "--kind", "TextureAsset", "--file", str(source),
              "--user", "ana\n"),
             ("show", "legos:/demo/../../etc?version=1")]
    for args in cases:
        done = run(*args, ok=False)
        assert done.exit_code == 1, (args, done.output)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("legos: error: "), (args, done.stderr)
    root = tmp_path / "publish"
    assert sorted(p.name for p in root.iterdir()) == [".legos"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name not in ("src", "store")) == [
        "publish"]


# -- free text stays data ------------------------------------------------------------------

INJECTIONS = ["'}) DETACH DELETE n //", '"}) DETACH DELETE n //', "`}) MATCH (n) DETACH DELETE n",
              "$uid", "\\'; MATCH (n) DELETE n; //", "{uid: 'x'}", "ünïcødé ☃ 🎬"]


def test_quotes_backticks_and_cypher_in_values_are_stored_verbatim(lg, tmp_path):
    folder = tmp_path / "src" / "pkg"
    folder.mkdir(parents=True)
    names = ["it's.png", 'say "hi".png', "back`tick`.png", "brace}) DETACH DELETE n.png",
             "$uid.png", "semi;colon.png"]
    for name in names:
        (folder / name).write_bytes(name.encode())
    first = lg.publish("demo", "keep/me", kind="TextureAsset", files=[folder / names[0]])
    comment = " | ".join(INJECTIONS)
    meta = {f"k{i}": text for i, text in enumerate(INJECTIONS)}
    made = lg.publish("demo", "chr/odd", kind="LookDevPackage", files=[folder],
                      comment=comment, meta=meta, entry=names[3])
    lg.set_meta(made.uri, {"note": INJECTIONS[0], "list": INJECTIONS})
    shown = lg.show(made.uri)
    assert shown.comment == comment
    assert shown.entry == names[3]
    assert sorted(r.name for r in shown.representations) == sorted(names)
    for rep in shown.representations:
        assert Path(lg.root, rep.path).read_bytes() == rep.name.encode()
    assert lg.meta(made.uri) == {**meta, "note": INJECTIONS[0], "list": INJECTIONS}
    # lookups by such text find nothing and break nothing
    for text in INJECTIONS:
        with pytest.raises(LegosError):
            lg.show(f"legos:/demo/chr/odd?tag={text}")
    assert [a.name for a in lg.assets("demo")] == ["chr/odd", "keep/me"]
    assert lg.show(first.uri).uri == first.uri


def test_the_names_module_refuses_what_escapes():
    from legos.names import check_relative_path, problem

    for good in ("a.png", "tex/a.png", "a b/c d.exr", "ü/ß.usd", ".legos/thumbnail.png"):
        assert problem(good) is None, good
    for bad in ("", "..", "a/../b", "/abs", "C:/x", "c:x", "a\\b", "a\x00b", "a\nb", "a//b",
                "a/", "./a", "x" * 256, "é" * 128, "a/" * 2100 + "a", None, 3, b"a"):
        assert problem(bad) is not None, bad
        with pytest.raises(InvalidInputError):
            check_relative_path("file name", bad)
