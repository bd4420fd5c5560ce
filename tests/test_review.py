"""Status, tags and dailies reviews on both backends: every change is recorded."""

from __future__ import annotations

from itertools import pairwise

import pytest

from legos.errors import InvalidInputError, InvalidStatusError, RevisionNotFoundError
from legos.model import Change


@pytest.fixture
def qc(lg, make_file):
    return lg.publish("demo", "chr/s/qc", kind="RenderAsset", files=[make_file("qc.png")],
                      user="dev")


def test_status_changes_are_recorded_with_who_and_from(lg, qc):
    lg.set_status(qc.uri, "deprecated", user="sup", note="superseded")
    assert lg.show(qc.uri).status.value == "deprecated"
    [change] = lg.changes(qc.uri)
    assert (change.field, change.from_value, change.to_value, change.user,
            change.note) == ("status", "published", "deprecated", "sup", "superseded")
    with pytest.raises(InvalidStatusError, match="use one of"):
        lg.set_status(qc.uri, "done")


def test_approving_a_revision_approves_its_version(lg, qc):
    rev = lg.submit(qc.uri, kind="QCRevision", note="turntable", user="dev")
    assert rev.status == "submitted" and rev.uid.startswith("rev-")
    assert lg.show(qc.uri).status.value == "review"
    lg.review(rev.uid, "needs_changes", note="too dark", user="sup")
    assert lg.show(qc.uri).status.value == "needs_changes"
    second = lg.submit(qc.uri, note="brighter", user="dev")
    reviewed = lg.review(second.uid, "approved", note="lovely", user="sup")
    assert (reviewed.status, reviewed.reviewed_by, reviewed.review_note) == (
        "approved", "sup", "lovely")
    assert reviewed.created_by == "dev" and reviewed.note == "brighter"
    assert lg.show(qc.uri).status.value == "approved"
    trail = [(c.field, c.from_value, c.to_value, c.user) for c in lg.changes(qc.uri)]
    assert trail == [
        ("status", "published", "review", "dev"),
        ("review", "submitted", "needs_changes", "sup"),
        ("status", "review", "needs_changes", "sup"),
        ("status", "needs_changes", "review", "dev"),
        ("review", "submitted", "approved", "sup"),
        ("status", "review", "approved", "sup"),
    ]
    assert lg.show("legos:/demo/chr/s/qc?status=approved").number == 1


def test_review_errors_name_the_fix(lg, qc):
    with pytest.raises(RevisionNotFoundError, match="printed by `legos submit`"):
        lg.review("rev-0000000000", "approved")
    rev = lg.submit(qc.uri)
    with pytest.raises(InvalidStatusError):
        lg.review(rev.uid, "ok")
    with pytest.raises(InvalidInputError, match="unknown revision kind"):
        lg.submit(qc.uri, kind="ShotRevision")


def test_tags_select_versions_and_are_recorded(lg, qc, make_file):
    lg.publish("demo", "chr/s/qc", kind="RenderAsset", files=[make_file("qc.png", "2")])
    lg.tag(qc.uri, "hero", colour="#ff8800", user="sup")
    assert lg.show("legos:/demo/chr/s/qc?tag=hero").number == 1
    assert lg.show("legos:/demo/chr/s/qc").number == 2
    assert lg.show(qc.uri).tags == ("hero",)
    assert [(c.field, c.to_value) for c in lg.changes(qc.uri)] == [("tag", "hero")]
    with pytest.raises(InvalidInputError):
        lg.tag(qc.uri, "bad tag")


# -- concurrency: every change starts where the one before it ended --------------------------

_STATUSES = ("wip", "published", "review", "approved", "needs_changes", "deprecated")


def _in_threads(work, workers: int = 8) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(work, range(workers)))  # list(): re-raises a worker's exception


def _chain_breaks(rows: list[Change]) -> list[tuple[str | None, str | None]]:
    return [(before.to_value, after.from_value) for before, after in pairwise(rows)
            if before.to_value != after.from_value]


def test_concurrent_status_changes_chain_in_the_change_log(lg, qc):
    def change(worker: int) -> None:
        for i in range(15):
            lg.set_status(qc.uri, _STATUSES[(worker + i) % len(_STATUSES)], user=f"w{worker}")

    _in_threads(change)
    trail = [c for c in lg.changes(qc.uri) if c.field == "status"]
    assert len(trail) == 8 * 15
    assert trail[0].from_value == "published"
    assert _chain_breaks(trail) == []
    assert lg.show(qc.uri).status.value == trail[-1].to_value


def test_concurrent_submits_and_verdicts_chain_both_logs(lg, qc):
    revision = lg.submit(qc.uri, user="dev").uid
    verdicts = ("approved", "needs_changes", "rejected")

    def work(worker: int) -> None:
        for i in range(6):
            if worker % 2:  # verdicts on one revision: its review log must chain too
                lg.review(revision, verdicts[(worker + i) % 3], user=f"w{worker}")
            else:
                lg.submit(qc.uri, note=f"take {i}", user=f"w{worker}")

    _in_threads(work)
    changes = lg.changes(qc.uri)
    statuses = [c for c in changes if c.field == "status"]
    reviews = [c for c in changes if c.field == "review"]  # only `revision` got verdicts
    assert (len(statuses), len(reviews)) == (1 + 8 * 6, 4 * 6)
    assert statuses[0].from_value == "published" and reviews[0].from_value == "submitted"
    assert _chain_breaks(statuses) == [] and _chain_breaks(reviews) == []
    assert lg.show(qc.uri).status.value == statuses[-1].to_value


def test_concurrent_tagging_records_every_change_and_one_tag(lg, qc):
    colours = ("#ff8800", "red", "#00ff00", "blue")

    def work(worker: int) -> None:
        for i in range(5):
            lg.tag(qc.uri, "hero", colour=colours[(worker + i) % 4], user=f"w{worker}")

    _in_threads(work)
    assert lg.show(qc.uri).tags == ("hero",)
    assert lg.show("legos:/demo/chr/s/qc?tag=hero").number == 1
    assert [c.to_value for c in lg.changes(qc.uri)] == ["hero"] * 40


def test_concurrent_changes_pick_rule_based_versions_after_the_changes_before_them(
        lg, qc, make_file):
    # five approved versions, five concurrent "deprecate the latest approved": each change must
    # pick its version after the ones queued before it, so all five end deprecated
    for n in range(2, 6):
        lg.publish("demo", "chr/s/qc", kind="RenderAsset", files=[make_file("qc.png", str(n))])
    for n in range(1, 6):
        lg.set_status(f"legos:/demo/chr/s/qc?version={n}", "approved")

    _in_threads(lambda worker: lg.set_status("legos:/demo/chr/s/qc?status=approved",
                                             "deprecated", user=f"w{worker}"), workers=5)
    assert [lg.show(f"legos:/demo/chr/s/qc?version={n}").status.value
            for n in range(1, 6)] == ["deprecated"] * 5
