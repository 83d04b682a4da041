"""Property-based tests (Hypothesis) for every parser and every view that echoes user text.

What must hold for any input (SPEC 2.1, broadcast safety):
- no parser raises anything but the project's typed refusals (a `Usage`, a `BravoCommand`
  "unknown"/"help", or a `BravoError`);
- recipients, groups and tags come out of the text exactly as Slack escaped them in;
- no view ever carries a live `<!here>`, `<!channel>`, `<!everyone>` or `<!subteam^...>` that
  came from user text, user `&`, `<`, `>` always arrive escaped, and every message stays within
  Block Kit limits.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, example, find, given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block as SdkBlock

from bot.domain.home import HomePage
from bot.domain.kinds import TAGS as KIND_TAGS
from bot.domain.leaderboard import Audience, LeaderboardRequest
from bot.domain.model import (
    GiveKudos,
    Kind,
    KindDecision,
    KindSource,
    KudosGiven,
    PeriodStats,
    PersonStats,
    Received,
    ShoutoutCard,
    StoryCard,
    TaggedRecognition,
    TeamRef,
    TopStory,
)
from bot.domain.posts import DigestPost, PrinciplePost
from bot.domain.principles import Principle
from bot.domain.workspaces import InvalidSetting, UnknownSetting
from bot.slack.ids import Action, Block
from bot.slack.parsing.applause import parse_applaud, parse_reaction
from bot.slack.parsing.bravo import BravoCommand, parse_bravo_command, parse_settings_submission
from bot.slack.parsing.kudos import parse_kudos_command, parse_kudos_submission
from bot.slack.parsing.leaderboard import (
    Usage,
    export_value,
    parse_export_action,
    parse_leaderboard_command,
)
from bot.slack.parsing.payloads import team_of, view_metadata
from bot.slack.parsing.stories import parse_story_command, parse_story_message
from bot.slack.parsing.tokens import mentioned_users, readable, unescape
from bot.slack.views import text as text_helpers
from bot.slack.views.bravo import build_export_usage, build_help, build_principles
from bot.slack.views.errors import build_error
from bot.slack.views.home import build_home
from bot.slack.views.kudos import (
    _titled_quote,
    build_kudos_announcement,
    build_kudos_confirmation,
    build_kudos_dm,
)
from bot.slack.views.leaderboard import build_leaderboard
from bot.slack.views.leaderboard import usage as leaderboard_usage
from bot.slack.views.posts import build_digest, build_principle_post, build_target_paused
from bot.slack.views.stories import build_story_card, build_story_dm
from bot.slack.views.text import escape, quote
from tests.test_leaderboard_views import board as leaderboard_board

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEAVY = settings(FAST, max_examples=60)  # whole views of many long texts each
WHEN = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
PRINCIPLES = frozenset({"care", "listen-first", "ownership"})
TEAM = "T0001"
GIVER = "U0GIVER"

# -- strategies: Slack-escaped command text, as Slack sends it (SLACK.md "Wire formats") -------

ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
ids = st.text(ID_CHARS, min_size=1, max_size=11)
user_ids = st.builds(lambda p, rest: p + rest, st.sampled_from("UW"), ids)
group_ids = st.builds(lambda rest: "S" + rest, ids)
channel_ids = st.builds(lambda p, rest: p + rest, st.sampled_from("CG"), ids)
# Anything a person can type, minus what Slack itself escapes (labels never hold < > |).
typed = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="<>|&\x00"), max_size=20
)
plain_words = st.text(
    st.characters(
        blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc"), blacklist_characters="<>|&#\x00"
    ),
    min_size=1,
    max_size=12,
)
slug_words = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
SPECIALS = ("here", "channel", "everyone")


class Piece:
    """One piece of command text: what Slack sends, and what the parser should make of it."""

    def __init__(self, raw: str, *, user=None, group=None, tag=None, kind=None, reason=""):
        self.raw, self.user, self.group, self.tag, self.kind, self.reason = (
            raw,
            user,
            group,
            tag,
            kind,
            reason,
        )

    def __repr__(self) -> str:
        return repr(self.raw)


def _user(uid: str, label: str | None) -> Piece:
    return Piece(f"<@{uid}|{label}>" if label is not None else f"<@{uid}>", user=uid)


def _group(gid: str, handle: str | None) -> Piece:
    raw = f"<!subteam^{gid}|@{handle}>" if handle is not None else f"<!subteam^{gid}>"
    return Piece(raw, group=gid)


def _special(which: str, label: str | None) -> Piece:
    raw = f"<!{which}|{label}>" if label is not None else f"<!{which}>"
    return Piece(raw, reason="@" + which)


def _channel(cid: str, name: str) -> Piece:
    if name in PRINCIPLES:
        return Piece(f"<#{cid}|{name}>", tag=name)
    return Piece(f"<#{cid}|{name}>", reason="#" + name)


def _link(path: str, label: str | None) -> Piece:
    url = f"https://example.com/{path}"
    return Piece(f"<{url}|{label}>" if label else f"<{url}>", reason=label or url)


def _hashtag(word: str, upper: bool) -> Piece:
    shown = word.upper() if upper else word
    if word in KIND_TAGS:
        return Piece("#" + shown, kind=KIND_TAGS[word])
    if word in PRINCIPLES:
        return Piece("#" + shown, tag=word)
    return Piece("#" + shown, reason="#" + shown)


pieces = st.one_of(
    st.builds(_user, user_ids, st.none() | st.from_regex(r"[a-z.]{1,10}", fullmatch=True)),
    st.builds(_group, group_ids, st.none() | st.from_regex(r"[a-z-]{1,10}", fullmatch=True)),
    st.builds(_special, st.sampled_from(SPECIALS), st.none() | st.sampled_from(SPECIALS)),
    st.builds(_channel, channel_ids, st.sampled_from(sorted(PRINCIPLES)) | slug_words),
    st.builds(_link, st.from_regex(r"[a-z0-9/]{0,10}", fullmatch=True), st.none() | plain_words),
    st.builds(
        _hashtag,
        st.sampled_from([*KIND_TAGS, *sorted(PRINCIPLES)]) | slug_words,
        st.booleans(),
    ),
    st.builds(lambda w: Piece(w, reason=w), plain_words),
    st.sampled_from(
        [
            Piece("&amp;", reason="&"),
            Piece("&lt;", reason="<"),
            Piece("&gt;", reason=">"),
            Piece("&lt;!here&gt;", reason="<!here>"),  # typed literally, not a mention
            Piece("&lt;@U0SPY&gt;", reason="<@U0SPY>"),
        ]
    ),
)
separators = st.sampled_from([" ", "  ", "\n", " \n ", "\t"])


@st.composite
def commands(draw, max_pieces: int = 12) -> tuple[str, list[Piece]]:
    """Well-formed escaped text, built from pieces whose meaning is known."""
    parts = draw(st.lists(pieces, max_size=max_pieces))
    seps = draw(st.lists(separators, min_size=len(parts), max_size=len(parts)))
    text = "".join(sep + p.raw for sep, p in zip(seps, parts, strict=True))
    return text, parts


# Anything at all, biased towards Slack markup, broken markup and entities.
MARKUP = [
    "<!here>",
    "<!channel>",
    "<!everyone>",
    "<!here|here>",
    "<!channel|@channel>",
    "<!everyone|everyone>",
    "<!subteam^S0SUP|@support>",
    "<!subteam^S0SUP>",
    "<@U0BO|bo>",
    "<@W0DEE>",
    "<#C0GEN|general>",
    "<#C0GEN>",
    "<https://evil.example|click>",
    "<mailto:a@b.c|a@b.c>",
    "<!date^1700000000^{date}|Nov 14>",
    "&amp;",
    "&lt;",
    "&gt;",
    "&lt;!here&gt;",
    "&amp;lt;",
    "<",
    ">",
    "<<",
    ">>",
    "<!",
    "<@",
    "|",
    "#success",
    "#recovery",
    "#herstel",
    "#care",
    "#",
    "\n",
    "\r\n",
    "\u2028",
    "\x00",
    "@here",
    "`",
    "*",
    "::",
    "set",
    "principle add",
    "export",
    "forget",
    "month",
    "2026-Q4",
    "2026-13",
    "help",
]
arbitrary_text = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(MARKUP) | st.text(max_size=8), max_size=30).map("".join),
    st.lists(st.sampled_from(MARKUP) | st.text(max_size=8), max_size=30).map(" ".join),
)
long_text = st.builds(
    lambda unit, n: unit * n, st.sampled_from(MARKUP + ["ab "]), st.integers(0, 3000)
)
any_text = arbitrary_text | long_text


def slash(text: str, **extra: str) -> dict[str, str]:
    return {
        "team_id": TEAM,
        "channel_id": "C0SUPPORT",
        "user_id": GIVER,
        "command": "/kudos",
        "text": text,
        "response_url": "https://hooks.slack.com/commands/1",
        "trigger_id": "1.2.3",
    } | extra


# -- /kudos -------------------------------------------------------------------------------------


@FAST
@given(any_text)
@example("\x00#success\x00")
def test_kudos_parser_never_raises_and_reason_is_one_line(text):
    cmd = parse_kudos_command(slash(text), principles=PRINCIPLES)
    assert isinstance(cmd, GiveKudos)
    assert cmd.reason == " ".join(cmd.reason.split())
    assert "\x00" not in cmd.reason
    assert set(cmd.principles) <= PRINCIPLES
    assert all(re.fullmatch(r"[UW][A-Z0-9]+", u) for u in cmd.user_ids)
    assert all(re.fullmatch(r"S[A-Z0-9]+", g) for g in cmd.group_ids)


@FAST
@given(commands())
def test_kudos_parser_round_trips_recipients_groups_tags_kind_and_reason(command):
    text, parts = command
    cmd = parse_kudos_command(slash(text), principles=PRINCIPLES)
    assert cmd.user_ids == tuple(dict.fromkeys(p.user for p in parts if p.user))
    assert cmd.group_ids == tuple(dict.fromkeys(p.group for p in parts if p.group))
    # Order is not promised: `<#C|slug>` tags are read before `#slug` ones.
    assert len(set(cmd.principles)) == len(cmd.principles)
    assert set(cmd.principles) == {p.tag for p in parts if p.tag}
    kinds = [p.kind for p in parts if p.kind]
    assert cmd.kind == (kinds[-1] if kinds else None)
    assert cmd.reason == " ".join(" ".join(p.reason for p in parts).split())
    # No token Slack sent survives into the reason: only what the person typed does.
    typed_markup = {"<!here>", "<@U0SPY>", "<", ">"}
    if not any(p.reason in typed_markup for p in parts):
        assert "<" not in cmd.reason and ">" not in cmd.reason


@FAST
@given(any_text)
def test_story_command_and_message_parsers_never_raise(text):
    prefill = parse_story_command(slash(text, command="/story"), principles=PRINCIPLES)
    assert GIVER not in prefill.teammates
    body = {
        "type": "message_action",
        "team": {"id": TEAM},
        "user": {"id": GIVER},
        "channel": {"id": "C0SUPPORT"},
        "message": {"ts": "1.2", "text": text},
    }
    story = parse_story_message(body, permalink=None, names={"U0BO": "Bo <b>"})
    assert GIVER not in story.teammates


@FAST
@given(commands())
def test_readable_names_every_mentioned_user_and_renders_broadcasts_as_plain_words(command):
    text, parts = command
    plain, users = readable(text)
    assert users == tuple(dict.fromkeys(p.user for p in parts if p.user))
    assert mentioned_users(text) == users
    for which in SPECIALS:
        if any(p.raw.startswith(f"<!{which}") for p in parts):
            assert "@" + which in plain
    # Only text the person typed literally (`&lt;!here&gt;`) can read like markup.
    if not any(p.raw.startswith("&lt;") for p in parts):
        assert "<!" not in plain


# -- /leaderboard -------------------------------------------------------------------------------

periods = st.sampled_from(
    ["today", "week", "month", "quarter", "year", "all", "2026-03", "2025-Q2"]
)
scopes = st.one_of(
    st.builds(lambda c: (f"<#{c}|random>", {"channel": c}), channel_ids),
    st.builds(lambda g: (f"<!subteam^{g}|@team>", {"group": g}), group_ids),
    st.builds(lambda u: (f"<@{u}|someone>", {"person": u}), user_ids),
)


@st.composite
def leaderboard_texts(draw):
    slots: list[tuple[str, dict]] = []
    if draw(st.booleans()):
        period = draw(periods)
        slots.append((period, {"period": period}))
    if draw(st.booleans()):
        slots.append(draw(scopes))
    if draw(st.booleans()):
        slug = draw(st.sampled_from(sorted(PRINCIPLES)))
        slots.append((draw(st.sampled_from([f"#{slug}", f"<#C0TAG|{slug}>"])), {"principle": slug}))
    if draw(st.booleans()):
        word = draw(st.sampled_from(sorted(KIND_TAGS)))
        slots.append((draw(st.sampled_from([word, "#" + word])), {"kind": KIND_TAGS[word]}))
    slots = draw(st.permutations(slots))
    return " ".join(raw for raw, _ in slots), {k: v for _, f in slots for k, v in f.items()}


@FAST
@given(any_text)
def test_leaderboard_parser_answers_a_request_or_usage_never_an_error(text):
    result = parse_leaderboard_command(slash(text, command="/leaderboard"), principles=PRINCIPLES)
    assert isinstance(result, LeaderboardRequest | Usage)
    if isinstance(result, Usage):
        # The word echoed back is escaped and cannot mention anyone.
        assert_mrkdwn_safe(leaderboard_usage("en", result.word), mentions=set())
    else:
        assert result.principle is None or result.principle in PRINCIPLES
        blocks = build_leaderboard(leaderboard_board(Audience.MANAGER, request=result))
        groups = {result.group} if result.group else set()
        assert_safe("", blocks, mentions=None, groups=groups)


@FAST
@given(leaderboard_texts())
def test_leaderboard_parser_fills_each_slot_from_any_order(case):
    text, expected = case
    result = parse_leaderboard_command(slash(text, command="/leaderboard"), principles=PRINCIPLES)
    assert isinstance(result, LeaderboardRequest), result
    for slot, value in expected.items():
        got = getattr(result, slot)
        assert got == value or (slot == "period" and got), (slot, got, value)


@FAST
@given(st.dictionaries(st.sampled_from("pcgtk"), st.none() | st.text(max_size=80) | st.integers()))
def test_export_button_is_read_whatever_its_value_holds(fields):
    raw = json.dumps(fields)
    for value in (raw, raw[: len(raw) // 2], "[]", "null", ""):
        body = {"team": {"id": TEAM}, "user": {"id": GIVER}, "actions": [{"value": value}]}
        request = parse_export_action(body)
        assert request.team.team_id == TEAM and request.asker == GIVER
        assert request.channel is None or re.fullmatch(r"[CG][A-Z0-9]{1,31}", request.channel)
        assert request.group is None or re.fullmatch(r"S[A-Z0-9]{1,31}", request.group)
        assert len(export_value(request)) <= 2000


# -- /bravo, settings modal, applause, payload helpers ------------------------------------------

ACTIONS = {
    "help",
    "set",
    "settings",
    "principles",
    "principle-add",
    "principle-on",
    "principle-off",
    "me",
    "export",
    "forget",
    "unknown",
}


@FAST
@given(any_text)
def test_bravo_parser_always_names_a_known_action(text):
    command = parse_bravo_command(text)
    assert isinstance(command, BravoCommand) and command.action in ACTIONS
    assert all(isinstance(a, str) for a in command.args)
    if command.action == "unknown":
        # The first paragraph echoes the text; the rest is the catalog's help (checked below).
        echoed = build_help("en", unknown=command.args[0]).split("\n\n")[0]
        assert_mrkdwn_safe(echoed, mentions=set())
    if command.action == "export" and command.args:
        assert_mrkdwn_safe(build_export_usage("en", command.args[0]), mentions=set())


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)


@FAST
@given(
    st.dictionaries(
        st.text(max_size=10),
        st.fixed_dictionaries(
            {
                "value": st.fixed_dictionaries(
                    {
                        "type": st.sampled_from(
                            [
                                "conversations_select",
                                "timepicker",
                                "checkboxes",
                                "static_select",
                                "radio_buttons",
                                "plain_text_input",
                                "number_input",
                            ]
                        )
                    },
                    optional={
                        "selected_conversation": st.none() | channel_ids,
                        "selected_time": st.none() | st.text(max_size=5),
                        "selected_options": st.lists(
                            st.fixed_dictionaries({"value": st.text(max_size=8)}), max_size=3
                        ),
                        "selected_option": st.none()
                        | st.fixed_dictionaries({"value": st.text(max_size=8)}),
                        "value": st.none() | st.text(max_size=20),
                    },
                )
            }
        ),
        max_size=6,
    )
)
def test_settings_submission_gives_a_string_for_every_field(values):
    parsed = parse_settings_submission({"state": {"values": values}})
    assert set(parsed) == set(values) and all(isinstance(v, str) for v in parsed.values())


@FAST
@given(
    st.text(max_size=20),
    st.sampled_from(["reaction_added", "reaction_removed"]),
    st.none() | st.from_regex(r"[0-9]{1,10}(\.[0-9]{1,6})?", fullmatch=True),
    st.none() | st.text(max_size=10),
)
def test_reactions_and_the_applaud_button_parse(emoji, kind, event_ts, event_id):
    envelope = {
        "team_id": TEAM,
        "event_id": event_id,
        "event": {
            "type": kind,
            "user": "U0BO",
            "reaction": emoji,
            "item": {"channel": "C1", "ts": "1.2"},
            "event_ts": event_ts,
        },
    }
    reaction = parse_reaction(envelope)
    assert reaction.added == (kind == "reaction_added") and reaction.at.tzinfo is UTC
    press = parse_applaud({"team": {"id": TEAM}, "user": {"id": "U0BO"}, "container": {}})
    assert press.team.team_id == TEAM


@FAST
@given(json_values, st.text(max_size=40))
def test_payload_helpers_read_any_shape_of_team_and_metadata(team, metadata):
    assert isinstance(team_of({"team": team, "team_id": TEAM}), TeamRef)
    assert isinstance(view_metadata({"private_metadata": metadata}), dict)
    assert isinstance(view_metadata({"private_metadata": json.dumps(team)}), dict)


@FAST
@given(
    st.text(max_size=200),
    st.lists(user_ids, max_size=5),
    st.sampled_from([None, "x", "success", "recovery"]),
)
def test_kudos_modal_submission_parses(reason, users, kind):
    body = {
        "team": {"id": TEAM},
        "user": {"id": GIVER},
        "view": {
            "state": {
                "values": {
                    Block.KUDOS_RECIPIENTS: {Action.FIELD: {"selected_users": users}},
                    Block.KUDOS_REASON: {Action.FIELD: {"value": reason}},
                    Block.KUDOS_KIND: {
                        Action.FIELD: {"selected_option": {"value": kind} if kind else None}
                    },
                }
            }
        },
    }
    cmd = parse_kudos_submission(body)
    assert cmd.reason == " ".join(cmd.reason.split())


# -- views: broadcast safety, escaping, limits ---------------------------------------------------

LIVE = re.compile(r"<!(?:here|channel|everyone|subteam\^)", re.IGNORECASE)
# Markup Bravo itself writes: mentions of known ids, channels, localised dates, safe links,
# the manager's own group on an ephemeral leaderboard.
OWN_MARKUP = re.compile(
    r"<(?:@[UW][A-Z0-9]+|#[CG][A-Z0-9]+|!date\^[^<>|]*\|[^<>]*|https://[^\s<>|]+\|[^<>]*"
    r"|!subteam\^[A-Z0-9]+)>"
)
SECTION, HEADER, CONTEXT, MAX_BLOCKS = 3000, 150, 3000, 50


def text_fields(obj):
    """Every (type, text) a person reads in a message or view."""
    if isinstance(obj, dict):
        if isinstance(obj.get("text"), str) and obj.get("type") in ("mrkdwn", "plain_text"):
            yield obj["type"], obj["text"]
        for value in obj.values():
            yield from text_fields(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from text_fields(value)


def assert_mrkdwn_safe(text: str, *, mentions: set[str] | None, groups: set[str] = frozenset()):
    """No live broadcast, no unescaped user `&`, `<`, `>`, only the mentions Bravo means."""
    for live in LIVE.finditer(text):
        end = text.find(">", live.start())
        token = text[live.start() : end + 1] if end > 0 else text[live.start() :]
        assert token in {f"<!subteam^{g}>" for g in groups}, f"live broadcast {token!r} in {text!r}"
    if mentions is not None:
        for user in re.findall(r"<@([^>|]*)", text):
            assert user in mentions, f"mention of {user!r} nobody meant in {text!r}"
    rest = OWN_MARKUP.sub("", text)
    rest = re.sub(r"(?m)^> ", "", rest)  # block quotes
    assert "<" not in rest and ">" not in rest, f"unescaped < or > in {text!r}"
    assert not re.search(r"&(?!amp;|lt;|gt;)", rest), f"unescaped & in {text!r}"


def assert_safe(
    fallback: str, blocks: list[dict], *, mentions, groups=frozenset(), limit=MAX_BLOCKS
):
    json.dumps(blocks)  # serialisable as sent
    assert_mrkdwn_safe(fallback, mentions=mentions, groups=groups)
    for kind, text in text_fields(blocks):
        if kind == "mrkdwn":
            assert_mrkdwn_safe(text, mentions=mentions, groups=groups)
    assert 0 < len(blocks) <= limit
    for block in blocks:
        SdkBlock.parse(block).validate_json()
        if block["type"] == "section" and "text" in block:
            assert len(block["text"]["text"]) <= SECTION
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= HEADER
        if block["type"] == "context":
            assert all(len(e.get("text", "")) <= CONTEXT for e in block["elements"])


def plain_text_broadcasts(blocks) -> list[str]:
    """plain_text is never parsed for mentions; listed for the report, not failed on."""
    return [t for kind, t in text_fields(blocks) if kind == "plain_text" and LIVE.search(t)]


hostile = any_text | st.builds(lambda c: c[0], commands()) | st.just("<!here> & <!channel>")
reasons = hostile.map(lambda t: t[:1000])
ids_tuple = st.lists(user_ids, min_size=1, max_size=25, unique=True).map(tuple)
slugs = st.lists(st.sampled_from(sorted(PRINCIPLES)), max_size=3, unique=True).map(tuple)


@st.composite
def shoutout_cards(draw):
    return ShoutoutCard(
        id=draw(st.integers(1, 10**9)),
        giver=GIVER,
        recipients=draw(ids_tuple),
        reason=draw(reasons),
        kind=draw(st.sampled_from(Kind)),
        principles=draw(slugs),
        created_at=WHEN,
        language=draw(st.sampled_from(["en", "nl"])),
        channel_id=draw(st.none() | channel_ids | st.just("D0DM")),
    )


@FAST
@given(shoutout_cards())
def test_kudos_announcement_and_dm_never_broadcast_and_stay_within_limits(card):
    allowed = {card.giver, *card.recipients}
    assert_safe(*build_kudos_announcement(card), mentions=allowed)
    assert_safe(*build_kudos_dm(card), mentions=allowed)


@FAST
@given(any_text)
def test_kudos_text_goes_through_parse_and_announcement_without_a_live_mention(text):
    cmd = parse_kudos_command(slash(text), principles=PRINCIPLES)
    card = ShoutoutCard(
        1,
        GIVER,
        cmd.user_ids or ("U0BO",),
        cmd.reason[:1000],
        Kind.SUCCESS,
        cmd.principles,
        WHEN,
        "en",
    )
    assert_safe(*build_kudos_announcement(card), mentions={GIVER, *card.recipients})


@FAST
@given(ids_tuple, st.none() | hostile.map(lambda t: t[:100]), slugs, st.booleans())
def test_kudos_confirmation_never_broadcasts(recipients, keyword, principles, dropped):
    result = KudosGiven(
        shoutout_id=42,
        giver=GIVER,
        recipients=recipients,
        kind=KindDecision(
            Kind.RECOVERY, KindSource.KEYWORD if keyword else KindSource.DEFAULT, keyword
        ),
        principles=principles,
        dropped_self=dropped,
        allowance=5,
        remaining=3,
        language="en",
    )
    assert_safe("", build_kudos_confirmation(result), mentions=set(recipients))


permalinks = (
    st.none() | st.just("https://acme.slack.com/archives/C1/p1") | hostile.map(lambda t: t[:200])
)


@st.composite
def story_cards(draw):
    return StoryCard(
        id=7,
        author=GIVER,
        title=draw(hostile.map(lambda t: t[:150])),
        body=draw(hostile.map(lambda t: t[:3000])),
        kind=draw(st.sampled_from(Kind)),
        created_at=WHEN,
        language=draw(st.sampled_from(["en", "nl"])),
        customer=draw(st.none() | hostile.map(lambda t: t[:150])),
        teammates=draw(st.lists(user_ids, max_size=20, unique=True).map(tuple)),
        principles=draw(slugs),
        channel_id="C0STORIES",
        message_channel=draw(st.none() | channel_ids),
        permalink=draw(permalinks),
        source_permalink=draw(permalinks),
        applause=draw(st.integers(0, 10**6)),
    )


@FAST
@given(story_cards())
@example(
    # BUG (fixed in bot/slack/views/text.py quote()): 1,000 short lines made a 3,999-character
    # section, so slack_sdk refused to build the card.
    StoryCard(7, GIVER, "t", ("a\n" * 1000).strip(), Kind.SUCCESS, WHEN, "en")
)
def test_story_card_and_dm_never_broadcast_and_stay_within_limits(card):
    allowed = {card.author, *card.teammates}
    assert_safe(*build_story_card(card), mentions=allowed)
    assert_safe(*build_story_dm(card), mentions=allowed)


principles_st = st.builds(
    Principle,
    slug=st.sampled_from(sorted(PRINCIPLES)),
    title=hostile.map(lambda t: t[:80]),
    explanation=hostile.map(lambda t: t[:500]).filter(str.strip),  # the domain requires one
    try_today=st.none() | hostile.map(lambda t: t[:500]),
    source=st.none() | hostile.map(lambda t: t[:200]),
    custom=st.booleans(),
    enabled=st.booleans(),
)

PLAIN_TEXT_NOTES: list[str] = []


@FAST
@given(principles_st, st.none() | reasons)
def test_daily_principle_and_lived_by_your_team_never_broadcast(principle, reason):
    lived = TaggedRecognition("U0BO", GIVER, reason, WHEN) if reason is not None else None
    text, blocks = build_principle_post(PrinciplePost(principle, lived, "en"))
    assert_safe(text, blocks, mentions={"U0BO", GIVER})
    PLAIN_TEXT_NOTES.extend(plain_text_broadcasts(blocks))


@FAST
@given(
    st.lists(
        st.builds(
            TopStory,
            id=st.integers(1, 100),
            title=hostile.map(lambda t: t[:150]),
            author=user_ids,
            applause=st.integers(0, 1000),
            permalink=st.none() | st.just("https://acme.slack.com/archives/C1/p1"),
            kind=st.sampled_from(Kind),
        ),
        max_size=5,
    ),
    st.integers(0, 100),  # BUG: 0 with a story -> ZeroDivisionError in build_digest
)
def test_digest_never_broadcasts_story_titles(top, recognitions):
    stats = PeriodStats(
        recognitions,
        recognitions,
        recognitions // 2,
        recognitions - recognitions // 2,
        3,
        ("U0BO",),
        (("U0BO", 2),),
    )
    post = DigestPost(
        date(2026, 11, 16), date(2026, 11, 22), stats, (("U0BO", 2),), "en", len(top), tuple(top)
    )
    text, blocks = build_digest(post)
    assert_safe(text, blocks, mentions={"U0BO", *(s.author for s in top)})


@FAST
@given(hostile.map(lambda t: t[:500]))
def test_a_paused_target_notice_never_broadcasts_the_error(error):
    assert_mrkdwn_safe(build_target_paused("en", "digest", "C0GEN", error), mentions=set())


@HEAVY
@given(
    st.lists(
        st.builds(
            Received,
            giver=user_ids,
            kind=st.sampled_from(Kind),
            text=hostile,
            created_at=st.just(WHEN),
            story=st.booleans(),
        ),
        max_size=10,
    ),
    st.none() | principles_st,
)
def test_home_never_broadcasts_and_stays_within_limits(recent, principle):
    page = HomePage(
        user="U0BO",
        language="en",
        month=PersonStats(),
        all_time=PersonStats(),
        recent=tuple(recent),
        principle=principle,
        applause_emoji="clap",
    )
    view = build_home(page)
    assert_safe("", view["blocks"], mentions={"U0BO", *(r.giver for r in recent)}, limit=100)


@HEAVY
@given(st.lists(principles_st, max_size=20))
def test_principle_list_never_broadcasts(principles):
    assert_safe("", build_principles("en", principles), mentions=set())


@FAST
@given(hostile.map(lambda t: t[:200]))
def test_refusals_never_echo_a_live_mention(word):
    """`/bravo set <!here> x` is refused naming the setting the person typed."""
    key = parse_bravo_command(f"set {word} x")
    setting = key.args[0] if key.args else word
    for error in (
        UnknownSetting(setting=setting, keys="timezone"),
        InvalidSetting(setting=setting, reason="settings.hint.time"),
    ):
        assert_mrkdwn_safe(build_error(error, "en"), mentions=set())


# -- the properties can fail: each finds a planted mistake ---------------------------------------


def _quote_without_escaping(text: str, limit: int = 2800) -> str:
    return "\n".join("> " + line for line in text[:limit].splitlines() or [""])


def _announcement_without_escaping(card: ShoutoutCard):
    """build_kudos_announcement as it would be if the reason were not escaped."""
    text, blocks = build_kudos_announcement(replace(card, reason="placeholder"))
    blocks[1]["text"]["text"] = _quote_without_escaping(card.reason)
    return text.replace("placeholder", card.reason), blocks


def _is_safe(card: ShoutoutCard, build) -> bool:
    try:
        assert_safe(*build(card), mentions={card.giver, *card.recipients})
    except AssertionError:
        return False
    return True


def test_the_escaping_property_finds_an_announcement_that_forgets_to_escape():
    found = find(
        shoutout_cards(),
        lambda card: not _is_safe(card, _announcement_without_escaping),
        settings=settings(max_examples=300, deadline=None, database=None),
    )
    # The shrunk counterexample is a reason with one character Slack treats as markup.
    assert any(c in found.reason for c in "<>&"), found
    assert _is_safe(found, build_kudos_announcement)


def test_the_broadcast_check_catches_a_live_here_and_a_group():
    for planted in ("<!here>", "<!channel|channel>", "<!everyone>", "<!subteam^S1|@all>"):
        with pytest.raises(AssertionError, match="live broadcast"):
            assert_mrkdwn_safe(f"hi {planted}", mentions=set())
    with pytest.raises(Exception, match="3000"):  # slack_sdk's own check, or ours
        assert_safe(
            "",
            _titled_quote("x", "a")
            + [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}],
            mentions=set(),
        )


def test_quote_stays_within_its_limit_with_many_short_lines():
    for text in (
        "a\n" * 1500,
        "\n" * 5000,
        "&\n" * 1000,
        "\r\n".join(["x"] * 2000),
        "\u2028" * 3000,
    ):
        assert len(quote(text)) <= 2800
        assert len(quote(text, limit=600)) <= 600


@FAST
@given(any_text, st.integers(3, 3000))
def test_quote_is_escaped_and_within_its_limit(text, limit):
    quoted = quote(text, limit=limit)
    assert len(quoted) <= limit
    assert_mrkdwn_safe(quoted, mentions=set())


@FAST
@given(any_text)
def test_escape_then_unescape_is_the_identity_and_escape_removes_markup(text):
    assert unescape(escape(text)) == text
    assert "<" not in escape(text) and ">" not in escape(text)
    assert_mrkdwn_safe(text_helpers.link("https://acme.slack.com/x", text), mentions=set())


@pytest.mark.parametrize("language", ["en", "nl"])
def test_catalog_messages_write_no_raw_markup(language):
    """A catalog `<key>` reaches Slack as a link token: placeholders must read `&lt;key&gt;`."""
    from bot.i18n import catalog

    raw = {
        key: found
        for key, forms in catalog(language).items()
        for message in forms
        if (found := re.findall(r"<[^<>{}@#!]*>", message))
    }
    assert raw == {}
