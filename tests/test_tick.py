"""The clock's tick and run-job on real databases against the stand-in, with a fixed clock."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient

from bot.domain.clock import FixedClock
from bot.domain.library import LIBRARY
from bot.domain.model import TeamRef, WorkspaceDefaults
from bot.domain.schedule import PostKind
from bot.domain.workspaces import change_setting, ensure_workspace
from jobs.tick import run_job, tick
from tests.conftest import GIVER

AMS = ZoneInfo("Europe/Amsterdam")
DEFAULTS = WorkspaceDefaults(timezone="Europe/Amsterdam")


def at(text: str) -> datetime:
    """Local Amsterdam time as UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=AMS).astimezone(UTC)


def setup_team(uow, now: datetime, team="T0001", **settings: str) -> None:
    with uow() as tx:
        workspace = ensure_workspace(tx, TeamRef(team), DEFAULTS, now)
        for key, value in settings.items():
            change_setting(tx, workspace, key.replace("_", "-"), value, by=GIVER, now=now)
        tx.commit()


@pytest.fixture
def client(standin):
    return WebClient(token="xoxb-t", base_url=standin.api_url, timeout=1)


def run_tick(uow, client, now: datetime):
    return tick(uow=uow, clock=FixedClock(now), client_for=lambda _ws: client)


def posts(standin, channel="C0DAILY"):
    return [c for c in standin.calls_to("chat.postMessage") if c.channel == channel]


def test_principle_posts_at_nine_on_weekdays_only(uow, standin, client):
    setup_team(uow, at("2026-11-22T20:00"), principle_channel="<#C0DAILY|daily>")
    run_tick(uow, client, at("2026-11-23T08:59"))
    assert posts(standin) == []
    for minute in ("09:00", "09:01", "12:00"):
        run_tick(uow, client, at(f"2026-11-23T{minute}"))
    assert len(posts(standin)) == 1
    for day in range(24, 31):  # Tuesday to the next Monday, every local 09:00 and 09:05
        run_tick(uow, client, at(f"2026-11-{day}T09:00"))
        run_tick(uow, client, at(f"2026-11-{day}T09:05"))
    assert len(posts(standin)) == 1 + 4 + 1  # Tue-Fri, then Monday; no weekend posts


@pytest.mark.parametrize("start", ["2026-03-28T06:00", "2026-10-24T06:00"])
def test_daylight_saving_days_neither_double_fire_nor_skip(uow, standin, client, db, start):
    first = at(start)
    setup_team(
        uow,
        first,
        principle_channel="<#C0DAILY|daily>",
        principle_days="mon-sun",
        principle_time="02:30",
    )
    now = first
    while now < first + timedelta(days=3):
        run_tick(uow, client, now)
        now += timedelta(minutes=10)
    assert len(posts(standin)) == 3  # one per local day, the DST day included
    periods = [
        r[0]
        for r in db.rows(
            "SELECT period FROM scheduled_posts WHERE kind='principle' ORDER BY period"
        )
    ]
    day = first.astimezone(AMS).date()
    assert periods == [(day + timedelta(days=n)).isoformat() for n in (1, 2, 3)]


def test_rotation_covers_the_whole_library_before_repeating(uow, standin, client):
    setup_team(uow, at("2026-11-01T08:00"), principle_channel="<#C0DAILY|daily>")
    day = at("2026-11-02T09:00")
    for offset in range(len(LIBRARY) + 1):
        run_job(
            PostKind.PRINCIPLE,
            uow=uow,
            clock=FixedClock(day + timedelta(days=offset)),
            client_for=lambda _ws: client,
            team_id="T0001",
        )
    headers = [c.args["blocks"][0]["text"]["text"] for c in posts(standin)]
    assert len(headers) == len(LIBRARY) + 1
    assert len(set(headers[:-1])) == len(LIBRARY)
    assert headers[-1] == headers[0]


def test_running_the_same_job_twice_posts_once(uow, standin, client):
    setup_team(uow, at("2026-11-22T20:00"), principle_channel="<#C0DAILY|daily>")
    clock = FixedClock(at("2026-11-24T15:00"))
    first = run_job(PostKind.PRINCIPLE, uow=uow, clock=clock, client_for=lambda _ws: client)
    again = run_job(PostKind.PRINCIPLE, uow=uow, clock=clock, client_for=lambda _ws: client)
    assert [p.status for p in first] == ["sent"] and again == []
    assert len(posts(standin)) == 1


