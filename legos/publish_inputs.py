"""Exact versions named by a publish's inputs, looked up the cheapest way each backend has.

Over Bolt every query is a round trip, so all explicit versions go in one query; in-process
(LadybugDB) a keyed probe per input costs a fraction of a millisecond, where the batch query
joins whole tables and only pays off for many inputs.
"""

from __future__ import annotations

from typing import Any

from legos.store.base import Transaction

BATCH_FROM = 64  # embedded: inputs from which one batch query beats a keyed probe each


def exact_versions(tx: Transaction,
                   wanted: list[dict[str, Any]]) -> dict[tuple[str, int | None], dict[str, Any]]:
    """{(path, number): {uid, kind, ...}} for each `{path, number}` of `wanted` that exists;
    absent ones are simply missing (the caller names them)."""
    if not wanted:  # never an empty list to LadybugDB (typed as strings: `w.path` fails)
        return {}
    if tx.dialect != "ladybug" or len(wanted) > BATCH_FROM:
        rows = tx.query("versions/select_exact", wanted=wanted)
    else:
        rows = [row for w in {(w["path"], w["number"]): w for w in wanted}.values()
                for row in tx.query("publish/input_version", path=w["path"],
                                    number=w["number"])]
    return {(row["path"], row["number"]): row for row in rows}
