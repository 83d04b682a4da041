"""The CSV export (SPEC 2.3, 2.4 `/bravo export`, 4.2 `bravo export`): one row per recognition.

Slack-free. `prepare_export` checks that the asker is a manager and fixes what to export;
`write_csv` streams the rows into any text file. The Slack side uploads the file to a DM; the
command line writes it to a file or standard output.
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.domain.clock import Clock
from bot.domain.errors import NotFound
from bot.domain.leaderboard import (
    LeaderboardRequest,
    ManagersOnly,
    identify,
    slice_for,
)
from bot.domain.model import ExportRow, WorkspaceDefaults
from bot.domain.periods import Window, local_midnight, resolve, weeks_between
from bot.domain.ports import Directory, UnitOfWork
from bot.domain.rankings import Slice

COLUMNS = (
    "date",
    "giver",
    "giver_id",
    "recipient",
    "recipient_id",
    "kind",
    "principles",
    "story",
    "channel",
    "reason",
    "source",
)
# A spreadsheet runs a cell that starts like a formula; such text is written with a quote first.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
CHART_WEEKS_MIN = 12


@dataclass(frozen=True, slots=True)
class ExportJob:
    """What to export, decided once: the workspace, its time zone and the slice."""

    workspace_id: int
    team_id: str
    timezone: str
    language: str
    window: Window
    where: Slice

    @property
    def filename(self) -> str:
        return f"bravo-{self.team_id}-{self.window.period}.csv".lower()


def prepare_export(
    request: LeaderboardRequest,
    *,
    uow: UnitOfWork,
    clock: Clock,
    directory: Directory,
    managers: Collection[str] = (),
    defaults: WorkspaceDefaults = WorkspaceDefaults(),
) -> ExportJob:
    """The export a manager asked for; anyone else is refused before anything is read."""
    now = clock.now()
    with uow:
        viewer = identify(
            uow, request.team, request.asker, directory=directory, managers=managers,
            defaults=defaults, now=now,
        )  # fmt: skip
        uow.commit()
    if not viewer.manager:
        raise ManagersOnly()
    window = resolve(request.period, now=now, tz=viewer.workspace.timezone)
    return ExportJob(
        workspace_id=viewer.workspace.id,
        team_id=viewer.workspace.team_id,
        timezone=viewer.workspace.timezone,
        language=viewer.workspace.language,
        window=window,
        where=slice_for(request, window, directory),
    )


def operator_export(team_id: str, period: str, *, uow: UnitOfWork, clock: Clock) -> ExportJob:
    """The export for `bravo export`: whoever runs the command line already holds the data."""
    with uow:
        workspace = uow.workspaces.by_team(team_id)
    if workspace is None:
        raise NotFound(team=team_id)
    window = resolve(period, now=clock.now(), tz=workspace.timezone)
    return ExportJob(
        workspace_id=workspace.id,
        team_id=workspace.team_id,
        timezone=workspace.timezone,
        language=workspace.language,
        window=window,
        where=Slice(start=window.start, end=window.end),
    )


def write_csv(job: ExportJob, out: TextIO, *, uow: UnitOfWork) -> int:
    """Stream the job's recognitions into `out` as CSV; returns the number of rows."""
    with uow:
        return write_rows(
            uow.leaderboard.export_rows(job.workspace_id, job.where), out, job.timezone
        )


def write_rows(rows: Iterable[ExportRow], out: TextIO, timezone: str) -> int:
    zone = ZoneInfo(timezone)
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    for row in rows:
        writer.writerow(
            [
                row.at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                spreadsheet_safe(row.giver),
                row.giver_id,
                spreadsheet_safe(row.recipient),
                row.recipient_id,
                row.kind,
                " ".join(row.principles),
                spreadsheet_safe(row.story),
                row.channel_id,
                spreadsheet_safe(row.reason),
                row.source,
            ]
        )
        count += 1
    return count


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(_FORMULA) else text


@dataclass(frozen=True, slots=True)
class WeeklySeries:
    """Recognitions per local week (Monday first), split by kind: what the chart draws."""

    language: str
    weeks: tuple[date, ...]  # local Mondays
    success: tuple[int, ...]
    recovery: tuple[int, ...]


def weekly_series(job: ExportJob, *, uow: UnitOfWork, clock: Clock) -> WeeklySeries:
    """The job's slice per week: its whole period, and at least the 12 weeks up to its end."""
    now = clock.now()
    zone = ZoneInfo(job.timezone)
    end = job.window.end or now
    earliest = local_midnight(end.astimezone(zone).date() - timedelta(weeks=CHART_WEEKS_MIN), zone)
    with uow:
        start = job.window.start or uow.leaderboard.first_recognition(job.workspace_id) or now
        bounds = weeks_between(min(start, earliest), end, tz=job.timezone)
        series = uow.leaderboard.weekly(
            job.workspace_id, replace(job.where, start=None, end=None), bounds
        )
    return WeeklySeries(
        language=job.language,
        weeks=tuple(b.astimezone(zone).date() for b in bounds[:-1]),
        success=tuple(s for s, _ in series),
        recovery=tuple(r for _, r in series),
    )