def test_two_clocks_at_once_post_each_target_exactly_once(uow, standin, client, db):
    start = at("2026-11-22T20:00")
    for n in range(40):
        setup_team(uow, start, team=f"T{n:04d}", principle_channel=f"<#C{n:04d}|c>")
    due = at("2026-11-23T09:00")
    barrier = threading.Barrier(2)
    errors = []

    def clock_process():
        try:
            barrier.wait()
            run_tick(uow, client, due)
        except Exception as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=clock_process) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    channels = [c.channel for c in standin.calls_to("chat.postMessage")]
    assert sorted(channels) == sorted(f"C{n:04d}" for n in range(40))
    assert (
        db.scalar("SELECT count(*) FROM scheduled_posts WHERE status='sent' AND kind='principle'")
        == 40
    )


def test_a_missing_channel_pauses_the_target_and_tells_the_admin(uow, standin, client, db):
    setup_team(uow, at("2026-11-22T20:00"), principle_channel="<#C0GONE|gone>")
    standin.fail("chat.postMessage", "channel_not_found", channel="C0GONE")
    run_tick(uow, client, at("2026-11-23T09:00"))
    assert db.scalar("SELECT paused_reason FROM targets") == "channel_not_found"
    told = [c for c in standin.calls_to("chat.postMessage") if c.channel == GIVER]
    assert len(told) == 1 and "<#C0GONE>" in told[0].args["text"]
    run_tick(uow, client, at("2026-11-24T09:00"))
    assert len(posts(standin, "C0GONE")) == 1  # paused: no second attempt


def test_a_definite_failure_is_retried_by_the_next_tick(uow, standin, client, db):
    setup_team(uow, at("2026-11-22T20:00"), principle_channel="<#C0DAILY|daily>")
    standin.fail("chat.postMessage", "internal_error", channel="C0DAILY", times=1)
    run_tick(uow, client, at("2026-11-23T09:00"))
    assert db.scalar("SELECT status FROM scheduled_posts WHERE kind='principle'") == "failed"
    run_tick(uow, client, at("2026-11-23T09:01"))
    assert db.scalar("SELECT status FROM scheduled_posts WHERE kind='principle'") == "sent"
    assert len(posts(standin)) == 2


def test_an_unknown_outcome_is_not_sent_again(uow, standin, client, db):
    setup_team(uow, at("2026-11-22T20:00"), principle_channel="<#C0DAILY|daily>")
    standin.hang("chat.postMessage", 2.5, channel="C0DAILY")
    run_tick(uow, client, at("2026-11-23T09:00"))
    assert db.scalar("SELECT status FROM scheduled_posts WHERE kind='principle'") == "unknown"
    run_tick(uow, client, at("2026-11-23T09:01"))
    assert len(posts(standin)) == 1


def test_a_run_missed_past_the_grace_window_is_skipped_not_posted_late(uow, standin, client, db):
    setup_team(uow, at("2026-11-22T20:00"), principle_channel="<#C0DAILY|daily>")
    run_tick(uow, client, at("2026-11-23T11:30"))  # the clock was down from 09:00 to 11:30
    assert posts(standin) == []
    assert db.scalar("SELECT status FROM scheduled_posts WHERE kind='principle'") == "skipped"
    run_tick(uow, client, at("2026-11-24T09:00"))
    assert len(posts(standin)) == 1


def test_a_revoked_token_deactivates_the_workspace(uow, standin, client, db):
    setup_team(uow, at("2026-11-22T20:00"), principle_channel="<#C0DAILY|daily>")
    standin.fail("chat.postMessage", "token_revoked")
    run_tick(uow, client, at("2026-11-23T09:00"))
    assert db.scalar("SELECT active FROM workspaces") in (False, 0)
    standin.clear_faults()
    run_tick(uow, client, at("2026-11-24T09:00"))
    assert len(posts(standin)) == 1  # only the refused attempt


def test_member_directories_sync_once_per_six_hours(uow, standin, client, db):
    setup_team(uow, at("2026-11-22T20:00"))
    for minute in range(0, 30, 5):
        run_tick(uow, client, at(f"2026-11-23T09:{minute:02d}"))
    assert len(standin.calls_to("users.list")) == 1
    assert db.scalar("SELECT count(*) FROM members") == len(standin.users)
    run_tick(uow, client, at("2026-11-23T13:00"))  # 12:00 UTC: a new window
    assert len(standin.calls_to("users.list")) == 2
