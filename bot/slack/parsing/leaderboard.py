"""`/leaderboard` text and the Export CSV button's payload in, typed requests out. Pure.

Anything not understood gives a `Usage` (shown as the usage text), never an error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from bot.domain.kinds import TAGS as KIND_TAGS
from bot.domain.leaderboard import LeaderboardRequest
from bot.domain.model import Kind, Source, TeamRef
from bot.domain.periods import normalise_period
from bot.slack.parsing.payloads import team_of
from bot.slack.parsing.tokens import CHANNEL, GROUP, TOKEN, USER, token_inside, unescape

_PIECE = re.compile(rf"{TOKEN.pattern}|[^\s<>]+")  # a whole token, or a plain word
_HELP = {"help", "?", "hulp"}
# `source:mention` (or `bron:mention`, or the plain word): how the recognitions were given.
_SOURCES = {s.value: s for s in Source}
_SOURCE_PREFIXES = ("source:", "bron:")


@dataclass(frozen=True, slots=True)
class Usage:
    """Show the usage text (`word` is what was not understood, if anything)."""

    team: TeamRef
    word: str | None = None


def parse_leaderboard_command(
    command: Mapping[str, str], *, principles: Collection[str] = ()
) -> LeaderboardRequest | Usage:
    """`[period] [#channel|@group|@person] [#principle] [success|recovery] [source:mention]`,
    in any order."""
    team = team_of(command)
    found: dict[str, object] = {}
    for match in _PIECE.finditer(command.get("text", "") or ""):
        piece = match.group(0)
        slot, value = _read(piece, principles)
        if slot == "help":
            return Usage(team)
        scope_taken = slot in ("channel", "group", "person") and (
            {"channel", "group", "person"} & found.keys()
        )
        if slot is None or slot in found or scope_taken:
            return Usage(team, unescape(piece))
        found[slot] = value
    return LeaderboardRequest(team=team, asker=command["user_id"], **found)  # type: ignore[arg-type]


def _read(piece: str, principles: Collection[str]) -> tuple[str | None, object]:
    """Which slot one piece of text fills, and with what."""
    inner = token_inside(piece) or ""
    if m := USER.match(inner):
        return "person", m.group(1)
    if m := GROUP.match(inner):
        return "group", m.group(1)
    if m := CHANNEL.match(inner):
        name = (m.group(2) or "").lower()
        return ("principle", name) if name in principles else ("channel", m.group(1))
    word = unescape(piece).lower()
    if word in _HELP:
        return "help", None
    if period := normalise_period(word):
        return "period", period
    named = next((word[len(p) :] for p in _SOURCE_PREFIXES if word.startswith(p)), word)
    if named in _SOURCES:
        return "source", _SOURCES[named]
    bare = word.removeprefix("#")
    if bare in KIND_TAGS:
        return "kind", KIND_TAGS[bare]
    if word.startswith("#") and bare in principles:
        return "principle", bare
    return None, None


def export_value(request: LeaderboardRequest) -> str:
    """What the Export CSV button carries: the leaderboard's period, scope and filters."""
    fields = {
        "p": request.period,
        "c": request.channel,
        "g": request.group,
        "t": request.principle,
        "k": request.kind.value if request.kind else None,
        "s": request.source.value if request.source else None,
    }
    return json.dumps({k: v for k, v in fields.items() if v}, separators=(",", ":"))


def parse_export_action(body: Mapping) -> LeaderboardRequest:
    """The Export CSV click. Who asks comes from Slack's `user`, never from the button."""
    team = body.get("team") or {}
    try:
        fields = json.loads(body["actions"][0].get("value") or "{}")
    except ValueError:
        fields = {}
    fields = fields if isinstance(fields, dict) else {}
    kind, source = fields.get("k"), fields.get("s")
    return LeaderboardRequest(
        team=TeamRef(team.get("id") or body["user"]["team_id"], team.get("enterprise_id")),
        asker=body["user"]["id"],
        period=normalise_period(str(fields.get("p") or "")) or "month",
        channel=_id(fields.get("c"), "CG"),
        group=_id(fields.get("g"), "S"),
        principle=str(fields["t"])[:64] if fields.get("t") else None,
        kind=Kind(kind) if kind in Kind._value2member_map_ else None,
        source=_SOURCES.get(str(source)) if source else None,
    )


def _id(value: object, prefixes: str) -> str | None:
    text = str(value or "")
    return text if re.fullmatch(rf"[{prefixes}][A-Z0-9]{{1,31}}", text) else None
