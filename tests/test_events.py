"""Events: every publish, status change, tag, alias, review, submission, metadata change and
project load, in order, each with a cursor that resumes without duplicates or gaps
(legos.events, `legos events`)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from legos import events as ev
from legos.errors import InvalidInputError


def _history(lg, make_file):
    """One of everything, on two projects; returns the package's version URIs."""
    a1 = lg.publish("demo", "chr/a", kind="FileAsset", files=[make_file("a.txt", "1")],
                    comment="first")
    a2 = lg.publish("demo", "chr/a", kind="FileAsset", files=[make_file("a.txt", "2")])
    lg.tag(a1.uri, "hero")
    lg.set_alias(a2.uri, "final")
    lg.set_status(a1.uri, "approved", note="looks right")
    lg.set_meta("demo/chr/a", {"lod": 2})
    lg.set_meta(a2.uri, {"frame_in": 1001})
    revision = lg.submit(a2.uri, note="dailies")
    lg.review(revision.uid, "approved", note="ship it")
    lg.create_project("other")
    lg.publish("other", "b", kind="FileAsset", files=[make_file("b.txt", "b")])
    return a1, a2, revision


def test_events_give_every_kind_of_change_in_order(lg, make_file):
    a1, a2, revision = _history(lg, make_file)
    got = lg.events()
    assert [(e.kind, e.uri) for e in got if e.kind != "status" or e.uri == a1.uri][:8] == [
        ("publish", a1.uri), ("publish", a2.uri), ("tag", a1.uri), ("alias", a2.uri),
        ("status", a1.uri), ("meta", "legos:/demo/chr/a"), ("meta", a2.uri),
        ("submit", a2.uri)]
    kinds = [e.kind for e in got]
    assert kinds.count("review") == 1 and "project_load" in kinds
    assert kinds[-1] == "publish" and got[-1].uri == "legos:/other/b?version=1"
    assert [(e.at, e.uid) for e in got] == sorted((e.at, e.uid) for e in got)
    assert len({e.cursor for e in got}) == len(got)
    first = got[0]
    assert first.detail["comment"] == "first" and first.project == "demo" and first.user
    review = next(e for e in got if e.kind == "review")
    assert review.detail["revision"] == revision.uid and review.detail["to"] == "approved"
    meta = next(e for e in got if e.kind == "meta")
    assert meta.detail["key"] == "lod" and json.loads(meta.detail["to"]) == 2
    assert all(e.at.tzinfo is not None for e in got)
    # one project only
    assert {e.project for e in lg.events(project="other")} == {"other"}
    assert {e.project for e in lg.events(project="demo")} == {"demo"}


def test_resuming_after_a_cursor_gives_no_duplicate_and_no_gap_when_events_share_an_instant(
        lg, make_file):
    _history(lg, make_file)
    same = datetime(2020, 1, 2, 3, 4, 5, 123456, tzinfo=timezone.utc)
    # several events at one instant, of different kinds (changes and a version)
    lg.store.write(lambda tx: tx.run("MATCH (c:Change) SET c.at = $t", {"t": same}))
    lg.store.write(lambda tx: tx.run(
        "MATCH (v:Version {number: 2}) SET v.created_at = $t", {"t": same}))
    everything = lg.events()
    tied = [e for e in everything if e.at == same]
    assert len(tied) >= 8
    resumed, cursor = [], None
    while True:
        page = lg.events(after=cursor, limit=1) if cursor else lg.events(limit=1)
        if not page:
            break
        resumed += page
        cursor = page[-1].cursor
    assert [e.uid for e in resumed] == [e.uid for e in everything]
    middle = tied[3]
    assert [e.uid for e in lg.events(after=middle.cursor)] == [
        e.uid for e in everything[everything.index(middle) + 1:]]


