"""Leaderboard periods, read in the workspace's time zone and turned into UTC bounds.

`today`, `week` (ISO, Monday first), `month`, `quarter`, `year` are relative to now; `YYYY-MM` and
`YYYY-Qn` name one month or quarter; `all` has no bounds. Local midnights become UTC instants
with zoneinfo, so a period that spans a daylight-saving change is 23 or 25 hours longer or shorter,
never shifted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

RELATIVE = ("today", "week", "month", "quarter", "year", "all")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
TREND_WEEKS = 12


@dataclass(frozen=True, slots=True)
class Window:
    """A period resolved to UTC bounds. `start`/`end` are None only for `all`."""

    period: str
    start: datetime | None  # inclusive
    end: datetime | None  # exclusive
    first_day: date | None = None  # local, inclusive
    last_day: date | None = None  # local, inclusive

    @property
    def bounded(self) -> bool:
        return self.start is not None


def normalise_period(word: str) -> str | None:
    """The canonical period key for a word the user typed, or None when it is not a period."""
    word = word.strip().lower()
    if word in RELATIVE:
        return word
    if m := _MONTH.match(word):
        return f"{m.group(1)}-{m.group(2)}"
    if m := _QUARTER.match(word):
        return f"{m.group(1)}-Q{m.group(2)}"
    return None


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The UTC instant at which `day` starts in `zone`."""
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def _quarter_start(year: int, quarter: int) -> date:
    return date(year, 3 * (quarter - 1) + 1, 1)


def _next_month(day: date, months: int = 1) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def resolve(period: str, *, now: datetime, tz: str) -> Window:
    """The UTC bounds of `period` (a key from `normalise_period`) as seen in `tz` at `now`."""
    key = normalise_period(period)
    if key is None:
        raise ValueError(f"not a period: {period!r}")
    if key == "all":
        return Window(key, None, None)
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    first, after = _span(key, today)
    return Window(
        key, local_midnight(first, zone), local_midnight(after, zone), first, after - timedelta(1)
    )


def previous_month(*, now: datetime, tz: str) -> Window:
    """The calendar month before the one `now` falls in, as seen in `tz`."""
    first = _span("month", now.astimezone(ZoneInfo(tz)).date())[0]
    return resolve(f"{first - timedelta(days=1):%Y-%m}", now=now, tz=tz)


def _span(key: str, today: date) -> tuple[date, date]:
    """The first local day of the period and the day after its last."""
    if key == "today":
        return today, today + timedelta(days=1)
    if key == "week":
        monday = today - timedelta(days=today.weekday())
        return monday, monday + timedelta(days=7)
    if key == "month":
        first = today.replace(day=1)
        return first, _next_month(first)
    if key == "quarter":
        first = _quarter_start(today.year, (today.month - 1) // 3 + 1)
        return first, _next_month(first, 3)
    if key == "year":
        return date(today.year, 1, 1), date(today.year + 1, 1, 1)
    if m := _MONTH.match(key):
        first = date(int(m.group(1)), int(m.group(2)), 1)
        return first, _next_month(first)
    m = _QUARTER.match(key)
    assert m is not None  # normalise_period accepted it
    first = _quarter_start(int(m.group(1)), int(m.group(2)))
    return first, _next_month(first, 3)


def week_starts(*, now: datetime, tz: str, weeks: int = TREND_WEEKS) -> list[datetime]:
    """UTC instants of the local Mondays starting the last `weeks` weeks, plus the next Monday
    (so `weeks + 1` bounds; the current week is the last bucket)."""
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    days = [monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks + 1)]
    return [local_midnight(d, zone) for d in days]


def weeks_between(start: datetime, end: datetime, *, tz: str) -> list[datetime]:
    """Local-Monday bounds covering [start, end): the Monday on or before `start` to the first
    Monday on or after `end`."""
    zone = ZoneInfo(tz)
    first = start.astimezone(zone).date()
    first -= timedelta(days=first.weekday())
    last = (end - timedelta(microseconds=1)).astimezone(zone).date()
    last += timedelta(days=7 - last.weekday())
    count = (last - first).days // 7
    return [local_midnight(first + timedelta(weeks=i), zone) for i in range(count + 1)]


# Local midnight is never more than 14 hours from UTC midnight (UTC-12 to UTC+14).
_NEAR = timedelta(hours=14)


@dataclass(frozen=True, slots=True)
class MonthSpan:
    """[start, end) as whole UTC months [first, after) ('YYYY-MM'), corrected by signed edges:
    (from, to, +1) adds what lies in [from, to), (from, to, -1) takes it away."""

    first: str
    after: str
    edges: tuple[tuple[datetime, datetime, int], ...]


def _nearest_month_start(at: datetime) -> datetime:
    this = at.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    following = datetime.combine(_next_month(this.date()), time.min, tzinfo=UTC)
    return this if at - this <= following - at else following


def month_span(start: datetime, end: datetime) -> MonthSpan | None:
    """Local months, quarters and years as UTC months plus a few hours at each end; None when
    [start, end) does not begin and end near a UTC month boundary (days and weeks)."""
    first, after = _nearest_month_start(start), _nearest_month_start(end)
    if first >= after or abs(start - first) > _NEAR or abs(end - after) > _NEAR:
        return None
    edges = []
    if start != first:
        edges.append((start, first, 1) if start < first else (first, start, -1))
    if end != after:
        edges.append((after, end, 1) if after < end else (end, after, -1))
    return MonthSpan(f"{first:%Y-%m}", f"{after:%Y-%m}", tuple(edges))
