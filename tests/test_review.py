"""Status, tags and dailies reviews on both backends: every change is recorded."""

from __future__ import annotations

import pytest

from legos.errors import InvalidInputError, InvalidStatusError, RevisionNotFoundError


@pytest.fixture
def qc(lg, make_file):
    return lg.publish("demo", "chr/s/qc", kind="RenderAsset", files=[make_file("qc.png")],
                      user="dev")


def test_status_changes_are_recorded_with_who_and_from(lg, qc):
    lg.set_status(qc.uri, "deprecated", user="sup", note="superseded")
    assert lg.show(qc.uri).status.value == "deprecated"
    [change] = lg.changes(qc.uri)
    assert (change["field"], change["from_value"], change["to_value"], change["user"],
            change["note"]) == ("status", "published", "deprecated", "sup", "superseded")
    with pytest.raises(InvalidStatusError, match="use one of"):
        lg.set_status(qc.uri, "done")


def test_approving_a_revision_approves_its_version(lg, qc):
    rev = lg.submit(qc.uri, kind="QCRevision", note="turntable", user="dev")
    assert rev["status"] == "submitted" and rev["revision"].startswith("rev-")
    assert lg.show(qc.uri).status.value == "review"
    lg.review(rev["revision"], "needs_changes", note="too dark", user="sup")
    assert lg.show(qc.uri).status.value == "needs_changes"
    second = lg.submit(qc.uri, note="brighter", user="dev")
    reviewed = lg.review(second["revision"], "approved", note="lovely", user="sup")
    assert (reviewed["status"], reviewed["reviewed_by"], reviewed["review_note"]) == (
        "approved", "sup", "lovely")
    assert reviewed["created_by"] == "dev" and reviewed["note"] == "brighter"
    assert lg.show(qc.uri).status.value == "approved"
    trail = [(c["field"], c["from_value"], c["to_value"], c["user"]) for c in lg.changes(qc.uri)]
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
        lg.review(rev["revision"], "ok")
    with pytest.raises(InvalidInputError, match="unknown revision kind"):
        lg.submit(qc.uri, kind="ShotRevision")


def test_tags_select_versions_and_are_recorded(lg, qc, make_file):
    lg.publish("demo", "chr/s/qc", kind="RenderAsset", files=[make_file("qc.png", "2")])
    lg.tag(qc.uri, "hero", colour="#ff8800", user="sup")
    assert lg.show("legos:/demo/chr/s/qc?tag=hero").number == 1
    assert lg.show("legos:/demo/chr/s/qc").number == 2
    assert lg.show(qc.uri).tags == ("hero",)
    assert [(c["field"], c["to_value"]) for c in lg.changes(qc.uri)] == [("tag", "hero")]
    with pytest.raises(InvalidInputError):
        lg.tag(qc.uri, "bad tag")
