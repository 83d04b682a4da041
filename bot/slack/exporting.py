"""Manager exports delivered to Slack: the CSV (and the weekly chart) uploaded to the manager's DM.

Shared by the Export CSV button and `/bravo export`. The domain checks that the asker is a
manager before anything is read; nothing is uploaded for anyone else.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from slack_sdk import WebClient

from bot.charts import render_weekly_chart
from bot.domain.export import prepare_export, weekly_series, write_csv
from bot.domain.leaderboard import LeaderboardRequest
from bot.i18n import translator
from bot.services import Services
from bot.slack.directory import SlackDirectory
from bot.slack.views.leaderboard import period_label


@dataclass(frozen=True, slots=True)
class ExportSent:
    language: str
    rows: int
    channel_id: str


def send_export(
    request: LeaderboardRequest, *, services: Services, client: WebClient, chart: bool = True
) -> ExportSent:
    """Export `request`'s recognitions as CSV to the asker's DM, with the weekly chart."""
    job = prepare_export(
        request,
        uow=services.uow(),
        clock=services.clock,
        directory=SlackDirectory(client),
        managers=services.managers,
        defaults=services.defaults,
    )
    _ = translator(job.language)
    period = period_label(job.window, job.language)
    with tempfile.TemporaryDirectory(prefix="bravo-export-") as folder:
        path = Path(folder) / job.filename
        with path.open("w", newline="", encoding="utf-8") as out:
            rows = write_csv(job, out, uow=services.uow())
        uploads = [
            {
                "file": str(path),
                "filename": job.filename,
                "title": _("board.export.csv_title", period=period),
            }
        ]
        if chart:
            series = weekly_series(job, uow=services.uow(), clock=services.clock)
            uploads.append(
                {
                    "content": render_weekly_chart(series, title=period),
                    "filename": job.filename.removesuffix(".csv") + ".png",
                    "title": _("board.export.chart_title", period=period),
                }
            )
        dm = client.conversations_open(users=request.asker)["channel"]["id"]
        client.files_upload_v2(
            channel=dm,
            file_uploads=uploads,
            initial_comment=_("board.export.comment", period=period, rows=rows),
        )
    return ExportSent(job.language, rows, dm)