def test_since_is_inclusive_and_needs_a_time_zone(lg, make_file):
    lg.publish("demo", "a", kind="FileAsset", files=[make_file("a.txt", "1")])
    second = lg.publish("demo", "a", kind="FileAsset", files=[make_file("a.txt", "2")])
    assert [e.uid for e in lg.events(since=second.created_at)] == [second.uid]
    assert [e.uid for e in lg.events(since=second.created_at.isoformat())] == [second.uid]
    with pytest.raises(InvalidInputError, match="time zone"):
        lg.events(since="2026-01-01T00:00:00")
    with pytest.raises(InvalidInputError, match="time zone"):
        lg.events(since=datetime(2026, 1, 1))
    with pytest.raises(InvalidInputError, match="not an events cursor"):
        lg.events(after="yesterday")
    with pytest.raises(InvalidInputError, match="not both"):
        lg.events(since="2026-01-01", after=ev.format_cursor(second.created_at, second.uid))
    assert lg.events(since="2999-01-01") == []


def test_follow_gives_what_happens_next(lg, make_file):
    lg.publish("demo", "a", kind="FileAsset", files=[make_file("a.txt", "1")])
    start = lg.events()[-1].cursor
    lg.publish("demo", "a", kind="FileAsset", files=[make_file("a.txt", "2")])
    lg.tag("legos:/demo/a?version=2", "hero")
    seen = []
    for event in ev.follow(lg.store, after=start, poll=0.05, settle=0):
        seen.append(event)
        if len(seen) == 2:
            break
    assert [e.kind for e in seen] == ["publish", "tag"]
    # nothing new: stop() ends it
    polls = []
    assert list(ev.follow(lg.store, after=seen[-1].cursor, poll=0.01, settle=0,
                          stop=lambda: polls.append(1) or len(polls) >= 3)) == []


def test_events_command_prints_lines_or_json_lines_and_resumes(run, make_file):
    run("publish", "demo/a", "--kind", "FileAsset", "--file", str(make_file("a.txt", "1")),
        "--comment", "first")
    run("tag", "legos:/demo/a?version=1", "hero")
    text = run("events").output.splitlines()
    assert len(text) == 2 and "publish" in text[0] and "'first'" in text[0]
    assert "tag" in text[1] and "hero" in text[1]
    lines = [json.loads(line) for line in run("events", "--json").output.splitlines()]
    assert [d["kind"] for d in lines] == ["publish", "tag"]
    after = run("events", "--json", "--after", lines[0]["cursor"]).output.splitlines()
    assert [json.loads(line)["kind"] for line in after] == ["tag"]
    assert run("events", "--project", "other").output == ""
    result = run("events", "--since", "2026-01-01T00:00:00", ok=False)
    assert result.exit_code == 1 and "time zone" in result.stderr
    run("publish", "demo/a", "--kind", "FileAsset", "--file", str(make_file("a.txt", "2")))
    followed = run("events", "--follow", "--json", "--after", lines[-1]["cursor"],
                   "--settle", "0", "--poll", "0.05", "--max-events", "1").output.splitlines()
    assert [json.loads(line)["uri"] for line in followed] == ["legos:/demo/a?version=2"]
    assert run("events", "--follow", "--settle", "0", "--poll", "0.05",
               "--timeout", "0.3").output == ""


def test_a_follower_process_sees_publishes_as_they_happen_and_stops_cleanly_on_ctrl_c(
        lg, store_location, make_file):
    env = {**os.environ, "LEGOS_STORE": store_location}
    follower = subprocess.Popen(
        [str(Path(sys.executable).parent / "legos"), "events", "--follow", "--json",
         "--since", "2000-01-01", "--settle", "0", "--poll", "0.1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        for i in range(3):
            lg.publish("demo", "a", kind="FileAsset", files=[make_file("a.txt", str(i))])
        got = [json.loads(follower.stdout.readline()) for _ in range(3)]
        assert [d["uri"] for d in got] == [f"legos:/demo/a?version={i}" for i in (1, 2, 3)]
        time.sleep(0.3)
        follower.send_signal(signal.SIGINT)
        _, err = follower.communicate(timeout=60)
    finally:
        if follower.poll() is None:
            follower.kill()
    assert follower.returncode == 0, err
    assert "Traceback" not in err
