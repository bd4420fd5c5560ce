"""The store's promise about time: an aware datetime of any zone goes in as its instant, and
every datetime comes out aware, in UTC, on every backend (LadybugDB itself drops offsets)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

EAST = timezone(timedelta(hours=2))
WEST = timezone(timedelta(hours=-5))
COUNT_UNTIL = "MATCH (v:Version) WHERE v.created_at <= $t RETURN count(v) AS n"


def test_an_aware_parameter_keeps_its_instant(lg):
    t = datetime(2026, 3, 1, 12, 0, tzinfo=EAST)
    got = lg.store.read(lambda tx: tx.run("RETURN $t AS t", {"t": t}))[0]["t"]
    assert got == t  # 10:00 UTC, not 12:00
    assert got.utcoffset() == timedelta(0)


def test_a_time_in_another_zone_compares_as_its_instant(lg, make_file):
    version = lg.publish("demo", "tex/a", kind="TextureAsset", files=[make_file("a.png")])
    created = lg.show(version.uri).created_at

    def published_until(t: datetime) -> int:
        return lg.store.read(lambda tx: tx.run(COUNT_UNTIL, {"t": t}))[0]["n"]

    assert published_until(created.astimezone(WEST)) == 1
    assert published_until((created - timedelta(microseconds=1)).astimezone(EAST)) == 0


def test_stored_times_come_back_aware_in_utc(lg, make_file):
    version = lg.publish("demo", "tex/a", kind="TextureAsset", files=[make_file("a.png")])
    assert lg.show(version.uri).created_at.utcoffset() == timedelta(0)
    [entry] = lg.history("legos:/demo/tex/a")
    assert entry.created_at.utcoffset() == timedelta(0)
