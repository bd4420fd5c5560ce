"""Asset URIs: parse and format round-trip (times included); malformed ones name their bad part."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from urllib.parse import quote

import pytest
from hypothesis import given, strategies as st

from legos.errors import InvalidInputError, InvalidURIError
from legos.uri import AssetURI, format_time, parse_time, parse_uri

segment = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,10}", fullmatch=True)
project = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,10}", fullmatch=True)


@given(project, st.lists(segment, min_size=1, max_size=5),
       st.one_of(st.none(), st.integers(1, 10**6)), st.one_of(st.none(), segment))
def test_uris_round_trip(proj, segments, version, rep):
    uri = AssetURI(proj, "/".join(segments), version=version, rep=rep)
    assert parse_uri(str(uri)) == uri


def test_parse_reads_every_part():
    uri = parse_uri("legos:/demo/chr/skaarj/model?version=3&rep=usd")
    assert (uri.project, uri.asset, uri.version, uri.rep) == ("demo", "chr/skaarj/model", 3, "usd")
    assert parse_uri("legos:/demo/a?version=latest").version is None
    assert parse_uri("legos:/demo/a?status=approved").status == "approved"


@pytest.mark.parametrize("text, part", [
    ("demo/chr/model", "not a legos URI"),
    ("legos://demo/a", "more than one '/' after 'legos:'"),
    ("legos:/" + "p" * 300 + "/a", "project code 'p+'... is 300 characters long: at most 64"),
    ("legos:/demo/" + "a" * 300, "'a+'... is 300 characters long: at most 128"),
    ("legos:/Demo/a", "project code 'Demo'"),
    ("legos:/demo", "asset name is required"),
    ("legos:/demo/a//b", "at ''"),
    ("legos:/demo/a/../b", "at '..'"),
    ("legos:/demo/a?version=0", "not a positive number"),
    ("legos:/demo/a?version=x", "not a positive number"),
    ("legos:/demo/a?versoin=3", "unknown parameter 'versoin'"),
    ("legos:/demo/a?version=1&version=2", "given twice"),
    ("legos:/demo/a?status=great", "unknown status 'great'"),
    ("legos:/demo/a?version=2&status=approved", "not both"),
    ("legos:/demo/a?rep=", "has no value"),
])
def test_malformed_uris_name_the_bad_part(text, part):
    with pytest.raises(InvalidURIError, match=part.replace("?", r"\?").replace(".", r"\.")):
        parse_uri(text)


def _near(valid: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Valid text, often with one small edit (a few characters cut, stray text put in): the
    parser is tried at every step, not only at its first check as with plain st.text()."""
    edits = st.tuples(st.integers(0, 60), st.integers(0, 3),
                      st.one_of(st.just(""), st.text(max_size=3),
                                st.sampled_from(["/", "?", "&", "=", "%", ":", "+", "Z", "T", ".."])))
    return st.tuples(valid, edits).map(
        lambda pair: pair[0][:pair[1][0]] + pair[1][2] + pair[0][pair[1][0] + pair[1][1]:])


_queries = st.lists(st.sampled_from(["version=3", "version=0", "status=approved", "status=great",
                                     "tag=hero", "at=2026-11-20T18:00Z", "at=2026-11-20",
                                     "rep=usd", "rep=tex/a.png", "versoin=3", "rep="]),
                    max_size=3).map(lambda qs: "?" + "&".join(qs) if qs else "")
near_uris = _near(st.builds(lambda proj, segments, query: f"legos:/{proj}/{'/'.join(segments)}{query}",
                            project, st.lists(segment, min_size=1, max_size=3), _queries))


@given(near_uris)
def test_parse_never_fails_with_anything_but_a_uri_error(text):
    try:
        uri = parse_uri(text)
    except InvalidURIError:
        return
    assert parse_uri(str(uri)) == uri  # what it accepts, it writes back as the same URI


# -- `at`: an instant, written with Z, an offset or as a date; always held in UTC --------------

instants = st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(9998, 12, 30),
                        timezones=st.just(timezone.utc))
offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))


@given(project, st.lists(segment, min_size=1, max_size=3), st.one_of(st.none(), instants),
       st.one_of(st.none(), st.sampled_from(["approved", "wip", "review"])),
       st.one_of(st.none(), st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,20}", fullmatch=True)),
       st.one_of(st.none(), st.text(min_size=1, max_size=12)))
def test_uris_with_rules_and_times_round_trip(proj, segments, at, status, tag, rep):
    uri = AssetURI(proj, "/".join(segments), status=status, tag=tag, at=at, rep=rep)
    assert parse_uri(str(uri)) == uri


@given(instants, offsets, st.sampled_from(["seconds", "minutes", "microseconds"]),
       st.sampled_from(["T", " "]))
