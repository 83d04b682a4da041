"""Story, applause and App Home services on real databases, with a fake directory."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import i18n
from bot.domain.applause import Press, Reaction, SelfApplause, is_applause, press_applaud, react
from bot.domain.errors import NotFound
from bot.domain.home import bot_joined, home_page, local_month_bounds
from bot.domain.kudos import give_kudos
from bot.domain.model import (
    GiveKudos,
    Kind,
    OutboxTopic,
    Person,
    StoryDraft,
    TeamRef,
    WorkspaceDefaults,
)
from bot.domain.stories import StoryInvalid, check_story, form_context, people_names, share_story

TEAM = TeamRef("T0001")
DEFAULTS = WorkspaceDefaults(timezone="Europe/Amsterdam")
ROOT = Path(__file__).resolve().parents[1]


class FakeDirectory:
    """Who is who, without Slack; counts lookups."""

    def __init__(self) -> None:
        self.people = {
            "U0ANA": Person("U0ANA", "Ana", "Europe/Amsterdam", is_admin=True),
            "U0BO": Person("U0BO", "Bo Berg"),
            "U0CY": Person("U0CY", "Cy Chen"),
            "U0BOT": Person("U0BOT", "Help Bot", is_bot=True),
            "U0GONE": Person("U0GONE", "Gone", deleted=True),
        }
        self.groups = {"S0MGR": ["U0CY"]}
        self.lookups = 0

    def person(self, user_id: str) -> Person | None:
        self.lookups += 1
        return self.people.get(user_id)

    def group_members(self, group_id: str) -> list[str] | None:
        return self.groups.get(group_id)


def draft(**changes) -> StoryDraft:
    base = StoryDraft(
        team=TEAM,
        author="U0ANA",
        view_id="V1",
        title="Saved the Jansen renewal",
        body="Bo called back within the hour and the customer renewed for two years.",
        customer="Jansen BV",
        teammates=("U0BO", "U0CY"),
        principles=("care",),
        channel_id="C0STORIES",
        origin_channel="C0SUPPORT",
    )
    return replace(base, **changes)


def share(uow, clock, **changes):
    return share_story(
        draft(**changes), uow=uow(), clock=clock, directory=FakeDirectory(), defaults=DEFAULTS
    )


def count(db, table: str, where: str = "1=1") -> int:
    return db.scalar(f"SELECT count(*) FROM {table} WHERE {where}")


# pure rules ---------------------------------------------------------------------------------


def test_check_story_reports_every_problem_at_once():
    _, problems = check_story(
        draft(
            title=" ",
            customer="c" * 151,
            body=" short ",
            teammates=tuple(f"U{i}" for i in range(21)),
            principles=("a", "b", "c", "d"),
        )
    )
    assert {k: p.key for k, p in problems.items()} == {
        "title": "story.error.title_missing",
        "customer": "story.error.too_long",
        "body": "story.error.body_short",
        "teammates": "story.error.teammates_many",
        "principles": "story.error.principles_many",
    }


def test_check_story_tidies_text_drops_the_author_and_duplicates():
    checked, problems = check_story(
        draft(title="  Saved \n the  day ", teammates=("U0BO", "U0ANA", "U0BO"))
    )
    assert not problems
    assert checked.title == "Saved the day" and checked.teammates == ("U0BO",)
    assert checked.dropped_self


def test_every_story_problem_has_a_message():
    catalog = i18n.catalog("en")
    source = (ROOT / "bot" / "domain" / "stories.py").read_text("utf-8")
    keys = set(re.findall(r'"(story\.error\.[a-z_]+)"', source))
    assert len(keys) >= 8
    assert keys <= set(catalog)


@pytest.mark.parametrize(
    ("emoji", "workspace", "counts"),
    [
        ("clap", "clap", True),
        ("clap::skin-tone-2", "clap", True),
        ("clap", ":clap:", True),
        ("clapper", "clap", False),
        ("tada", "clap", False),
        ("raised_hands::skin-tone-6", "raised_hands", True),
    ],
)
def test_applause_emoji_counts_with_any_skin_tone(emoji, workspace, counts):
    assert is_applause(emoji, workspace) is counts


def test_local_month_bounds_follow_the_workspace_time_zone():
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # already December in Amsterdam
    start, end = local_month_bounds(late, "Europe/Amsterdam")
    assert start == datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
    assert end == datetime(2026, 12, 31, 23, 0, tzinfo=UTC)
    start, end = local_month_bounds(datetime(2026, 12, 15, tzinfo=UTC), "UTC")
    assert (start.month, end.year, end.month) == (12, 2027, 1)


# sharing a story ----------------------------------------------------------------------------


def test_a_story_is_stored_with_a_credit_per_teammate_a_card_and_dms(uow, clock, db):
    result = share(uow, clock)
    assert result.channel_id == "C0STORIES" and result.teammates == ("U0BO", "U0CY")
    assert result.kind is Kind.SUCCESS and not result.duplicate
    assert count(db, "stories") == 1
    assert count(db, "recognitions", "source='story' AND story_id IS NOT NULL") == 2
    topics = [r[0] for r in db.rows("SELECT topic FROM outbox ORDER BY id")]
    assert topics == [OutboxTopic.STORY_CARD, OutboxTopic.STORY_DM, OutboxTopic.STORY_DM]
    assert len(result.outbox_ids) == 3


def test_the_same_view_submitted_again_stores_nothing_new(uow, clock, db):
    first = share(uow, clock)
    again = share(uow, clock, title="A different title this time")
    assert again.duplicate and again.story_id == first.story_id and again.outbox_ids == ()
    assert count(db, "stories") == 1 and count(db, "recognitions") == 2
    assert count(db, "outbox") == 3
    assert share(uow, clock, view_id="V2").story_id != first.story_id


def test_an_invalid_story_stores_nothing_not_even_the_workspace(uow, clock, db):
    with pytest.raises(StoryInvalid) as refused:
        share(uow, clock, title="", teammates=("U0BO", "U0BOT", "U0GONE"))
    problems = refused.value.problems
    assert set(problems) == {"title", "teammates"}
    assert problems["teammates"].params["people"] == ("Help Bot", "Gone")
    for table in ("workspaces", "members", "stories", "recognitions", "outbox"):
        assert count(db, table) == 0, table


def test_unknown_teammates_are_named_by_id(uow, clock):
    with pytest.raises(StoryInvalid) as refused:
        share(uow, clock, teammates=("U0NOBODY",))
    assert refused.value.problems["teammates"].params["people"] == ("U0NOBODY",)


def test_without_a_chosen_or_stories_channel_it_goes_where_it_was_started(uow, clock):
    result = share(uow, clock, channel_id=None)
    assert result.channel_id == "C0SUPPORT" and result.no_stories_channel


def test_the_stories_channel_is_used_when_none_is_chosen(uow, clock):
    with uow() as tx:
        workspace = tx.workspaces.ensure(TEAM, DEFAULTS, clock.now())
        tx.workspaces.update(workspace.id, stories_channel="C0WINS")
        tx.commit()
    result = share(uow, clock, channel_id=None)
    assert result.channel_id == "C0WINS" and not result.no_stories_channel


def test_a_story_with_nowhere_to_go_asks_for_a_channel(uow, clock, db):
    with pytest.raises(StoryInvalid) as refused:
        share(uow, clock, channel_id=None, origin_channel=None)
    assert set(refused.value.problems) == {"channel"}
    assert count(db, "stories") == 0


def test_the_author_is_left_out_of_the_teammates_and_told(uow, clock, db):
    result = share(uow, clock, teammates=("U0ANA", "U0BO"))
    assert result.dropped_self and result.teammates == ("U0BO",)
    assert count(db, "recognitions", "recipient_id='U0ANA'") == 0


def test_a_story_without_teammates_credits_nobody_and_asks_slack_nothing(uow, clock, db):
    directory = FakeDirectory()
    share_story(draft(teammates=()), uow=uow(), clock=clock, directory=directory, defaults=DEFAULTS)
    assert count(db, "recognitions") == 0 and directory.lookups == 0


def test_recovery_words_decide_the_kind_unless_one_was_chosen(uow, clock):
    assert share(uow, clock, body="Fixed the outage for Jansen within ten minutes.").kind is (
        Kind.RECOVERY
    )
    chosen = share(
        uow, clock, view_id="V2", body="Fixed the outage in ten minutes.", kind=Kind.SUCCESS
    )
    assert chosen.kind is Kind.SUCCESS


def test_story_credits_leave_the_daily_allowance_alone(uow, clock):
    share(uow, clock, teammates=("U0BO", "U0CY"))
    result = give_kudos(
        GiveKudos(TEAM, "U0ANA", ("U0BO",), (), "for a calm and kind phone call"),
        uow=uow(),
        clock=clock,
        directory=FakeDirectory(),
        defaults=DEFAULTS,
    )
    assert result.remaining == 4


def test_form_context_reads_without_writing(uow, db):
    context = form_context(TEAM, uow=uow(), defaults=DEFAULTS)
    assert context.language == "en" and context.principles and context.stories_channel is None
    assert count(db, "workspaces") == 0


def test_people_names_come_from_the_directory_once(uow, clock):
    directory = FakeDirectory()
    names = people_names(
        TEAM, ("U0BO", "U0NOBODY"), uow=uow(), clock=clock, directory=directory, defaults=DEFAULTS
    )
    assert names == {"U0BO": "Bo Berg"}
    people_names(TEAM, ("U0BO",), uow=uow(), clock=clock, directory=directory, defaults=DEFAULTS)
    assert directory.lookups == 2  # the second time Bo came from the member cache


# applause -----------------------------------------------------------------------------------


def posted_story(uow, clock, **changes) -> tuple[str, str]:
    result = share(uow, clock, **changes)
    with uow() as tx:
        tx.stories.set_message(result.story_id, "C0STORIES", "1790000001.000100")
        tx.commit()
    return "C0STORIES", "1790000001.000100"


def reaction(user: str, event_id: str, *, added: bool = True, emoji: str = "clap", **kw):
    return Reaction(
        team=TEAM,
        user=user,
        emoji=emoji,
        channel=kw.get("channel", "C0STORIES"),
        ts=kw.get("ts", "1790000001.000100"),
        event_id=event_id,
        at=datetime(2026, 11, 23, 10, 5, tzinfo=UTC),
        added=added,
        item_user=kw.get("item_user"),
    )


def test_a_reaction_applauds_once_however_often_slack_delivers_it(uow, clock, db):
    posted_story(uow, clock)
    first = react(reaction("U0DEE", "Ev1"), uow=uow(), clock=clock)
    assert first.applauded and first.count == 1 and first.story.applause == 1
    assert react(reaction("U0DEE", "Ev1"), uow=uow(), clock=clock) is None
    assert react(reaction("U0DEE", "Ev2"), uow=uow(), clock=clock) is None  # already applauding
    assert count(db, "applause") == 1
    removed = react(reaction("U0DEE", "Ev3", added=False), uow=uow(), clock=clock)
    assert not removed.applauded and removed.count == 0
    assert count(db, "applause") == 0


def test_reactions_that_are_not_applause_on_a_bravo_post_change_nothing(uow, clock, db):
    posted_story(uow, clock)
    assert react(reaction("U0DEE", "Ev1", emoji="tada"), uow=uow(), clock=clock) is None
    assert react(reaction("U0DEE", "Ev2", ts="1.2"), uow=uow(), clock=clock) is None
    other = reaction("U0DEE", "Ev3", item_user="U0SOMEONE")
    assert react(other, uow=uow(), clock=clock, bot_user="UBRAVO") is None
    assert react(reaction("U0ANA", "Ev4"), uow=uow(), clock=clock) is None  # the author
    assert react(reaction("U0BO", "Ev5"), uow=uow(), clock=clock) is None  # credited
    assert count(db, "applause") == 0 and count(db, "processed_events") == 0


def test_a_workspace_with_its_own_emoji_counts_that_one(uow, clock, db):
    posted_story(uow, clock)
    with uow() as tx:
        tx.workspaces.update(tx.workspaces.by_team("T0001").id, applause_emoji="raised_hands")
        tx.commit()
    assert react(reaction("U0DEE", "Ev1"), uow=uow(), clock=clock) is None
    assert react(reaction("U0DEE", "Ev2", emoji="raised_hands"), uow=uow(), clock=clock)


def test_the_applaud_button_toggles(uow, clock, db):
    channel, ts = posted_story(uow, clock)
    press = Press(TEAM, "U0DEE", channel, ts)
    assert press_applaud(press, uow=uow(), clock=clock).count == 1
    again = press_applaud(press, uow=uow(), clock=clock)
    assert not again.applauded and again.count == 0


def test_the_applaud_button_refuses_self_applause_and_missing_posts(uow, clock):
    channel, ts = posted_story(uow, clock)
    with pytest.raises(SelfApplause):
        press_applaud(Press(TEAM, "U0CY", channel, ts), uow=uow(), clock=clock)
    with pytest.raises(NotFound):
        press_applaud(Press(TEAM, "U0DEE", channel, "9.9"), uow=uow(), clock=clock)


# App Home and the intro ---------------------------------------------------------------------


def home(uow, clock, user, directory=None, **kw):
    return home_page(
        TEAM,
        user,
        uow=uow(),
        clock=clock,
        directory=directory or FakeDirectory(),
        defaults=DEFAULTS,
        **kw,
    )


def test_home_counts_received_given_and_stories(uow, clock):
    share(uow, clock, teammates=("U0BO",))
    give_kudos(
        GiveKudos(TEAM, "U0BO", ("U0CY",), (), "fixed the export bug for the Jansen account"),
        uow=uow(),
        clock=clock,
        directory=FakeDirectory(),
        defaults=DEFAULTS,
    )
    bo = home(uow, clock, "U0BO")
    assert (bo.month.received, bo.month.given, bo.month.stories) == (1, 1, 0)
    assert bo.all_time == bo.month
    assert bo.recent[0].story and bo.recent[0].text == "Saved the Jansen renewal"
    assert bo.principle is not None and bo.team is None
    ana = home(uow, clock, "U0ANA")
    assert ana.month.stories == 1 and ana.team is not None  # an admin is a manager
    assert (ana.team.stories, ana.team.shoutouts, ana.team.people) == (1, 1, 2)
    assert (ana.team.success, ana.team.recovery) == (1, 1)


def test_home_managers_include_the_manager_group_and_configured_ids(uow, clock):
    assert home(uow, clock, "U0CY").team is None
    assert home(uow, clock, "U0BO", managers=("U0BO",)).team is not None
    with uow() as tx:
        tx.workspaces.update(tx.workspaces.by_team("T0001").id, manager_group="S0MGR")
        tx.commit()
    assert home(uow, clock, "U0CY").team is not None


def test_home_months_are_local_months(uow, clock):
    share(uow, clock, teammates=("U0BO",))
    clock.advance(days=40)
    bo = home(uow, clock, "U0BO")
    assert bo.month.received == 0 and bo.all_time.received == 1


def test_bravo_introduces_itself_once_per_event(uow, clock):
    assert bot_joined(TEAM, "Ev1", uow=uow(), clock=clock, defaults=DEFAULTS) is not None
    assert bot_joined(TEAM, "Ev1", uow=uow(), clock=clock, defaults=DEFAULTS) is None
