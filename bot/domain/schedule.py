"""When scheduled posts are due: local times and days, computed in UTC with zoneinfo.

Each occurrence belongs to one period (a local date, an ISO week or a month). The ledger keys on
that period, so a daylight-saving change can move an occurrence but never double it or skip it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAYS = frozenset(range(5))
GRACE = timedelta(hours=2)  # a run missed by longer than this is skipped, never posted late


class PostKind(StrEnum):
    PRINCIPLE = "principle"
    DIGEST = "digest"
    LEADERBOARD = "leaderboard"
    # Not a post: the member directory sync, claimed in the same ledger (once per period).
    MEMBERS = "members"
    # Not a post: deleting an uninstalled workspace past its retention, claimed once a day.
    RETENTION = "retention"


SYNC_EVERY = timedelta(hours=6)


def sync_period(at: datetime) -> str:
    """The six-hour UTC window a directory sync belongs to: `2026-11-23T06`."""
    hour = at.astimezone(UTC).hour // 6 * 6
    return f"{at.astimezone(UTC):%Y-%m-%d}T{hour:02d}"


@dataclass(frozen=True, slots=True)
class Schedule:
    local_time: time
    days: frozenset[int]  # 0 = Monday
    timezone: str


DEFAULTS: dict[PostKind, tuple[str, str]] = {
    PostKind.PRINCIPLE: ("09:00", "mon,tue,wed,thu,fri"),
    PostKind.DIGEST: ("16:00", "fri"),
    PostKind.LEADERBOARD: ("09:00", "mon,tue,wed,thu,fri"),
}

_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def parse_time(text: str) -> time | None:
    """`09:00`, `9:30`, `16.45` -> time; None when it is not a clock time."""
    match = _TIME.match(text.strip())
    return time(int(match.group(1)), int(match.group(2))) if match else None


def format_time(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def parse_days(text: str) -> frozenset[int] | None:
    """`mon-fri`, `mon,wed,fri`, `weekdays`, `daily`, `sat-sun`; None when not understood."""
    text = text.strip().lower().replace(" ", "")
    if text in ("weekdays", "workdays", "werkdagen"):
        return WEEKDAYS
    if text in ("daily", "everyday", "all", "dagelijks"):
        return frozenset(range(7))
    days: set[int] = set()
    for part in filter(None, text.split(",")):
        start, _, end = part.partition("-")
        first, last = _day(start), _day(end or start)
        if first is None or last is None:
            return None
        span = (last - first) % 7
        days.update((first + i) % 7 for i in range(span + 1))
    return frozenset(days) or None


def _day(name: str) -> int | None:
    name = name[:3]
    return DAY_NAMES.index(name) if name in DAY_NAMES else None


def format_days(days: frozenset[int]) -> str:
    return ",".join(DAY_NAMES[d] for d in sorted(days))


def schedule_of(local_time: str, days: str, timezone: str) -> Schedule:
    parsed_time, parsed_days = parse_time(local_time), parse_days(days)
    if parsed_time is None or parsed_days is None:
        raise ValueError(f"bad schedule {local_time!r} {days!r}")
    return Schedule(parsed_time, parsed_days, timezone)


def _at(day: date, schedule: Schedule) -> datetime:
    """The UTC instant of `schedule.local_time` on a local `day`.

    A time that does not exist (spring forward) lands just after the gap; an ambiguous one
    (fall back) takes its first occurrence. Either way each local day has exactly one instant.
    """
    local = datetime.combine(day, schedule.local_time, tzinfo=ZoneInfo(schedule.timezone))
    return local.astimezone(UTC)


def next_run(
    after: datetime, schedule: Schedule, *, kind: PostKind = PostKind.PRINCIPLE
) -> datetime:
    """The first occurrence strictly after `after` (UTC)."""
    zone = ZoneInfo(schedule.timezone)
    day = after.astimezone(zone).date()
    for offset in range(0, 400):
        candidate = day + timedelta(days=offset)
        if not _runs_on(candidate, schedule, kind):
            continue
        at = _at(candidate, schedule)
        if at > after:
            return at
    raise ValueError("schedule has no occurrence within a year")


def _runs_on(day: date, schedule: Schedule, kind: PostKind) -> bool:
    if kind is PostKind.LEADERBOARD:
        return day == first_working_day(day.year, day.month, schedule.days)
    return day.weekday() in schedule.days


def first_working_day(year: int, month: int, days: frozenset[int] = WEEKDAYS) -> date:
    day = date(year, month, 1)
    while day.weekday() not in (days or WEEKDAYS):
        day += timedelta(days=1)
    return day


def local_date(at: datetime, timezone: str) -> date:
    return at.astimezone(ZoneInfo(timezone)).date()


def period_of(kind: PostKind, day: date) -> str:
    """The ledger period an occurrence on local `day` belongs to."""
    if kind is PostKind.DIGEST:
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if kind is PostKind.LEADERBOARD:
        return f"{day.year}-{day.month:02d}"
    return day.isoformat()


def is_missed(occurrence: datetime, now: datetime, grace: timedelta = GRACE) -> bool:
    return now - occurrence > grace
