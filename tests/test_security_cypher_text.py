"""Every query stays parameterised: no Cypher text in legos/ is built from values with
f-strings, `%` or `.format`, and no `.cypher` file holds a Python placeholder. The exceptions
are names that Cypher cannot take as parameters (labels, relationship types, table names,
COPY paths), each from the schema or a fixed constant, and listed here with the reason."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_CYPHER = re.compile(r"\b(MATCH|MERGE|CREATE|DETACH DELETE|RETURN|UNWIND|CALL|COPY|SET|REMOVE|"
                     r"DROP|ALTER|LOAD CSV)\b")
_CONSTANT = re.compile(r"^_?[A-Z][A-Z0-9_]*$")  # a module constant: not a value from a caller
_CHECKED = re.compile(r"^(\w+\.)?_checked\(.*\)$")  # legos.operations.archive_tables._checked

# file -> interpolated expressions allowed there, each from the schema, never from a caller
ALLOWED = {
    # the DDL: labels, keys and columns are read from schema/graph.toml
    "legos/store/schema.py": None,
    # archive import/export: labels, relationship types and their key columns come from the
    # schema (passed through _checked, an identifier check); COPY reads CSV files written to a
    # fresh temporary folder whose path is refused when it holds a quote
    "legos/operations/archive_import.py": {"label", "path", "rel", "source", "target",
                                           "source_key", "target_key", "name"},
    "legos/operations/archive_tables.py": {"columns", "', '.join(columns)"},
    # the schema 4 fill: COPY of two CSV files written to a fresh temporary folder (refused
    # when its path holds a quote), as the archive import does
    "legos/kept.py": {"versions", "assets"},
}


def _interpolations(node: ast.AST) -> tuple[str, list[str]] | None:
    """(literal text, interpolated expressions) of a string built from values, else None."""
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        return text, [ast.unparse(v.value) for v in node.values
                      if isinstance(v, ast.FormattedValue)]
    if (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod)
            and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str)):
        return node.left.value, [ast.unparse(node.right)]
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format" and isinstance(node.func.value, ast.Constant)
            and isinstance(node.func.value.value, str)):
        return node.func.value.value, [ast.unparse(a) for a in
                                       [*node.args, *(k.value for k in node.keywords)]]
    return None


def built_cypher(path: Path, root: Path = REPO) -> list[str]:
    """Places in `path` where Cypher text is built from something other than a constant."""
    relative = path.relative_to(root).as_posix()
    allowed = ALLOWED.get(relative, set())
    if allowed is None:
        return []
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        built = _interpolations(node)
        if built is None or not _CYPHER.search(built[0]):
            continue
        bad = [e for e in built[1] if not (_CONSTANT.match(e) or _CHECKED.match(e) or e in allowed)]
        if bad:
            found.append(f"{relative}:{node.lineno}: {built[0][:60]!r} built from {bad}")
    return found


def test_no_cypher_text_is_built_from_values():
    found = [hit for path in sorted((REPO / "legos").rglob("*.py")) for hit in built_cypher(path)]
    assert found == [], "Cypher built from values (use $parameters):\n" + "\n".join(found)


def test_the_check_finds_what_it_looks_for(tmp_path):
    # the scanner itself: each way of building text from a value is caught
    (tmp_path / "legos").mkdir()
    probe = tmp_path / "legos" / "sample.py"
    probe.write_text(
        "def a(tx, name):\n"
        "    tx.run(f\"MATCH (a:Asset {{name: '{name}'}}) RETURN a\")\n"
        "    tx.run(\"MATCH (a) WHERE a.name = '%s' RETURN a\" % name)\n"
        "    tx.run(\"MATCH (a) WHERE a.name = '{}' RETURN a\".format(name))\n"
        "    tx.run(f\"CALL x={MAX_DEPTH}\")\n"          # a constant: fine
        "    raise ValueError(f'no asset {name}')\n")   # not Cypher: fine
    assert [hit.split(":")[1] for hit in built_cypher(probe, tmp_path)] == ["2", "3", "4"]


def test_no_cypher_file_holds_a_python_placeholder():
    offenders = []
    for path in sorted((REPO / "cypher").rglob("*.cypher")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("//", 1)[0]
            if re.search(r"%[sdr(]|\{\}|\{[A-Za-z_]\w*\}", code):  # '%s', '{}', '{name}'
                offenders.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert offenders == [], "placeholders in Cypher files (use $parameters):\n" + "\n".join(
        offenders)