def test_at_written_with_any_offset_is_the_same_utc_instant(instant, offset, spec, sep):
    local = instant.astimezone(offset)
    text = local.isoformat(sep=sep, timespec=spec)
    if spec == "minutes":
        instant = instant.replace(second=0, microsecond=0)
    elif spec == "seconds":
        instant = instant.replace(microsecond=0)
    if offset.utcoffset(None) == timedelta(0) and sep == "T":
        text = text.replace("+00:00", "Z")
    uri = parse_uri(f"legos:/demo/a?at={text}")
    assert uri.at == instant and uri.at.tzinfo == timezone.utc
    assert parse_time(text) == instant


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9999, 12, 31)))
def test_a_date_means_its_first_instant_in_utc(day):
    assert parse_time(day.isoformat()) == datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


def test_at_parses_the_documented_forms():
    expected = datetime(2026, 11, 20, 18, 0, tzinfo=timezone.utc)
    for text in ("2026-11-20T18:00Z", "2026-11-20T18:00:00Z", "2026-11-20T19:00+01:00",
                 "2026-11-20T13:00-05:00", "2026-11-20T18:00:00.000000+00:00"):
        assert parse_uri(f"legos:/demo/a?at={text}").at == expected, text
    # '+' stays an offset (a query parser reading it as a space would shift the instant)
    assert parse_uri("legos:/demo/a?at=2026-11-20T19:00+01:00&status=approved").at == expected
    assert parse_uri("legos:/demo/a?at=2026-11-20T19%3A00%2B01%3A00").at == expected
    uri = parse_uri("legos:/demo/a?status=approved&tag=hero&at=2026-11-20")
    assert (uri.status, uri.tag, uri.at) == ("approved", "hero", datetime(2026, 11, 20, tzinfo=timezone.utc))
    assert str(parse_uri("legos:/demo/a?at=2026-11-20T19:00+01:00")) == \
        "legos:/demo/a?at=2026-11-20T18:00:00Z"
    assert format_time(datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=timezone.utc)) == \
        "2026-01-02T03:04:05.000006Z"


@pytest.mark.parametrize("text, part", [
    ("legos:/demo/a?at=2026-11-20T18:00", "no time zone"),
    ("legos:/demo/a?at=tuesday", "time 'tuesday' is not ISO 8601"),
    ("legos:/demo/a?at=2026-13-01", "time '2026-13-01' is not ISO 8601"),
    ("legos:/demo/a?at=2026-11-20T25:00Z", "is not ISO 8601"),
    ("legos:/demo/a?at=0001-01-01T00:00+01:00", "out of range"),
    ("legos:/demo/a?at=", "parameter 'at' has no value"),
    ("legos:/demo/a?at=2026-11-20&at=2026-11-21", "'at' is given twice"),
    ("legos:/demo/a?version=3&at=2026-11-20", "not both"),
    ("legos:/demo/a?tag=a%20b", "tag 'a b' is not valid"),
])
def test_malformed_times_name_the_bad_part(text, part):
    with pytest.raises(InvalidURIError, match=part.replace("?", r"\?")):
        parse_uri(text)


# near-valid times: ISO 8601 instants and dates, often with one small edit
near_times = _near(st.one_of(
    st.builds(lambda instant, offset, spec, sep: instant.astimezone(offset).isoformat(sep, spec),
              instants, offsets, st.sampled_from(["seconds", "minutes", "microseconds"]),
              st.sampled_from(["T", " "])),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat)))


@given(near_times)
def test_parse_time_fails_only_with_an_input_error(text):
    try:
        instant = parse_time(text)
    except InvalidInputError:
        return
    assert instant.tzinfo == timezone.utc


@given(near_times)
def test_any_at_value_parses_or_is_a_uri_error(text):
    try:
        uri = parse_uri("legos:/demo/a?at=" + quote(text, safe=""))
    except InvalidURIError:
        return
    assert uri.at is not None and uri.at == parse_time(text) and uri.at.tzinfo == timezone.utc


def test_one_parser_takes_an_asset_as_project_slash_asset_or_as_a_uri():
    from legos.uri import parse_asset, parse_reference

    assert parse_reference("demo/chr/model") == parse_uri("legos:/demo/chr/model")
    assert parse_reference("legos:/demo/chr/model?version=2").version == 2
    assert parse_asset("legos:/demo/chr/model").path == "demo/chr/model"
    for text, message in (("/demo/chr/model", "starts with '/'"),
                          ("demo/chr/model?version=2", "rules need the URI form"),
                          ("demo", "is not PROJECT/ASSET"), (None, "names no asset")):
        with pytest.raises(InvalidURIError, match=message):
            parse_reference(text)
    with pytest.raises(InvalidURIError, match="takes an asset"):
        parse_asset("legos:/demo/chr/model?tag=hero")
