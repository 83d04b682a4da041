"""Story, applause and App Home storage on real databases (SQLite; PostgreSQL with
TEST_DATABASE_URL), and migration 0003 on a database that already holds data."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from bot.domain.model import (
    Kind,
    KindDecision,
    KindSource,
    NewStory,
    OutboxTopic,
    Source,
    TeamRef,
    WorkspaceDefaults,
)
from storage.db import make_engine
from storage.migrate import upgrade
from tests.conftest import _pg_url

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
SUCCESS = KindDecision(Kind.SUCCESS, KindSource.CHOICE)


def workspace_id(uow) -> int:
    with uow() as tx:
        workspace = tx.workspaces.ensure(TeamRef("T0001"), WorkspaceDefaults(), NOW)
        tx.commit()
    return workspace.id


def story(view_id="V1", *, author="U0ANA", teammates=("U0BO", "U0CY"), title="Saved it"):
    return NewStory(
        view_id=view_id,
        author=author,
        title=title,
        customer="Jansen BV",
        body="A long enough story about a customer.",
        kind=SUCCESS,
        principles=("care", "consistency"),
        teammates=teammates,
        channel_id="C0STORIES",
        source_permalink=None,
    )


def add(uow, ws, new, at=NOW, message=None):
    with uow() as tx:
        story_id = tx.stories.add(ws, new, at)
        if message:
            tx.stories.set_message(story_id, *message)
        tx.commit()
    return story_id


def test_a_story_is_stored_once_per_view_with_its_credits(uow):
    ws = workspace_id(uow)
    first = add(uow, ws, story())
    with uow() as tx:
        assert tx.stories.add(ws, story(title="again"), NOW) is None
        assert tx.stories.by_view(ws, "V1") == first
        card = tx.stories.card(first)
    assert card.teammates == ("U0BO", "U0CY") and card.principles == ("care", "consistency")
    assert (card.title, card.customer, card.kind, card.applause) == (
        "Saved it",
        "Jansen BV",
        Kind.SUCCESS,
        0,
    )
    assert card.created_at == NOW


def test_story_credits_do_not_count_against_the_allowance(uow):
    ws = workspace_id(uow)
    add(uow, ws, story())
    with uow() as tx:
        assert tx.recognitions.count_given_since(ws, "U0ANA", NOW - timedelta(hours=1)) == 0
        sources = {r.source for r in tx.session.execute(text("SELECT source FROM recognitions"))}
    assert sources == {Source.STORY.value}


def test_views_are_unique_per_workspace_not_globally(uow):
    ws = workspace_id(uow)
    with uow() as tx:
        other = tx.workspaces.ensure(TeamRef("T0002"), WorkspaceDefaults(), NOW).id
        tx.commit()
    assert add(uow, ws, story()) != add(uow, other, story())


def test_top_stories_rank_by_applause_within_the_window(uow):
    ws = workspace_id(uow)
    quiet = add(uow, ws, story("V1", title="Quiet"), message=("C1", "1.1"))
    loud = add(uow, ws, story("V2", title="Loud"), NOW + timedelta(hours=1), ("C1", "2.2"))
    add(uow, ws, story("V3", title="Old"), NOW - timedelta(days=30), ("C1", "3.3"))
    with uow() as tx:
        post = tx.applause.post(ws, "C1", "2.2")
        for user in ("U1", "U2"):
            assert tx.applause.add(ws, post, user, NOW)
        tx.applause.add(ws, tx.applause.post(ws, "C1", "3.3"), "U1", NOW)
        tx.stories.set_permalink(loud, "https://acme.slack.com/archives/C1/p22")
        tx.commit()
    with uow() as tx:
        top = tx.stories.top_stories(ws, NOW - timedelta(days=7), NOW + timedelta(days=1))
        count = tx.stories.stories_count(ws, NOW - timedelta(days=7), NOW + timedelta(days=1))
        by_ana = tx.stories.stories_count(
            ws, NOW - timedelta(days=60), NOW + timedelta(days=1), author="U0ANA"
        )
        one = tx.stories.top_stories(ws, NOW - timedelta(days=7), NOW + timedelta(days=1), 1)
    assert [(s.id, s.title, s.applause) for s in top] == [(loud, "Loud", 2), (quiet, "Quiet", 0)]
    assert top[0].permalink == "https://acme.slack.com/archives/C1/p22"
    assert top[0].author == "U0ANA" and top[0].kind is Kind.SUCCESS
    assert (count, by_ana, len(one)) == (2, 3, 1)


def test_applause_is_one_per_person_per_post(uow, db):
    ws = workspace_id(uow)
    add(uow, ws, story(), message=("C1", "1.1"))
    with uow() as tx:
        post = tx.applause.post(ws, "C1", "1.1")
        assert post.owners == frozenset({"U0ANA", "U0BO", "U0CY"})
        assert tx.applause.add(ws, post, "U0DEE", NOW)
        assert not tx.applause.add(ws, post, "U0DEE", NOW)
        assert tx.applause.has(ws, post, "U0DEE") and tx.applause.count(ws, "C1", "1.1") == 1
        tx.commit()
    with uow() as tx:
        post = tx.applause.post(ws, "C1", "1.1")
        assert tx.applause.remove(ws, post, "U0DEE")
        assert not tx.applause.remove(ws, post, "U0DEE")
        tx.commit()
    assert db.scalar("SELECT count(*) FROM applause") == 0


def test_a_shout_out_announcement_is_a_bravo_post_too(uow):
    ws = workspace_id(uow)
    with uow() as tx:
        shoutout = tx.recognitions.add_shoutout(
            ws,
            giver="U0ANA",
            recipients=("U0BO",),
            reason="for a great save",
            kind=SUCCESS,
            principles=(),
            source=Source.COMMAND,
            channel_id="C1",
            now=NOW,
        )
        tx.recognitions.set_message(shoutout, "C1", "5.5")
        tx.commit()
    with uow() as tx:
        post = tx.applause.post(ws, "C1", "5.5")
        assert post.shoutout_id == shoutout and post.story_id is None
        assert post.owners == frozenset({"U0ANA", "U0BO"})
        assert tx.applause.post(ws, "C1", "6.6") is None


def test_a_story_outbox_message_is_claimed_with_its_story(uow):
    ws = workspace_id(uow)
    story_id = add(uow, ws, story())
    with uow() as tx:
        message_id = tx.outbox.add(ws, OutboxTopic.STORY_CARD, "C0STORIES", NOW, story_id=story_id)
        tx.commit()
    with uow() as tx:
        message = tx.outbox.claim(message_id, NOW)
        tx.commit()
    assert (message.topic, message.story_id, message.shoutout_id) == (
        OutboxTopic.STORY_CARD,
        story_id,
        None,
    )


def test_home_numbers_and_recent_thanks(uow):
    ws = workspace_id(uow)
    add(uow, ws, story(teammates=("U0BO",)), NOW - timedelta(days=1))
    with uow() as tx:
        tx.recognitions.add_shoutout(
            ws,
            giver="U0CY",
            recipients=("U0BO", "U0ANA"),
            reason="fixed the export",
            kind=KindDecision(Kind.RECOVERY, KindSource.KEYWORD, "fixed"),
            principles=(),
            source=Source.COMMAND,
            channel_id="C1",
            now=NOW,
        )
        tx.commit()
    start, end = NOW - timedelta(days=7), NOW + timedelta(days=1)
    with uow() as tx:
        bo = tx.home.person(ws, "U0BO", start, end)
        cy = tx.home.person(ws, "U0CY", None, end)
        ana = tx.home.person(ws, "U0ANA", NOW, end)
        team = tx.home.team(ws, start, end)
        recent = tx.home.received(ws, "U0BO", 5)
    assert (bo.received, bo.received_success, bo.received_recovery) == (2, 1, 1)
    assert (cy.given, cy.received) == (2, 0)
    assert (ana.stories, ana.given, ana.received) == (0, 0, 1)  # the story was yesterday
    assert (team.recognitions, team.shoutouts, team.stories, team.people, team.givers) == (
        3,
        1,
        1,
        2,
        2,
    )
    assert [(r.giver, r.text, r.story) for r in recent] == [
        ("U0CY", "fixed the export", False),
        ("U0ANA", "Saved it", True),
    ]


# migration 0003 on data -----------------------------------------------------------------------


@pytest.fixture
def engine_at_0001(db, tmp_path):
    """A fresh database of the same backend, migrated only to 0001."""
    if db.backend == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        yield engine
        engine.dispose()
        return
    schema = "m_" + uuid.uuid4().hex[:12]
    admin = make_engine(_pg_url())
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(f"{_pg_url()}?options=-csearch_path%3D{schema}")
    yield engine
    engine.dispose()
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_migration_0003_keeps_existing_recognitions_and_their_principles(engine_at_0001):
    engine = engine_at_0001
    upgrade(engine, "0001")
    at = "2026-01-01 00:00:00+00"
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO workspaces (id, team_id, timezone, language, allowance, active, "
                "created_at) VALUES (1, 'T1', 'UTC', 'en', 5, true, :at)"
            ),
            {"at": at},
        )
        c.execute(
            text(
                "INSERT INTO shoutouts (id, workspace_id, giver_id, reason, kind, kind_source, "
                "source, created_at) VALUES (1, 1, 'U1', 'r', 'success', 'default', 'command', :at)"
            ),
            {"at": at},
        )
        c.execute(
            text(
                "INSERT INTO recognitions (id, workspace_id, shoutout_id, giver_id, recipient_id, "
                "kind, source, created_at) VALUES (1, 1, 1, 'U1', 'U2', 'success', 'command', :at)"
            ),
            {"at": at},
        )
        c.execute(
            text(
                "INSERT INTO recognition_principles (recognition_id, principle, workspace_id, "
                "position) VALUES (1, 'care', 1, 0)"
            )
        )
    upgrade(engine)
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM recognition_principles")).scalar() == 1
        assert c.execute(text("SELECT story_id FROM recognitions")).scalar() is None
        # Migration 0011: the tag carries its recognition's time.
        same = c.execute(
            text(
                "SELECT count(*) FROM recognition_principles p JOIN recognitions r "
                "ON r.id = p.recognition_id WHERE p.created_at = r.created_at"
            )
        ).scalar()
        assert same == 1
