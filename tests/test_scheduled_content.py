"""What a burst of scheduled posts costs per post: a workspace's posts read it once, and the
part of a principle post that is the same for every workspace is rendered once, without one
post's lived example reaching another's. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient
from sqlalchemy import event

from bot.domain.clock import FixedClock
from bot.domain.ledger import claim_now
from bot.domain.model import TaggedRecognition, TeamRef, WorkspaceDefaults
from bot.domain.posts import PrinciplePost
from bot.domain.principles import Principle
from bot.domain.schedule import PostKind
from bot.domain.workspaces import change_setting, ensure_workspace
from bot.slack.views.posts import build_principle_post
from jobs.posts import publish
from tests.conftest import GIVER

AMS = ZoneInfo("Europe/Amsterdam")
SET_UP = datetime(2026, 11, 22, 19, 0, tzinfo=UTC)
NINE = datetime(2026, 12, 1, 9, 0, tzinfo=AMS).astimezone(UTC)
CHANNELS = {"principle": "C0DAILY", "digest": "C0WEEK", "leaderboard": "C0MONTH"}


@pytest.fixture
def every_kind(uow) -> None:
    """One workspace posting its principle, digest and leaderboard, each in its own channel."""
    with uow() as tx:
        workspace = ensure_workspace(
            tx, TeamRef("T0001"), WorkspaceDefaults(timezone="Europe/Amsterdam"), SET_UP
        )
        for kind, channel in CHANNELS.items():
            change_setting(
                tx, workspace, f"{kind}-channel", f"<#{channel}|c>", by=GIVER, now=SET_UP
            )
        tx.commit()


def test_a_workspaces_posts_read_the_workspace_once(uow, db, standin, every_kind):
    clock = FixedClock(NINE)
    claims = [c for kind in CHANNELS for c in claim_now(PostKind(kind), uow=uow(), clock=clock)]
    assert len(claims) == 3
    reads = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if "FROM workspaces" in statement and "workspaces.id =" in statement:
            reads.append(statement)

    client = WebClient(token="xoxb-t", base_url=standin.api_url, timeout=5)
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        published = publish(claims, uow=uow, clock=clock, client_for=lambda _ws: client)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert sorted(p.status for p in published) == ["sent", "sent", "sent"]
    assert sorted(c.channel for c in standin.calls_to("chat.postMessage")) == sorted(
        CHANNELS.values()
    )
    assert len(reads) == 1


CARE = Principle("care", "Care", "Show you care & mean it.", "Ask one customer how it went.", "Us")


def lived(recipient: str, reason: str) -> TaggedRecognition:
    return TaggedRecognition(recipient, "U0GIVER", reason, NINE)


def test_each_post_of_a_principle_shows_its_own_lived_example():
    first_text, first = build_principle_post(
        PrinciplePost(CARE, lived("U0ANA", "for calling back the same day"), "en")
    )
    kept = repr(first)
    second_text, second = build_principle_post(
        PrinciplePost(CARE, lived("U0BO", "for staying late with a customer"), "en")
    )
    _, nobody = build_principle_post(PrinciplePost(CARE, None, "en"))
    _, dutch = build_principle_post(PrinciplePost(CARE, None, "nl"))

    def says(blocks) -> str:
        return repr(blocks)

    assert "<@U0ANA>" in says(first) and "calling back" in says(first)
    assert "<@U0BO>" in says(second) and "staying late" in says(second)
    assert "U0ANA" not in says(second) and "U0BO" not in says(first)
    assert "U0ANA" not in says(nobody) and "U0BO" not in says(nobody)
    assert repr(first) == kept  # building the others changed nothing in it
    assert first_text == second_text  # the fallback text is about the principle only
    assert first[:3] == second[:3] == nobody[:3]  # header, explanation, try today
    assert first[-2:] == second[-2:] == nobody[-2:]  # source and buttons
    assert dutch[0] != nobody[0]  # rendered for each language
