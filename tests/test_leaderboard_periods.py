"""Leaderboard periods: local calendars turned into UTC bounds, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.periods import normalise_period, resolve, week_starts, weeks_between

AMS = "Europe/Amsterdam"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("month", "month"),
        ("MONTH", "month"),
        ("all", "all"),
        ("2026-11", "2026-11"),
        ("2026-q3", "2026-Q3"),
        ("2026-Q4", "2026-Q4"),
        ("2026-13", None),
        ("2026-Q5", None),
        ("2026-1", None),
        ("last-month", None),
    ],
)
def test_reads_the_periods_spec_names(typed, key):
    assert normalise_period(typed) == key


def test_month_runs_from_local_midnight_to_local_midnight():
    window = resolve("month", now=utc(2026, 11, 23, 10), tz=AMS)
    assert (window.start, window.end) == (utc(2026, 10, 31, 23), utc(2026, 11, 30, 23))
    assert (window.first_day, window.last_day) == (date(2026, 11, 1), date(2026, 11, 30))


def test_just_after_local_midnight_is_already_the_next_month():
    window = resolve("month", now=utc(2026, 11, 30, 23, 30), tz=AMS)  # 1 Dec 00:30 local
    assert window.first_day == date(2026, 12, 1)
    assert window.start == utc(2026, 11, 30, 23)


def test_a_month_with_the_spring_change_is_an_hour_short():
    window = resolve("2026-03", now=utc(2026, 11, 23), tz=AMS)
    assert (window.start, window.end) == (utc(2026, 2, 28, 23), utc(2026, 3, 31, 22))
    assert window.end - window.start == timedelta(days=31, hours=-1)


def test_a_week_across_the_spring_change_starts_and_ends_at_local_midnight():
    window = resolve("week", now=utc(2026, 3, 25, 12), tz=AMS)
    assert (window.first_day, window.last_day) == (date(2026, 3, 23), date(2026, 3, 29))
    assert (window.start, window.end) == (utc(2026, 3, 22, 23), utc(2026, 3, 29, 22))


def test_the_autumn_change_makes_a_25_hour_day():
    window = resolve("today", now=utc(2026, 10, 25, 12), tz=AMS)
    assert window.end - window.start == timedelta(hours=25)


def test_a_day_whose_midnight_does_not_exist_starts_at_its_first_instant():
    # Chile moves its clocks from 00:00 to 01:00 on 6 September 2026.
    window = resolve("today", now=utc(2026, 9, 6, 15), tz="America/Santiago")
    assert (window.start, window.end) == (utc(2026, 9, 6, 4), utc(2026, 9, 7, 3))


def test_year_follows_the_workspace_zone_not_utc():
    window = resolve("year", now=utc(2026, 12, 31, 12), tz="Pacific/Auckland")
    assert window.first_day == date(2027, 1, 1)
    assert window.start == utc(2026, 12, 31, 11)


def test_quarters_relative_and_named_agree():
    now = utc(2026, 11, 1)
    relative = resolve("quarter", now=now, tz="America/New_York")
    named = resolve("2026-Q4", now=now, tz="America/New_York")
    assert (relative.start, relative.end) == (named.start, named.end)
    assert (named.start, named.end) == (utc(2026, 10, 1, 4), utc(2027, 1, 1, 5))


def test_all_time_has_no_bounds():
    window = resolve("all", now=utc(2026, 11, 23), tz=AMS)
    assert (window.start, window.end, window.bounded) == (None, None, False)


def test_refuses_what_is_not_a_period():
    with pytest.raises(ValueError):
        resolve("soon", now=utc(2026, 11, 23), tz=AMS)


def test_twelve_week_trend_bounds_are_consecutive_local_mondays():
    bounds = week_starts(now=utc(2026, 4, 8, 12), tz=AMS)  # spans the March change
    assert len(bounds) == 13
    assert bounds[0] == utc(2026, 1, 18, 23)  # Monday 19 January, local midnight
    assert bounds[-1] == utc(2026, 4, 12, 22)  # Monday 13 April, local midnight (summer time)
    local = [b.astimezone(ZoneInfo(AMS)) for b in bounds]
    assert all(d.weekday() == 0 and d.hour == 0 for d in local)


def test_weeks_between_covers_a_whole_month():
    window = resolve("2026-11", now=utc(2026, 11, 23), tz=AMS)
    bounds = weeks_between(window.start, window.end, tz=AMS)
    assert bounds[0] == utc(2026, 10, 25, 23)  # Monday 26 October
    assert bounds[-1] == utc(2026, 12, 6, 23)  # Monday 7 December: 30 November is a Monday
    assert len(bounds) == 7
