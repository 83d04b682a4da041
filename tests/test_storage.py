"""Storage on real databases: SQLite always, PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from bot.domain.model import (
    Kind,
    KindDecision,
    KindSource,
    OutboxStatus,
    OutboxTopic,
    Person,
    Source,
    TeamRef,
    WorkspaceDefaults,
)
from storage.models import Base, RecognitionRow

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
TEAM = TeamRef("T0001")


def _workspace(uow, team=TEAM):
    with uow() as tx:
        workspace = tx.workspaces.ensure(team, WorkspaceDefaults(timezone="Europe/Amsterdam"), NOW)
        tx.commit()
    return workspace


def _shoutout(tx, workspace_id, recipients=("U2", "U3"), at=NOW, giver="U1"):
    return tx.recognitions.add_shoutout(
        workspace_id,
        giver=giver,
        recipients=recipients,
        reason="for a great save",
        kind=KindDecision(Kind.SUCCESS, KindSource.DEFAULT),
        principles=("care", "consistency"),
        source=Source.COMMAND,
        channel_id="C1",
        now=at,
    )


def test_migrations_reach_head_and_match_the_models(db):
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_workspace_is_created_once_with_defaults(uow):
    first = _workspace(uow)
    again = _workspace(uow)
    assert first == again
    assert (first.timezone, first.language, first.allowance) == ("Europe/Amsterdam", "en", 5)


def test_datetimes_come_back_aware_and_in_utc(uow):
    workspace = _workspace(uow)
    amsterdam = datetime(2026, 7, 1, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    with uow() as tx:
        _shoutout(tx, workspace.id, at=amsterdam)
        tx.commit()
    with uow() as tx:
        stored = tx.session.scalars(select(RecognitionRow.created_at)).first()
    assert stored == amsterdam and stored.tzinfo is not None and stored.utcoffset() == timedelta(0)


def test_shoutout_stores_one_recognition_per_recipient_with_principles(uow):
    workspace = _workspace(uow)
    with uow() as tx:
        shoutout_id = _shoutout(tx, workspace.id)
        tx.commit()
    with uow() as tx:
        card = tx.recognitions.card(shoutout_id)
    assert card.recipients == ("U2", "U3")
    assert card.principles == ("care", "consistency")
    assert card.channel_id == "C1" and card.language == "en"


def test_allowance_counts_only_shoutouts_since_the_given_instant(uow):
    workspace = _workspace(uow)
    with uow() as tx:
        _shoutout(tx, workspace.id, recipients=("U2",), at=NOW - timedelta(days=1))
        _shoutout(tx, workspace.id, recipients=("U2", "U3"), at=NOW)
        _shoutout(tx, workspace.id, recipients=("U4",), at=NOW, giver="U9")
        tx.commit()
    with uow() as tx:
        assert tx.recognitions.count_given_since(workspace.id, "U1", NOW - timedelta(hours=1)) == 2


def test_rollback_without_commit_stores_nothing(uow, db):
    workspace = _workspace(uow)
    with uow() as tx:
        _shoutout(tx, workspace.id)
    assert db.scalar("SELECT count(*) FROM recognitions") == 0


def test_member_cache_upserts(uow):
    workspace = _workspace(uow)
    with uow() as tx:
        tx.members.upsert(workspace.id, [Person("U2", "Bo", "Europe/Amsterdam")], NOW)
        tx.commit()
    with uow() as tx:
        tx.members.upsert(workspace.id, [Person("U2", "Bo B", "Asia/Tokyo", deleted=True)], NOW)
        tx.commit()
    with uow() as tx:
        person, refreshed = tx.members.get_many(workspace.id, ["U2", "U404"])["U2"]
    assert person == Person("U2", "Bo B", "Asia/Tokyo", deleted=True) and refreshed == NOW


def test_an_event_is_processed_once(uow):
    workspace = _workspace(uow)
    with uow() as tx:
        assert tx.events.first_delivery(workspace.id, "Ev1", NOW)
        assert not tx.events.first_delivery(workspace.id, "Ev1", NOW)
        tx.commit()
    with uow() as tx:
        assert not tx.events.first_delivery(workspace.id, "Ev1", NOW)
        assert tx.events.forget_before(NOW + timedelta(hours=1)) == 1


def test_an_outbox_message_is_claimed_by_one_sender_only(uow):
    workspace = _workspace(uow)
    with uow() as tx:
        message_id = tx.outbox.add(workspace.id, OutboxTopic.KUDOS_DM, "U2", NOW)
        tx.commit()
    with uow() as tx:
        assert tx.outbox.due(NOW) == [message_id]
        claimed = tx.outbox.claim(message_id, NOW)
        tx.commit()
    assert claimed is not None and claimed.attempts == 1
    with uow() as tx:
        assert tx.outbox.claim(message_id, NOW) is None
        assert tx.outbox.due(NOW) == []
        tx.outbox.finish(
            message_id, OutboxStatus.FAILED, NOW, error="x", retry_at=NOW + timedelta(minutes=1)
        )
        tx.commit()
    with uow() as tx:
        assert tx.outbox.due(NOW) == []
        assert tx.outbox.due(NOW + timedelta(minutes=1)) == [message_id]


def test_workspaces_do_not_see_each_others_shoutouts(uow):
    a = _workspace(uow, TeamRef("TA"))
    b = _workspace(uow, TeamRef("TB"))
    with uow() as tx:
        shoutout_id = _shoutout(tx, a.id)
        tx.commit()
    with uow() as tx:
        assert tx.recognitions.shoutout_owner(b.id, shoutout_id) is None
        assert tx.recognitions.shoutout_owner(a.id, shoutout_id) == "U1"
        assert tx.recognitions.count_given_since(b.id, "U1", NOW - timedelta(days=1)) == 0
