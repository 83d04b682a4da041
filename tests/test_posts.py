"""What the scheduled posts say, from real data: digest counts, balance, nudge, rotation."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler

from bot.domain.model import Kind, KindDecision, KindSource, Source, TeamRef, WorkspaceDefaults
from bot.domain.posts import prepare_digest, prepare_leaderboard, prepare_principle
from bot.domain.schedule import PostKind
from bot.domain.workspaces import ensure_workspace
from bot.entrypoints.standin import blocks_text
from bot.slack.views.posts import build_digest, build_leaderboard_post, build_principle_post
from jobs.scheduler import build_scheduler

FRIDAY_4PM = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # 16:00 in Amsterdam
DEFAULTS = WorkspaceDefaults(timezone="Europe/Amsterdam")


def give(
    tx, ws, giver, recipients, kind="success", at=FRIDAY_4PM - timedelta(days=1), principles=()
):
    tx.recognitions.add_shoutout(
        ws,
        giver=giver,
        recipients=recipients,
        reason=f"for great work ({kind})",
        kind=KindDecision(Kind(kind), KindSource.TAG),
        principles=principles,
        source=Source.COMMAND,
        channel_id="C1",
        now=at,
    )


def workspace(tx):
    return ensure_workspace(tx, TeamRef("T0001"), DEFAULTS, FRIDAY_4PM - timedelta(days=30))


def test_digest_counts_the_week_and_shows_the_balance(uow):
    with uow() as tx:
        ws = workspace(tx)
        give(tx, ws.id, "U1", ["U2", "U3"])
        give(tx, ws.id, "U2", ["U3"], kind="recovery")
        give(tx, ws.id, "U4", ["U5"], at=FRIDAY_4PM - timedelta(days=10))  # last week
        give(tx, ws.id, "U4", ["U5"], at=datetime(2026, 11, 22, 23, 30, tzinfo=UTC))  # Mon 00:30
        tx.commit()
    with uow() as tx:
        post = prepare_digest(tx, tx.workspaces.get(ws.id), FRIDAY_4PM)
    assert (post.stats.shoutouts, post.stats.recognitions, post.stats.people) == (3, 4, 3)
    assert post.stats.first_timers == ("U2", "U3")  # U5 was thanked last week
    assert post.spotlight[0] == ("U3", 2)
    assert not post.needs_nudge
    text = blocks_text(build_digest(post)[1])
    assert "3 for what went well (75%)" in text and "1 for fixing problems (25%)" in text
    assert "Most thanks this week were for fixing problems" not in text


def test_digest_nudges_when_recovery_is_over_half(uow):
    with uow() as tx:
        ws = workspace(tx)
        give(tx, ws.id, "U1", ["U2", "U3"], kind="recovery")
        give(tx, ws.id, "U2", ["U3"])
        tx.commit()
    with uow() as tx:
        post = prepare_digest(tx, tx.workspaces.get(ws.id), FRIDAY_4PM)
    assert post.needs_nudge
    text = blocks_text(build_digest(post)[1])
    assert (
        "Most thanks this week were for fixing problems. Who made a customer's day without one?"
    ) in text


def test_an_empty_week_gets_an_invitation(uow):
    with uow() as tx:
        ws = workspace(tx)
        tx.commit()
    with uow() as tx:
        post = prepare_digest(tx, tx.workspaces.get(ws.id), FRIDAY_4PM)
    text, blocks = build_digest(post)
    assert post.empty and "No kudos yet this week" in blocks_text(blocks)
    assert "Give kudos" in blocks_text(blocks)


def test_spotlight_puts_people_featured_in_recent_digests_last(uow):
    with uow() as tx:
        ws = workspace(tx)
        for n in range(7):
            give(tx, ws.id, "U0", [f"U{n + 1}"] * 1)
        claim = tx.posts.claim_many(
            [(ws.id, "C9", PostKind.DIGEST, "2026-W47")], FRIDAY_4PM - timedelta(days=7)
        )[0]
        tx.posts.finish(
            claim.post_id,
            "sent",
            FRIDAY_4PM - timedelta(days=7),
            featured=["U1", "U2", "U3", "U4", "U5"],
        )
        tx.commit()
    with uow() as tx:
        post = prepare_digest(tx, tx.workspaces.get(ws.id), FRIDAY_4PM)
    assert [user for user, _ in post.spotlight] == ["U6", "U7", "U1", "U2", "U3"]


def test_principle_post_features_someone_who_lived_it(uow):
    with uow() as tx:
        ws = workspace(tx)
        give(tx, ws.id, "U1", ["U2"], principles=("consistency",))
        tx.commit()
    with uow() as tx:
        post = prepare_principle(tx, tx.workspaces.get(ws.id), "C1", FRIDAY_4PM)
    assert post.principle.slug == "consistency"  # first in the library
    assert post.lived and post.lived.recipient == "U2"
    text, blocks = build_principle_post(post)
    rendered = blocks_text(blocks)
    assert "Lived by your team:* <@U1> thanked <@U2>" in rendered
    buttons = json.dumps(blocks[-1])
    assert "open_kudos_modal" in buttons and '"value": "consistency"' in buttons


def test_monthly_leaderboard_covers_last_month(uow):
    with uow() as tx:
        ws = workspace(tx)
        give(
            tx, ws.id, "U1", ["U2", "U3"], at=datetime(2026, 10, 31, 22, 30, tzinfo=UTC)
        )  # Oct 31 local
        give(tx, ws.id, "U1", ["U3"], at=datetime(2026, 10, 31, 23, 30, tzinfo=UTC))  # Nov 1 local
        tx.commit()
    with uow() as tx:
        post = prepare_leaderboard(
            tx, tx.workspaces.get(ws.id), datetime(2026, 11, 2, 8, tzinfo=UTC)
        )
    assert post.top == (("U2", 1), ("U3", 1))
    assert "October 2026" in blocks_text(build_leaderboard_post(post)[1])


def test_scheduler_runs_one_tick_job_every_minute():
    scheduler = build_scheduler(lambda: None, blocking=False)
    assert isinstance(scheduler, BackgroundScheduler)
    jobs = scheduler.get_jobs()
    assert len(jobs) == 1 and jobs[0].max_instances == 1 and jobs[0].coalesce
    assert str(jobs[0].trigger.fields[-1]) == "0"  # second 0 of every minute


def test_app_home_principle_is_the_one_posted_today_else_the_next_in_rotation(uow):
    from bot.domain.posts import todays_principle
    from bot.domain.workspaces import change_setting

    with uow() as tx:
        ws = workspace(tx)
        change_setting(tx, ws, "principle-channel", "<#C0DAILY>", by="U1", now=FRIDAY_4PM)
        claim = tx.posts.claim_many(
            [(ws.id, "C0DAILY", PostKind.PRINCIPLE, "2026-11-26")], FRIDAY_4PM - timedelta(days=1)
        )[0]
        tx.posts.finish(
            claim.post_id, "sent", FRIDAY_4PM - timedelta(days=1), subject="consistency"
        )
        tx.commit()
    with uow() as tx:
        ws = tx.workspaces.get(ws.id)
        assert todays_principle(tx, ws, FRIDAY_4PM - timedelta(days=1)).slug == "consistency"
        upcoming = todays_principle(tx, ws, FRIDAY_4PM)  # nothing posted yet today
        assert upcoming.slug == prepare_principle(tx, ws, "C0DAILY", FRIDAY_4PM).principle.slug
        assert upcoming.slug != "consistency"


def test_digest_lists_the_most_applauded_stories(uow):
    from bot.domain.model import NewStory

    def story(view, title):
        return NewStory(
            view,
            "U1",
            title,
            None,
            "A long enough story about a customer.",
            KindDecision(Kind.SUCCESS, KindSource.CHOICE),
            (),
            ("U2",),
            "C0S",
            None,
        )

    with uow() as tx:
        ws = workspace(tx)
        day = FRIDAY_4PM - timedelta(days=1)
        quiet = tx.stories.add(ws.id, story("V1", "Quiet win"), day)
        loved = tx.stories.add(ws.id, story("V2", "Saved <the> launch & more"), day)
        tx.stories.set_message(loved, "C0S", "100.1")
        tx.stories.set_message(quiet, "C0S", "100.2")
        post = tx.applause.post(ws.id, "C0S", "100.1")
        for user in ("U7", "U8"):
            tx.applause.add(ws.id, post, user, day)
        tx.commit()
    with uow() as tx:
        post = prepare_digest(tx, tx.workspaces.get(ws.id), FRIDAY_4PM)
    assert post.stories == 2
    assert [(s.title, s.applause) for s in post.top_stories][:1] == [
        ("Saved <the> launch & more", 2)
    ]
    text = blocks_text(build_digest(post)[1])
    assert (
        "*2* stories" in text and "Saved &lt;the&gt; launch &amp; more by <@U1> · :clap: 2" in text
    )


def test_a_dutch_workspace_gets_dutch_posts(uow):
    from bot.domain.workspaces import change_setting

    with uow() as tx:
        ws = workspace(tx)
        change_setting(tx, ws, "language", "nl", by="U1", now=FRIDAY_4PM)
        give(tx, ws.id, "U1", ["U2"], kind="recovery")
        tx.commit()
    with uow() as tx:
        ws = tx.workspaces.get(ws.id)
        digest = blocks_text(build_digest(prepare_digest(tx, ws, FRIDAY_4PM))[1])
        principle = prepare_principle(tx, ws, "C1", FRIDAY_4PM)
    from bot.domain.library import LIBRARY
    from bot.i18n import translator

    nudge = translator("nl")("digest.nudge")
    assert nudge != translator("en")("digest.nudge") and nudge in digest
    assert principle.principle.title == LIBRARY[0].title.nl
