"""Exports delivered to Slack, uploaded to the asker's DM: managers' CSV (and the weekly chart),
and a person's own data (`/bravo me export`).

The manager export is shared by the Export CSV button and `/bravo export`. The domain checks
that the asker is a manager before anything is read; nothing is uploaded for anyone else.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.domain.deps import Deps
from bot.domain.errors import BravoError
from bot.domain.export import prepare_export, weekly_series, write_csv
from bot.domain.leaderboard import LeaderboardRequest
from bot.domain.model import TeamRef
from bot.domain.personal_files import personal_csv, personal_json
from bot.domain.privacy import personal_data
from bot.domain.workspaces import language_of
from bot.i18n import translator
from bot.slack.directory import SlackDirectory
from bot.slack.views.charts import render_weekly_chart
from bot.slack.views.errors import build_error
from bot.slack.views.leaderboard import export_sent_text, period_label
from bot.slack.views.privacy import my_export_titles


@dataclass(frozen=True, slots=True)
class ExportSent:
    language: str
    rows: int
    channel_id: str


def send_export(
    request: LeaderboardRequest, *, deps: Deps, client: WebClient, chart: bool = True
) -> ExportSent:
    """Export `request`'s recognitions as CSV to the asker's DM, with the weekly chart."""
    job = prepare_export(
        request,
        uow=deps.uow(),
        clock=deps.clock,
        directory=SlackDirectory(client),
        managers=deps.managers,
        defaults=deps.defaults,
    )
    _ = translator(job.language)
    period = period_label(job.window, job.language)
    with tempfile.TemporaryDirectory(prefix="bravo-export-") as folder:
        path = Path(folder) / job.filename
        with path.open("w", newline="", encoding="utf-8") as out:
            rows = write_csv(job, out, uow=deps.uow())
        uploads = [
            {
                "file": str(path),
                "filename": job.filename,
                "title": _("board.export.csv_title", period=period),
            }
        ]
        if chart:
            series = weekly_series(job, uow=deps.uow(), clock=deps.clock)
            uploads.append(
                {
                    "content": render_weekly_chart(series, title=period),
                    "filename": job.filename.removesuffix(".csv") + ".png",
                    "title": _("board.export.chart_title", period=period),
                }
            )
        comment = _("board.export.comment", period=period, count=rows)
        dm = upload_to_dm(client, request.asker, uploads, comment)
    return ExportSent(job.language, rows, dm)


def upload_to_dm(client: WebClient, user: str, uploads: list[dict], comment: str) -> str:
    """Upload files to `user`'s DM with Bravo, with one comment; returns the DM's id."""
    dm = client.conversations_open(users=user)["channel"]["id"]
    client.files_upload_v2(channel=dm, file_uploads=uploads, initial_comment=comment)
    return dm


def send_my_data(team: TeamRef, user: str, *, deps: Deps, client: WebClient) -> str:
    """`/bravo me export`: the person's own data as JSON and CSV in their DM; the language."""
    data = personal_data(
        team,
        user,
        uow=deps.uow(),
        clock=deps.clock,
        directory=SlackDirectory(client),
        defaults=deps.defaults,
    )
    json_title, csv_title, comment = my_export_titles(data.language)
    uploads = [
        {"content": personal_json(data), "filename": "bravo-my-data.json", "title": json_title},
        {"content": personal_csv(data), "filename": "bravo-my-data.csv", "title": csv_title},
    ]
    upload_to_dm(client, user, uploads, comment)
    return data.language


def export_to_dm(
    request: LeaderboardRequest, *, deps: Deps, client: WebClient, respond: Respond
) -> None:
    """Send the export, then tell the asker privately what was sent, or why nothing was.

    Call it after `ack()`. Refusals are answered here rather than raised: Bolt clears an ack
    that a listener raised right after, so Slack would see "unhandled request" (404) instead.
    """
    try:
        sent = send_export(request, deps=deps, client=client)
    except BravoError as refusal:
        text = build_error(
            refusal,
            language_of(request.team.team_id, uow=deps.uow(), defaults=deps.defaults),
        )
    else:
        text = export_sent_text(sent.language, sent.rows)
    respond(replace_original=False, response_type="ephemeral", text=text)
