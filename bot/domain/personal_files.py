"""A person's own data as files (`/bravo me export`): JSON with everything, CSV one row per item.

Slack-free: the Slack side uploads what these return to the person's DM.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from datetime import datetime

from bot.domain.export import spreadsheet_safe
from bot.domain.privacy import PersonalData

CSV_COLUMNS = ("section", "date", "people", "kind", "principles", "title", "text")


def personal_json(data: PersonalData) -> str:
    """Everything, nested by section, dates in ISO 8601 (UTC)."""
    records = data.records
    document = {
        "workspace": data.team_id,
        "user_id": data.user_id,
        "exported_at": _iso(data.exported_at),
        "profile": asdict(data.profile) if data.profile else None,
        "shoutouts_given": [_dated(asdict(r)) for r in records.given],
        "recognitions_received": [_dated(asdict(r)) for r in records.received],
        "stories": [_dated(asdict(r)) for r in records.stories],
        "applause_given": [_dated(asdict(r)) for r in records.applause],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def personal_csv(data: PersonalData) -> str:
    """The same records, one row per shout-out, recognition, story or applause."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    records = data.records
    profile = data.profile
    if profile:
        writer.writerow(["profile", "", profile.user_id, "", "", profile.name, profile.tz or ""])
    for g in records.given:
        writer.writerow(_row("given", g.at, g.recipients, g.kind, g.principles, "", g.reason))
    for r in records.received:
        writer.writerow(_row("received", r.at, (r.giver,), r.kind, (), r.story, r.reason))
    for s in records.stories:
        writer.writerow(_row("story", s.at, s.teammates, s.kind, s.principles, s.title, s.body))
    for a in records.applause:
        writer.writerow(_row("applause", a.at, (), "", (), a.story, a.shoutout))
    return out.getvalue()


def _row(section, at, people, kind, principles, title, text) -> list[str]:
    return [
        section,
        _iso(at),
        " ".join(people),
        kind,
        " ".join(principles),
        spreadsheet_safe(title),
        spreadsheet_safe(text),
    ]


def _dated(record: dict) -> dict:
    return {**record, "at": _iso(record["at"])}


def _iso(at: datetime) -> str:
    return at.isoformat(timespec="seconds")
