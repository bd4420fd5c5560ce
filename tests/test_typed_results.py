"""The public API answers with typed objects (legos.model), never with bare dicts; only
`query`, the door to any cypher module, gives rows as dicts."""

from __future__ import annotations

import inspect
from datetime import datetime

import legos.api
from legos.model import AliasMove, Change, HistoryRow, MemberRow, ReviewStatus, Revision, Tag

# methods whose answer is generic by design: any module's rows, asset path -> uid, or
# metadata key -> its JSON value
_GENERIC = {"query", "select_many", "meta"}


def test_no_public_method_answers_with_a_dict():
    # the annotations are text (postponed evaluation), some naming types imported only
    # for type checking: read them as written
    answers = {name: str(inspect.signature(method).return_annotation)
               for name, method in inspect.getmembers(legos.api.Legos, inspect.isfunction)
               if not name.startswith("_")}
    assert {"history", "changes", "submit", "query"} <= answers.keys()
    assert sorted(name for name, answer in answers.items()
                  if "dict" in answer and name not in _GENERIC) == []


def test_history_contents_and_changes_are_typed(lg, make_file):
    tex = lg.publish("demo", "tex/a", kind="TextureAsset", files=[make_file("a.png")],
                     comment="first", user="ana")
    lg.publish("demo", "tex/a", kind="TextureAsset", files=[make_file("b.png", b"b")], user="ana")
    pkg = lg.publish("demo", "look", kind="LookDevPackage", members=[("skin", tex.uri)])

    history = lg.history("demo/tex/a")
    assert all(isinstance(h, HistoryRow) for h in history)
    assert [(h.version, h.uri, h.comment, h.created_by) for h in history] == [
        (2, "legos:/demo/tex/a?version=2", "", "ana"),
        (1, "legos:/demo/tex/a?version=1", "first", "ana")]
    assert history[1].uid == tex.uid and isinstance(history[1].created_at, datetime)

    [member] = lg.contents(pkg.uri)
    assert isinstance(member, MemberRow)
    assert (member.uri, member.role, member.depth, member.parents) == (
        tex.uri, "skin", 1, [pkg.uri])

    change = lg.set_status(tex.uri, "approved", user="sup", note="ok")
    assert isinstance(change, Change)
    assert (change.field, change.from_value, change.to_value, change.user, change.note) == (
        "status", "published", "approved", "sup", "ok")
    [recorded] = lg.changes(tex.uri)
    assert isinstance(recorded, Change) and recorded == change


def test_tags_aliases_and_reviews_are_typed(lg, make_file):
    qc = lg.publish("demo", "qc", kind="RenderAsset", files=[make_file("qc.png")], user="dev")
    second = lg.publish("demo", "qc", kind="RenderAsset", files=[make_file("q2.png", b"2")])

    tag = lg.tag(qc.uri, "hero", colour="red", user="sup")
    assert isinstance(tag, Tag) and (tag.name, tag.colour) == ("hero", "red")

    first = lg.set_alias(qc.uri, "best", user="sup", note="first")
    moved = lg.set_alias(second.uri, "best", user="sup")
    again = lg.set_alias(second.uri, "best", user="sup")
    assert all(isinstance(m, AliasMove) for m in (first, moved, again))
    assert [(m.uri, m.from_version, m.to_version, m.moved) for m in (first, moved, again)] == [
        (qc.uri, None, 1, True), (second.uri, 1, 2, True), (second.uri, None, 2, False)]
    assert again.at is None and isinstance(moved.at, datetime)
    history = lg.alias_history("demo/qc", "best")
    assert all(isinstance(m, AliasMove) for m in history)
    assert [(m.alias, m.uri, m.from_version, m.to_version, m.note, m.at) for m in history] == [
        (m.alias, m.uri, m.from_version, m.to_version, m.note, m.at) for m in (first, moved)]

    revision = lg.submit(qc.uri, note="turntable", user="dev")
    assert isinstance(revision, Revision)
    assert revision.uid.startswith("rev-") and revision.status is ReviewStatus.SUBMITTED
    assert (revision.uri, revision.version_uid, revision.reviewed_by) == (qc.uri, qc.uid, None)
    judged = lg.review(revision.uid, "approved", note="lovely", user="sup")
    assert isinstance(judged, Revision) and judged.status is ReviewStatus.APPROVED
    assert (judged.uid, judged.note, judged.reviewed_by, judged.review_note) == (
        revision.uid, "turntable", "sup", "lovely")
    assert isinstance(judged.reviewed_at, datetime)
