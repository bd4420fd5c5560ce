"""`lg.analytics`: the analytics questions asked of a store through the API, which is all the
CLI uses (it never opens a transaction of its own)."""

from __future__ import annotations

import re
from pathlib import Path

import legos.analytics as analytics

CLI = Path(analytics.__file__).parent.parent / "cli"


def test_analytics_questions_are_asked_through_the_api(lg, make_file):
    texture = lg.publish("demo", "tex/a", kind="TextureAsset", files=[make_file("a.png")])
    lg.publish("demo", "mtl/a", kind="MaterialAsset", files=[make_file("a.usda", "#usda 1.0")],
               dependencies=[("albedo", texture.uri)])
    rows = lg.analytics.reuse(kind="TextureAsset")
    assert [(r.uri, r.user_assets) for r in rows] == [("legos:/demo/tex/a", 1)]
    assert rows == lg.store.read(lambda tx: analytics.reuse(tx, kind="TextureAsset"))
    assert lg.analytics.reuse.__doc__ == analytics.reuse.__doc__


def test_the_cli_opens_no_transaction_of_its_own():
    reaching = [f"{path.name}:{n}: {line.strip()}" for path in sorted(CLI.glob("*.py"))
                for n, line in enumerate(path.read_text().splitlines(), 1)
                if re.search(r"\.store\.(read|write|query|run)\b", line)]
    assert reaching == []
