"""`/bravo forget <@U..>` and its confirmation button: payload in, typed values out. Pure."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.domain.model import TeamRef
from bot.slack.parsing.payloads import team_of
from bot.slack.parsing.tokens import USER, token_inside


def parse_forget_target(args: Sequence[str]) -> str | None:
    """The user id of `<@U..>` or `<@U..|name>`; None when no person is given."""
    inside = token_inside(args[0]) if args else None
    match = USER.match(inside) if inside else None
    return match.group(1) if match else None


def forget_value(user_id: str, pseudonym: str) -> str:
    """The confirmation button's value."""
    return json.dumps({"u": user_id, "p": pseudonym}, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class ForgetPress:
    team: TeamRef
    actor: str
    target: str
    pseudonym: str


def parse_forget_press(body: Mapping) -> ForgetPress:
    """Who pressed the confirmation button, and whom it forgets (empty when the value is bad)."""
    try:
        value = json.loads(body["actions"][0].get("value") or "{}")
    except ValueError:
        value = {}
    if not isinstance(value, dict):
        value = {}
    return ForgetPress(
        team=team_of(body),
        actor=body["user"]["id"],
        target=str(value.get("u") or ""),
        pseudonym=str(value.get("p") or ""),
    )
