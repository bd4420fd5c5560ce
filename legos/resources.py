"""Where the files that travel with legos live: the cypher/ modules and the schema/.

In a wheel they sit inside the package (legos/_data); in a source checkout they are the
top-level cypher/ and schema/ folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"legos installation is incomplete: no {name}/ folder next to {_PACKAGE}")
