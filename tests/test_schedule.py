"""Local times and days to UTC instants, across daylight-saving changes (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.schedule import (
    PostKind,
    Schedule,
    first_working_day,
    format_days,
    is_missed,
    next_run,
    parse_days,
    parse_time,
    period_of,
)

AMS = "Europe/Amsterdam"
WEEKDAYS = frozenset(range(5))


def runs(
    schedule: Schedule, start: datetime, count: int, kind=PostKind.PRINCIPLE
) -> list[datetime]:
    out, at = [], start
    for _ in range(count):
        at = next_run(at, schedule, kind=kind)
        out.append(at)
    return out


def local(at: datetime, tz: str = AMS) -> datetime:
    return at.astimezone(ZoneInfo(tz))


def test_principle_runs_at_nine_amsterdam_on_weekdays_only():
    schedule = Schedule(time(9, 0), WEEKDAYS, AMS)
    found = runs(schedule, datetime(2026, 11, 20, 12, 0, tzinfo=UTC), 7)  # from a Friday
    assert [local(r).strftime("%a %H:%M") for r in found] == [
        "Mon 09:00",
        "Tue 09:00",
        "Wed 09:00",
        "Thu 09:00",
        "Fri 09:00",
        "Mon 09:00",
        "Tue 09:00",
    ]
    assert found[0] == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # CET is UTC+1


def test_spring_forward_day_runs_once_at_local_nine():
    schedule = Schedule(time(9, 0), frozenset(range(7)), AMS)
    found = runs(schedule, datetime(2026, 3, 28, 12, 0, tzinfo=UTC), 2)
    assert found == [
        datetime(2026, 3, 29, 7, 0, tzinfo=UTC),
        datetime(2026, 3, 30, 7, 0, tzinfo=UTC),
    ]


def test_fall_back_day_runs_once_at_local_nine():
    schedule = Schedule(time(9, 0), frozenset(range(7)), AMS)
    found = runs(schedule, datetime(2026, 10, 24, 12, 0, tzinfo=UTC), 2)
    assert found == [
        datetime(2026, 10, 25, 8, 0, tzinfo=UTC),
        datetime(2026, 10, 26, 8, 0, tzinfo=UTC),
    ]


def test_a_time_inside_the_gap_still_runs_once_that_day():
    schedule = Schedule(time(2, 30), frozenset(range(7)), AMS)
    found = runs(schedule, datetime(2026, 3, 28, 12, 0, tzinfo=UTC), 3)
    assert [r.date() for r in found] == [date(2026, 3, 29), date(2026, 3, 30), date(2026, 3, 31)]
    assert len({local(r).date() for r in found}) == 3


def test_an_ambiguous_time_on_fall_back_runs_once_not_twice():
    schedule = Schedule(time(2, 30), frozenset(range(7)), AMS)
    found = runs(schedule, datetime(2026, 10, 24, 12, 0, tzinfo=UTC), 3)
    assert [local(r).date() for r in found] == [
        date(2026, 10, 25),
        date(2026, 10, 26),
        date(2026, 10, 27),
    ]
    assert found[0] == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the first 02:30 (CEST)


def test_periods_key_the_ledger():
    assert period_of(PostKind.PRINCIPLE, date(2026, 11, 23)) == "2026-11-23"
    assert period_of(PostKind.DIGEST, date(2026, 11, 27)) == "2026-W48"
    assert period_of(PostKind.DIGEST, date(2027, 1, 1)) == "2026-W53"
    assert period_of(PostKind.LEADERBOARD, date(2026, 11, 2)) == "2026-11"


def test_monthly_leaderboard_runs_on_the_first_working_day():
    schedule = Schedule(time(9, 0), WEEKDAYS, AMS)
    found = runs(schedule, datetime(2026, 10, 15, tzinfo=UTC), 3, kind=PostKind.LEADERBOARD)
    assert [local(r).date() for r in found] == [
        date(2026, 11, 2),
        date(2026, 12, 1),
        date(2027, 1, 1),
    ]
    assert first_working_day(2026, 8) == date(2026, 8, 3)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("mon-fri", "mon,tue,wed,thu,fri"),
        ("fri", "fri"),
        ("sat-mon", "mon,sat,sun"),
        ("mon,wed,fri", "mon,wed,fri"),
        ("weekdays", "mon,tue,wed,thu,fri"),
        ("Monday-Tuesday", "mon,tue"),
    ],
)
def test_reads_day_lists(text, days):
    assert format_days(parse_days(text)) == days


@pytest.mark.parametrize("text", ["", "someday", "mon-xyz", ","])
def test_refuses_what_is_not_a_day_list(text):
    assert parse_days(text) is None


@pytest.mark.parametrize(
    ("text", "parsed"), [("09:00", time(9)), ("9:30", time(9, 30)), ("16.45", time(16, 45))]
)
def test_reads_clock_times(text, parsed):
    assert parse_time(text) == parsed


@pytest.mark.parametrize("text", ["24:00", "9", "nine", "12:60", "-1:00"])
def test_refuses_what_is_not_a_clock_time(text):
    assert parse_time(text) is None


def test_a_run_is_missed_only_past_the_grace_window():
    at = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert not is_missed(at, at + timedelta(hours=2))
    assert is_missed(at, at + timedelta(hours=2, seconds=1))
