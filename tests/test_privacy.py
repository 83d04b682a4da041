"""Forgetting a person and a person's own data (SPEC 2.4), on real SQLite and PostgreSQL.

The directory is a fake of users.info; everything else is the real services, repositories,
triggers and SQL.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import String, Text, func, select

from bot.domain.admin import Admin
from bot.domain.errors import Busy
from bot.domain.model import (
    BravoPost,
    Kind,
    KindDecision,
    KindSource,
    NewStory,
    OutboxStatus,
    OutboxTopic,
    Person,
    Source,
    TeamRef,
    WorkspaceDefaults,
)
from bot.domain.outbox import claim_messages
from bot.domain.personal import PSEUDONYM_PREFIX, Footprint
from bot.domain.personal_files import personal_csv, personal_json
from bot.domain.privacy import (
    NotAnAdmin,
    StaleConfirmation,
    UnknownPerson,
    forget_person,
    personal_data,
    plan_forget,
)
from bot.domain.schedule import PostKind
from bot.domain.tokens import Install
from bot.slack.views.text import mention
from storage.db import make_engine, make_session_factory
from storage.models import Base
from storage.uow import UnitOfWorkFactory

TEAM = TeamRef("T0001")
DEFAULTS = WorkspaceDefaults(timezone="Europe/Amsterdam")
ANA, BO, CY, DEE, LEAD = "U0ANA", "U0BOFORGET", "U0CY", "U0DEE", "U0LEAD"
BO_NAME = "Bo Berg-Forgotten"
SUCCESS = KindDecision(Kind.SUCCESS, KindSource.DEFAULT)
RECOVERY = KindDecision(Kind.RECOVERY, KindSource.TAG)


class FakeDirectory:
    """Ana is a workspace admin, Lead only a Bravo manager (configured), the rest members."""

    def __init__(self) -> None:
        self.people = {
            ANA: Person(ANA, "Ana Admin", "Europe/Amsterdam", is_admin=True),
            BO: Person(BO, BO_NAME, "Europe/Amsterdam"),
            CY: Person(CY, "Cy Chen"),
            DEE: Person(DEE, "Dee Diaz", is_owner=True),
            LEAD: Person(LEAD, "Lead Lee"),
        }

    def person(self, user_id: str) -> Person | None:
        return self.people.get(user_id)

    def group_members(self, group_id: str) -> list[str] | None:
        return None

    def everyone(self):
        return iter(self.people.values())


def who(user: str, directory: FakeDirectory | None = None) -> Admin:
    return Admin(TEAM, user, directory or FakeDirectory(), DEFAULTS, managers=(LEAD,))


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 10 + day // 31, 1 + day % 31, hour, tzinfo=UTC)


@pytest.fixture
def seeded(uow, clock):
    """Bo gives, receives, shares a story, applauds, is featured, is due a DM, and is the
    admin who last changed a setting: everything that can hold a person, over two months."""
    with uow() as tx:
        ws = tx.workspaces.ensure(TEAM, DEFAULTS, clock.now())
        add = tx.recognitions.add_shoutout
        common = dict(principles=("care",), source=Source.COMMAND, channel_id="C0SUPPORT")
        add(ws.id, giver=ANA, recipients=(BO, CY), reason="warm welcome call for Jansen",
            kind=SUCCESS, now=at(3), **common)  # fmt: skip
        bo_gave = add(ws.id, giver=BO, recipients=(CY,), reason="Bo's secret reason text",
                      kind=RECOVERY, now=at(33), **common)  # fmt: skip
        add(ws.id, giver=CY, recipients=(BO, DEE), reason=f"with <@{BO}|bo> on the Acme outage",
            kind=RECOVERY, now=at(34), **common)  # fmt: skip
        add(ws.id, giver=DEE, recipients=(ANA,), reason="calm handover", kind=SUCCESS,
            now=at(35), **common)  # fmt: skip
        story = dict(kind=SUCCESS, principles=("care",), channel_id="C0STORIES",
                     source_permalink="https://acme.slack.com/archives/C1/p1")  # fmt: skip
        bo_story = tx.stories.add(
            ws.id,
            NewStory(
                view_id="V1",
                author=BO,
                title="Bo's private title",
                customer="Bo's client",
                body="Bo's story body text",
                teammates=(CY,),
                **story,
            ),  # fmt: skip
            at(36),
        )
        ana_story = tx.stories.add(
            ws.id,
            NewStory(view_id="V2", author=ANA, title="Renewal saved", customer="Jansen BV",
                     body=f"<@{BO}> called back within the hour", teammates=(BO, CY), **story),
            at(37),
        )  # fmt: skip
        ana_post = BravoPost("C0STORIES", "100.1", frozenset({ANA}), story_id=ana_story)
        tx.applause.add(ws.id, ana_post, BO, at(38))
        tx.applause.add(ws.id, ana_post, CY, at(38))
        bo_post = BravoPost("C0STORIES", "100.2", frozenset({BO}), story_id=bo_story)
        tx.applause.add(ws.id, bo_post, ANA, at(38))
        tx.outbox.add(ws.id, OutboxTopic.KUDOS_DM, BO, clock.now(), shoutout_id=bo_gave)
        sent = tx.outbox.add(ws.id, OutboxTopic.STORY_DM, BO, clock.now(), story_id=ana_story)
        tx.outbox.add(ws.id, OutboxTopic.STORY_DM, CY, clock.now(), story_id=ana_story)
        [claim] = tx.posts.claim_many([(ws.id, "C0DIGEST", PostKind.DIGEST, "2026-W47")], at(39))
        tx.posts.finish(claim.post_id, "sent", at(39), featured=(CY, BO))
        tx.principles.add_custom(ws.id, "follow-up", "Follow up", "Call back", by=BO, now=at(2))
        tx.workspaces.update(ws.id, admin_user_id=BO)
        tx.privacy.audit(ws.id, "forget", BO, "forgotten-00000000", "{}", at(1))
        tx.members.upsert(ws.id, list(FakeDirectory().people.values()), clock.now())
        tx.outbox.finish(sent, OutboxStatus.SENT, clock.now(), ts="1.1")  # only one is pending
        tx.commit()
    return ws


def string_columns():
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, String | Text):
                yield table, column


def holding(db, needle: str) -> list[str]:
    """Every table.column where some row contains `needle`."""
    found = []
    with db.engine.connect() as connection:
        for table, column in string_columns():
            hits = connection.execute(
                select(func.count()).select_from(table).where(column.contains(needle))
            ).scalar()
            if hits:
                found.append(f"{table.name}.{column.name}")
    return found


def counts(db, table: str) -> dict[tuple, tuple]:
    keys = (
        "workspace_id, month, user_id" if table == "recognition_months" else "workspace_id, user_id"
    )
    rows = db.rows(f"SELECT {keys}, received, received_success, given, given_success FROM {table}")
    return {tuple(r[:-4]): tuple(r[-4:]) for r in rows if any(r[-4:])}


def forget(uow, clock, user=BO, asker=ANA):
    plan = plan_forget(who(asker), user, uow=uow(), clock=clock)
    return plan, forget_person(who(asker), user, plan.pseudonym, uow=uow(), clock=clock)


def test_the_plan_counts_what_will_change_and_draws_a_pseudonym(uow, clock, seeded):
    plan = plan_forget(who(ANA), BO, uow=uow(), clock=clock)
    assert plan.name == BO_NAME
    assert plan.footprint == Footprint(
        shoutouts_given=1, recognitions_given=2, received=3, stories=1, applause=1, messages=1
    )
    assert plan.pseudonym.startswith(PSEUDONYM_PREFIX) and len(plan.pseudonym) == 18
    assert plan_forget(who(ANA), BO, uow=uow(), clock=clock).pseudonym != plan.pseudonym


def test_after_forgetting_no_table_holds_the_id_or_the_name(db, uow, clock, seeded):
    assert len(holding(db, BO)) >= 10 and holding(db, BO_NAME)  # the scan sees them before
    plan, done = forget(uow, clock)
    assert holding(db, BO) == []
    assert holding(db, BO_NAME) == [] and holding(db, "Bo's") == []
    assert done.footprint == plan.footprint and not done.again


def test_counts_stay_exact_for_everyone_and_move_to_the_pseudonym(db, uow, clock, seeded):
    before = {t: counts(db, t) for t in ("recognition_totals", "recognition_months")}
    plan, _ = forget(uow, clock)
    alias = plan.pseudonym
    for table, was in before.items():
        now = counts(db, table)
        assert {k: v for k, v in now.items() if alias not in k} == {
            k: v for k, v in was.items() if BO not in k
        }
        assert {k[:-1]: v for k, v in now.items() if alias in k} == {
            k[:-1]: v for k, v in was.items() if BO in k
        }
        assert [sum(c) for c in zip(*now.values(), strict=True)] == [
            sum(c) for c in zip(*was.values(), strict=True)
        ]
    # and the triggers' tables still agree with the recognitions themselves
    assert db.scalar("SELECT sum(received) FROM recognition_totals") == db.scalar(
        "SELECT count(*) FROM recognitions"
    )
    assert (
        db.scalar("SELECT count(*) FROM recognitions WHERE recipient_id = :a", a=alias) == 3
        and db.scalar("SELECT count(*) FROM recognitions WHERE giver_id = :a", a=alias) == 2
    )


def test_what_is_theirs_is_removed_and_the_rest_pseudonymised(db, uow, clock, seeded):
    plan, _ = forget(uow, clock)
    alias = plan.pseudonym
    assert db.scalar("SELECT reason FROM shoutouts WHERE giver_id = :a", a=alias) == (
        "(reason removed: the giver asked Bravo to forget them)"
    )
    assert db.rows(
        "SELECT title, body, customer, source_permalink FROM stories WHERE author_id = :a", a=alias
    ) == [  # fmt: skip
        (
            "(story removed: its author asked Bravo to forget them)",
            "(story removed: its author asked Bravo to forget them)",
            None,
            None,
        )
    ]
    assert db.scalar("SELECT reason FROM shoutouts WHERE giver_id = :c", c=CY) == (
        f"with <@{alias}> on the Acme outage"
    )
    assert db.scalar("SELECT count(*) FROM applause") == 2  # only Bo's own went
    assert db.scalar("SELECT count(*) FROM members") == 4
    assert db.rows("SELECT status FROM outbox WHERE channel_id = :a ORDER BY id", a=alias) == [
        ("cancelled",),
        ("sent",),
    ]
    assert db.scalar("SELECT status FROM outbox WHERE channel_id = :c", c=CY) == "pending"
    assert db.scalar("SELECT featured FROM scheduled_posts") == f"{CY},{alias}"
    assert db.scalar("SELECT admin_user_id FROM workspaces") == ANA
    assert db.scalar("SELECT created_by FROM workspace_principles") == alias


def test_an_audit_row_names_the_actor_the_pseudonym_and_the_counts(db, uow, clock, seeded):
    plan, _ = forget(uow, clock)
    [row] = db.rows("SELECT action, actor_id, subject, detail FROM audit_log WHERE actor_id = :a",
                    a=ANA)  # fmt: skip
    assert row[:3] == ("forget", ANA, plan.pseudonym)
    assert json.loads(row[3]) == {
        "shoutouts_given": 1, "recognitions_given": 2, "received": 3, "stories": 1,
        "applause": 1, "messages": 1,
    }  # fmt: skip


def test_pressing_the_confirmation_twice_forgets_once(db, uow, clock, seeded):
    plan, first = forget(uow, clock)
    again = forget_person(who(ANA), BO, plan.pseudonym, uow=uow(), clock=clock)
    assert again.again and again.footprint == first.footprint
    assert db.scalar("SELECT count(*) FROM audit_log WHERE actor_id = :a", a=ANA) == 1


def test_forgetting_yourself_leaves_no_id_in_the_audit_row(db, uow, clock, seeded):
    plan, done = forget(uow, clock, user=ANA, asker=ANA)
    assert done.footprint.received == 1 and holding(db, ANA) == []
    assert db.scalar("SELECT actor_id FROM audit_log WHERE subject = :p", p=plan.pseudonym) == (
        plan.pseudonym
    )


def test_only_admins_and_owners_may_forget(db, uow, clock, seeded):
    plan_forget(who(DEE), BO, uow=uow(), clock=clock)  # an owner may
    for asker in (CY, LEAD):  # a member; a Bravo manager who is no workspace admin
        with pytest.raises(NotAnAdmin):
            plan_forget(who(asker), BO, uow=uow(), clock=clock)
        plan = plan_forget(who(ANA), BO, uow=uow(), clock=clock)
        with pytest.raises(NotAnAdmin):
            forget_person(who(asker), BO, plan.pseudonym, uow=uow(), clock=clock)
    assert holding(db, BO) and db.scalar("SELECT count(*) FROM audit_log") == 1


def test_an_unknown_person_or_a_forged_pseudonym_is_refused(db, uow, clock, seeded):
    with pytest.raises(UnknownPerson):
        plan_forget(who(ANA), "U0NOBODY", uow=uow(), clock=clock)
    directory = FakeDirectory()
    del directory.people[BO]  # Slack forgot Bo, Bravo did not: Bravo can still forget Bo
    assert plan_forget(who(ANA, directory), BO, uow=uow(), clock=clock).name == BO
    for forged in ("forgotten-xyz", "", "U0CY"):
        with pytest.raises(StaleConfirmation):
            forget_person(who(ANA), BO, forged, uow=uow(), clock=clock)
    alias = forget(uow, clock, user=CY)[0].pseudonym
    reused = forget_person(who(ANA), DEE, alias, uow=uow(), clock=clock)
    assert reused.again and holding(db, DEE)  # a used pseudonym forgets nobody else


def test_a_pseudonym_is_shown_as_text_not_as_a_broken_mention():
    assert mention("U0BO") == "<@U0BO>"
    assert mention(f"{PSEUDONYM_PREFIX}0a1b2c3d") == f"_{PSEUDONYM_PREFIX}0a1b2c3d_"


def test_my_data_holds_everything_about_me_and_nothing_about_others(uow, clock, seeded):
    data = personal_data(TEAM, BO, uow=uow(), clock=clock, directory=FakeDirectory(),
                         defaults=DEFAULTS)  # fmt: skip
    document = json.loads(personal_json(data))
    assert document["profile"]["name"] == BO_NAME and document["user_id"] == BO
    assert [g["reason"] for g in document["shoutouts_given"]] == ["Bo's secret reason text"]
    assert document["shoutouts_given"][0]["recipients"] == [CY]
    assert sorted((r["giver"], r["source"]) for r in document["recognitions_received"]) == [
        (ANA, "command"), (ANA, "story"), (CY, "command"),
    ]  # fmt: skip
    assert document["stories"][0]["title"] == "Bo's private title"
    assert document["stories"][0]["teammates"] == [CY]
    assert [a["story"] for a in document["applause_given"]] == ["Renewal saved"]
    rows = list(csv.DictReader(io.StringIO(personal_csv(data))))
    assert [r["section"] for r in rows] == [
        "profile", "given", "received", "received", "received", "story", "applause",
    ]  # fmt: skip
    assert "calm handover" not in personal_json(data)  # Dee's shout-out to Ana is not Bo's


def test_thanks_in_the_conversation_and_the_install_forget_them_too(db, uow, clock, seeded):
    """A kudos emoji on Bo's message made his words a reason; Bo thanked by emoji, had a thread
    reply under his message, and installed Bravo: none of it may keep his id or his words."""
    with uow() as tx:
        ws = tx.workspaces.by_team(TEAM.team_id)
        words = "Bo's own message words about the export"
        for_bo = tx.recognitions.add_shoutout(
            ws.id, giver=CY, recipients=(BO,), reason=f"{words} https://x/p1", kind=SUCCESS,
            principles=(), source=Source.REACTION, channel_id="C0SUPPORT", now=at(40),
        )  # fmt: skip
        by_bo = tx.recognitions.add_shoutout(
            ws.id, giver=BO, recipients=(DEE,), reason="Dee's message text https://x/p2",
            kind=SUCCESS, principles=(), source=Source.REACTION, channel_id="C0SUPPORT",
            now=at(40),
        )  # fmt: skip
        tx.conversation.add(ws.id, kind="reaction", channel="C0SUPPORT", ts="1.5", giver=CY,
                            shoutout_id=for_bo, now=at(40))  # fmt: skip
        tx.conversation.add(ws.id, kind="reaction", channel="C0SUPPORT", ts="1.6", giver=BO,
                            shoutout_id=by_bo, now=at(40))  # fmt: skip
        tx.conversation.open_reply(ws.id, "C0SUPPORT", "1.5", BO, at(40))
        tx.installations.save(
            Install(
                team_id=TEAM.team_id,
                enterprise_id=None,
                bot_token="ciphertext",
                installed_at=at(1),
                installer_user_id=BO,
            )  # fmt: skip
        )
        tx.commit()
    assert {"conversation_thanks.giver_id", "thanks_replies.author_id"} <= set(holding(db, BO))
    assert "installations.installer_user_id" in holding(db, BO) and holding(db, words)
    forget(uow, clock)
    assert holding(db, BO) == [] and holding(db, words) == []


def test_their_full_name_typed_in_someone_elses_text_goes_too(db, uow, clock, seeded):
    with uow() as tx:
        ws = tx.workspaces.by_team(TEAM.team_id)
        tx.recognitions.add_shoutout(
            ws.id, giver=CY, recipients=(DEE,), kind=SUCCESS, principles=(),
            reason=f"fixed the outage with {BO_NAME}'s script", source=Source.COMMAND,
            channel_id="C0SUPPORT", now=at(41),
        )  # fmt: skip
        tx.commit()
    assert "shoutouts.reason" in holding(db, BO_NAME)
    plan, _ = forget(uow, clock)
    assert holding(db, BO_NAME) == []
    reason = db.scalar("SELECT reason FROM shoutouts WHERE reason LIKE 'fixed the outage%'")
    assert reason == f"fixed the outage with {plan.pseudonym}'s script"


def test_a_forget_and_a_senders_outcomes_take_their_locks_in_one_order(db, uow, clock, seeded):
    """A sender records a batch of outcomes in the outbox and then the shout-outs they
    announced; a forget used to update the shout-outs first and the outbox after. On PostgreSQL
    each then waited for the other, and the forget gave up as busy (seen in the end-to-end test
    about one run in five). Here the two transactions are interleaved on purpose."""
    if db.backend != "postgresql":
        pytest.skip("SQLite has one writer: the two never hold row locks at once")
    [(dm, shoutout)] = db.rows(
        "SELECT id, shoutout_id FROM outbox WHERE channel_id = :bo AND status = 'pending'", bo=BO
    )
    [claimed] = claim_messages([dm], clock.now(), uow=uow())
    request = make_engine(db.url, lock_timeout=0.8, statement_timeout=2.0)  # the web's bounds
    requests = UnitOfWorkFactory(make_session_factory(request))
    outcome: list[object] = []
    forgetting = threading.Event()

    def forget_now() -> None:
        plan = plan_forget(who(ANA), BO, uow=requests(), clock=clock)
        forgetting.set()
        try:
            outcome.append(
                forget_person(
                    who(ANA),
                    BO,
                    plan.pseudonym,
                    uow=requests(),
                    clock=clock,
                )
            )
        except Busy as busy:
            outcome.append(busy)

    thread = threading.Thread(target=forget_now)
    with uow() as tx:  # the sender's batch: the outbox row first ...
        tx.outbox.finish_many(
            [(dm, OutboxStatus.SENT, "2.2", None, None, False, claimed.at)], clock.now()
        )
        thread.start()
        assert forgetting.wait(5)
        time.sleep(0.4)  # ... the forget starts meanwhile ...
        tx.outbox.announced([(shoutout, "C0SUPPORT", "2.2")])  # ... then what it announced
        tx.commit()
    thread.join(10)
    request.dispose()
    assert len(outcome) == 1 and not isinstance(outcome[0], Busy), outcome
    assert holding(db, BO) == []
