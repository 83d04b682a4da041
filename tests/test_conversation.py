"""Thanking in the conversation, below the HTTP layer: the mention parser, Slack markup made
plain, the reaction reason, the leaderboard's source filter, the kudos-emoji setting, and the
same-day rule for taking a thanks back (on SQLite and PostgreSQL). Hypothesis checks that no
message text, however crafted, comes back out of Bravo as a live broadcast or group mention."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.applause import Reaction
from bot.domain.conversation import (
    ChatMessage,
    ThanksReply,
    is_kudos_emoji,
    reaction_reason,
    take_back,
    thank_for_message,
)
from bot.domain.kudos import REASON_MAX, REASON_MIN
from bot.domain.leaderboard import LeaderboardRequest
from bot.domain.model import Kind, Person, ShoutoutCard, Source, TeamRef
from bot.domain.workspaces import InvalidSetting, change_setting, ensure_workspace
from bot.slack.parsing.conversation import parse_mention, to_plain
from bot.slack.parsing.leaderboard import (
    export_value,
    parse_export_action,
    parse_leaderboard_command,
)
from bot.slack.views.conversation import build_thanks_reply
from bot.slack.views.kudos import build_kudos_announcement, build_kudos_dm

BOT = "UBRAVO0001"
TEAM = TeamRef("T0001")
LIVE = re.compile(r"<!(here|channel|everyone|subteam)")


def envelope(event: dict, event_id: str = "Ev1") -> dict:
    return {"team_id": "T0001", "event_id": event_id, "event": event}


def app_mention(text: str, **extra) -> dict:
    event = {"type": "app_mention", "user": "U0ANA", "text": text, "ts": "1790000000.000100"}
    return envelope(event | {"channel": "C0SUP"} | extra)


# -- the mention parser -------------------------------------------------------------------------


def test_a_mention_reads_as_the_kudos_command_with_the_same_text():
    body = app_mention(
        f"<@{BOT}> <@U0BO> <@U0CY|cy> thanks for staying on the call until it worked #care #recovery"
    )
    cmd = parse_mention(body, bot_user=BOT, principles={"care"})
    assert cmd.user_ids == ("U0BO", "U0CY") and cmd.giver == "U0ANA"
    assert cmd.reason == "thanks for staying on the call until it worked"
    assert cmd.principles == ("care",) and cmd.kind is Kind.RECOVERY
    assert cmd.source is Source.MENTION and cmd.channel_id == "C0SUP"
    assert cmd.request_key == "mention:C0SUP:1790000000.000100"
    assert cmd.thread_ts == "1790000000.000100" and cmd.event_id == "Ev1"
    assert cmd.reply_url is None


def test_a_mention_inside_a_thread_is_answered_in_that_thread():
    body = app_mention(f"<@{BOT}> <@U0BO> for the fix", thread_ts="1789999999.000001")
    assert parse_mention(body, bot_user=BOT).thread_ts == "1789999999.000001"


def test_the_bots_own_mention_is_never_a_recipient_even_with_a_label():
    cmd = parse_mention(app_mention(f"<@{BOT}|bravo> <@U0BO> for the fix"), bot_user=BOT)
    assert cmd.user_ids == ("U0BO",)
    assert parse_mention(app_mention(f"<@{BOT}> you are great"), bot_user=BOT).user_ids == ()


@pytest.mark.parametrize(
    "extra",
    [{"subtype": "message_changed"}, {"bot_id": "B1"}, {"edited": {"ts": "1"}}, {"user": None}],
)
def test_edits_bots_and_subtypes_are_not_mentions(extra):
    assert (
        parse_mention(app_mention(f"<@{BOT}> <@U0BO> thanks a lot", **extra), bot_user=BOT) is None
    )


# -- Slack markup to plain text ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "plain"),
    [
        ("thanks <@U1>", "thanks @Ana"),
        ("thanks <@U9|bo>", "thanks @bo"),
        ("thanks <@U9>", "thanks @U9"),
        ("in <#C1|support> today", "in #support today"),
        ("see <https://x.io/a?b=1&amp;c=2|the doc>", "see the doc"),
        ("see <https://x.io/a>", "see https://x.io/a"),
        ("mail <mailto:a@b.io|a@b.io>", "mail a@b.io"),
        ("<!here> <!channel> <!everyone|everyone>", "@here @channel @everyone"),
        ("<!subteam^S1|@support> and <!subteam^S2>", "@support and @group"),
        ("<!date^1790000000^{date}|Nov 23>", "Nov 23"),
        ("a &lt;b&gt; &amp; c", "a <b> & c"),
        ("two\nlines  with   spaces", "two\nlines with spaces"),
    ],
)
def test_slack_markup_becomes_plain_text(markup, plain):
    assert to_plain(markup, {"U1": "Ana"}) == plain


def test_the_reason_keeps_the_words_and_adds_the_permalink():
    link = "https://acme.slack.com/archives/C1/p1790000000000100"
    assert reaction_reason("Fixed it  for them", link) == f"Fixed it for them\n{link}"
    assert len(reaction_reason("ty!", link)) >= REASON_MIN  # the link says what it was for
    long = reaction_reason("word " * 400, link)
    assert len(long) <= REASON_MAX and long.endswith(link) and "…" in long
    assert reaction_reason("word " * 400, None).endswith("…")


def test_the_kudos_emoji_counts_with_any_skin_tone_and_not_when_off():
    assert is_kudos_emoji("raised_hands::skin-tone-3", "raised_hands")
    assert not is_kudos_emoji("clap", "raised_hands")
    assert not is_kudos_emoji("raised_hands", None)


# -- no live broadcast, whatever the text (Hypothesis) --------------------------------------------

PIECES = st.sampled_from(
    [
        "<!here>", "<!channel>", "<!everyone>", "<!here|here>", "<!subteam^S1|@team>",
        "<!subteam^S1>", "&lt;!channel&gt;", "&lt;", "&gt;", "&amp;", "<", ">", "!", "|",
        "<@U1>", "<#C1|x>", "<http://a.b|l>", "<!date^1^x|y>", "<!foo|bar>", " ", "\n", "x",
    ]
)  # fmt: skip
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=20).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_no_message_text_is_ever_reposted_as_a_live_mention(text):
    reason = reaction_reason(to_plain(text), "https://acme.slack.com/archives/C1/p1")
    card = ShoutoutCard(
        id=1, giver="U1", recipients=("U2",), reason=reason, kind=Kind.SUCCESS,
        principles=(), created_at=datetime(2026, 11, 23, tzinfo=UTC), language="en",
        channel_id="C1", also=("U3",),
    )  # fmt: skip
    for text_out, blocks in (build_kudos_announcement(card), build_kudos_dm(card)):
        assert not LIVE.search(text_out) and not LIVE.search(str(blocks))


SLACK_TEXTS = st.lists(
    st.one_of(
        PIECES.filter(lambda p: p not in ("<", ">", "&lt;!channel&gt;", "&lt;")),
        st.text(alphabet=st.characters(blacklist_characters="<>&"), max_size=5),
    ),
    max_size=20,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(SLACK_TEXTS)
def test_plain_text_keeps_no_slack_token_of_what_slack_sent(text):
    """Slack escapes what people type, so every `<...>` it sends is a token: none survives."""
    assert "<!" not in to_plain(text) and "<@" not in to_plain(text)


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_no_mention_reason_is_ever_a_live_broadcast(text):
    cmd = parse_mention(app_mention(f"<@{BOT}> <@U0BO> {text}"), bot_user=BOT)
    card = ShoutoutCard(
        id=1, giver="U1", recipients=("U2",), reason=cmd.reason, kind=Kind.SUCCESS,
        principles=(), created_at=datetime(2026, 11, 23, tzinfo=UTC), language="nl",
    )  # fmt: skip
    out, blocks = build_kudos_announcement(card)
    assert not LIVE.search(out) and not LIVE.search(str(blocks))


def test_the_thanks_reply_names_two_then_counts_the_others():
    reply = ThanksReply(TEAM, "C1", "1.1", "U9", ("U1", "U2", "U3", "U4"), "en")
    text, _ = build_thanks_reply(reply)
    assert text == "<@U1>, <@U2>, and 2 others thanked <@U9> for this."
    dutch, _ = build_thanks_reply(ThanksReply(TEAM, "C1", "1.1", "U9", ("U1", "U2"), "nl"))
    assert dutch == "<@U9> is hiervoor bedankt door <@U1> en <@U2>."


# -- the leaderboard's source filter ---------------------------------------------------------------


@pytest.mark.parametrize("word", ["source:mention", "mention", "bron:mention", "SOURCE:Mention"])
def test_the_leaderboard_takes_a_source(word):
    request = parse_leaderboard_command({"team_id": "T1", "user_id": "U1", "text": f"week {word}"})
    assert isinstance(request, LeaderboardRequest) and request.source is Source.MENTION
    assert request.period == "week"


def test_the_export_button_keeps_the_source():
    request = LeaderboardRequest(team=TeamRef("T1"), asker="U1", source=Source.REACTION)
    body = {
        "team": {"id": "T1"},
        "user": {"id": "U1"},
        "actions": [{"value": export_value(request)}],
    }
    assert parse_export_action(body).source is Source.REACTION


def test_an_unknown_source_gets_the_usage_text():
    request = parse_leaderboard_command({"team_id": "T1", "user_id": "U1", "text": "source:fax"})
    assert not isinstance(request, LeaderboardRequest)


# -- the kudos-emoji setting and taking back (real databases) -------------------------------------


def test_the_kudos_emoji_can_be_changed_or_switched_off_but_not_to_the_applause_emoji(services):
    now = services.clock.now()
    with services.uow() as tx:
        workspace = ensure_workspace(tx, TEAM, services.defaults, now)
        assert workspace.kudos_emoji == "raised_hands"
        assert (
            change_setting(tx, workspace, "kudos-emoji", ":pray:", by="U1", now=now).value
            == ":pray:"
        )
        with pytest.raises(InvalidSetting):
            change_setting(tx, workspace, "kudos-emoji", "clap", by="U1", now=now)
        change_setting(tx, workspace, "kudos-emoji", "off", by="U1", now=now)
        tx.commit()
    with services.uow() as tx:
        assert tx.workspaces.by_team("T0001").kudos_emoji is None


class People:
    def person(self, user_id):
        return Person(user_id, name=user_id, tz="Europe/Amsterdam", is_bot=user_id == "UBOT")

    def group_members(self, group_id):
        return None

    def everyone(self):
        return iter(())


class OneMessage:
    def message(self, channel, ts):
        return ChatMessage(user="U0BO", text="Called the customer back within the hour")

    def permalink(self, channel, ts):
        return f"https://acme.slack.com/archives/{channel}/p{ts.replace('.', '')}"


def reaction(user="U0ANA", *, added=True, event_id="Ev1", item_user="U0BO") -> Reaction:
    return Reaction(
        TEAM, user, "raised_hands", "C1", "1790000000.000100", event_id,
        datetime(2026, 11, 23, 10, tzinfo=UTC), added, item_user,
    )  # fmt: skip


def thank(services, **kwargs):
    return thank_for_message(
        reaction(**kwargs), uow=services.uow, clock=services.clock, directory=People(),
        messages=OneMessage(), defaults=services.defaults,
    )  # fmt: skip


def test_a_reaction_thanks_once_and_can_be_taken_back_only_the_same_day(services, db):
    reply = thank(services)
    assert reply.post and reply.givers == ("U0ANA",)
    assert thank(services, event_id="Ev2") is None  # the same person again: nothing new
    assert thank(services, user="U0BO", event_id="Ev3") is None  # the author: quietly nothing
    assert thank(services, user="U0CY", event_id="Ev4", item_user="UBOT") is None  # a bot's
    assert db.scalar("SELECT count(*) FROM recognitions") == 1
    # The next day (Amsterdam), removing the reaction keeps the thanks.
    services.clock.advance(hours=14)
    assert (
        take_back(reaction(added=False, event_id="Ev5"), uow=services.uow, clock=services.clock)
        is None
    )
    assert db.scalar("SELECT count(*) FROM recognitions") == 1
    # A thanks given today can be taken back today: gone from the counts too.
    assert thank(services, user="U0CY", event_id="Ev6").givers == ("U0ANA", "U0CY")
    after = take_back(
        reaction("U0CY", added=False, event_id="Ev7"), uow=services.uow, clock=services.clock
    )
    assert after.givers == ("U0ANA",)
    assert thank(services, user="U0CY", event_id="Ev6") is None  # Slack retries the old add
    assert db.scalar("SELECT count(*) FROM recognitions") == 1
    assert db.scalar("SELECT given FROM recognition_totals WHERE user_id = 'U0CY'") == 0
