"""The exception tree holds only errors legos raises: a class nobody raises promises callers a
case that never comes."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import legos.errors as errors

PACKAGE = Path(errors.__file__).parent


def _constructed_names() -> set[str]:
    names = set()
    for path in PACKAGE.rglob("*.py"):
        if path == Path(errors.__file__):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name):
                    names.add(func.id)
                elif isinstance(func, ast.Attribute):
                    names.add(func.attr)
    return names


def test_every_error_in_the_tree_is_raised_somewhere():
    classes = {name: cls for name, cls in vars(errors).items()
               if inspect.isclass(cls) and issubclass(cls, errors.LegosError)
               and cls.__module__ == errors.__name__}
    assert "PublishConflictError" in classes
    bases = {base.__name__ for cls in classes.values() for base in cls.__mro__[1:]}
    constructed = _constructed_names()
    assert sorted(n for n in classes if n not in constructed and n not in bases) == []


def test_the_docstring_tree_names_every_error_and_no_other():
    classes = {name for name, cls in vars(errors).items()
               if inspect.isclass(cls) and issubclass(cls, errors.LegosError)
               and cls.__module__ == errors.__name__}
    drawn = {word for line in (errors.__doc__ or "").splitlines()
             for word in line.replace("─", " ").replace("│", " ").replace("├", " ")
             .replace("└", " ").split() if word.endswith("Error") and word[0].isupper()}
    assert drawn == classes
