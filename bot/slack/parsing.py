"""Slack payloads in, typed commands out. Pure functions, tested with literal payloads."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from bot.domain.kinds import TAGS as KIND_TAGS
from bot.domain.model import GiveKudos, Kind, TeamRef

TOKEN = re.compile(r"<([^<>]*)>")
_USER = re.compile(r"^@([UW][A-Z0-9]+)(?:\|.*)?$")
_GROUP = re.compile(r"^!subteam\^([A-Z0-9]+)(?:\|.*)?$")
_SPECIAL = re.compile(r"^!(here|channel|everyone)(?:\|.*)?$")
_CHANNEL = re.compile(r"^#([CG][A-Z0-9]+)(?:\|(.*))?$")
_DATE = re.compile(r"^!date\^[^|]*\|(.*)$")
_HASHTAG = re.compile(r"(?<![\w&#])#([A-Za-z0-9][A-Za-z0-9_-]{0,63})\b")


def unescape(text: str) -> str:
    """Undo Slack's escaping of user-typed `&`, `<` and `>` (after tokens are taken out)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def team_of(body: Mapping) -> TeamRef:
    """The workspace of any payload: a slash command (`team_id`), an interaction (`team`), or
    an Events API envelope (`team_id`, else its first authorization)."""
    team = body.get("team") if isinstance(body.get("team"), dict) else {}
    authorizations = body.get("authorizations") or [{}]
    team_id = (
        team.get("id")
        or body.get("team_id")
        or (body.get("user") or {}).get("team_id")
        or authorizations[0].get("team_id")
    )
    enterprise = team.get("enterprise_id") or body.get("enterprise_id")
    if not enterprise and isinstance(body.get("enterprise"), dict):
        enterprise = body["enterprise"].get("id")
    return TeamRef(str(team_id) if team_id else "", enterprise or None)


def parse_kudos_command(
    command: Mapping[str, str], *, principles: Collection[str] = ()
) -> GiveKudos:
    """Split `/kudos` text into recipients, groups, principle and kind tags, and the reason.

    Mentions may stand anywhere; everything that is neither a recipient nor a tag is the reason.
    Broadcast mentions in the reason become plain text (`@here`), never live mentions.
    """
    users: list[str] = []
    groups: list[str] = []
    tags: list[str] = []

    def token(match: re.Match[str]) -> str:
        inner = match.group(1)
        if m := _USER.match(inner):
            users.append(m.group(1))
            return " "
        if m := _GROUP.match(inner):
            groups.append(m.group(1))
            return " "
        if m := _SPECIAL.match(inner):
            return "\x00@" + m.group(1) + "\x00"
        if m := _CHANNEL.match(inner):
            name = m.group(2).lower() if m.group(2) else m.group(1)
            if name in principles:
                tags.append(name)
                return " "
            return "\x00#" + name + "\x00"
        if m := _DATE.match(inner):
            return m.group(1)
        target, _, label = inner.partition("|")
        return "\x00" + (label or target) + "\x00"

    text = TOKEN.sub(token, command.get("text", "") or "")
    kind: Kind | None = None

    def hashtag(match: re.Match[str]) -> str:
        nonlocal kind
        word = match.group(1).lower()
        if word in KIND_TAGS:
            kind = KIND_TAGS[word]
            return " "
        if word in principles:
            tags.append(word)
            return " "
        return match.group(0)

    # Hashtags are looked for only outside what came from tokens (kept between NULs).
    parts = text.split("\x00")
    parts = [_HASHTAG.sub(hashtag, p) if i % 2 == 0 else p for i, p in enumerate(parts)]
    reason = " ".join(unescape("".join(parts)).split())
    return GiveKudos(
        team=team_of(command),
        giver=command["user_id"],
        user_ids=tuple(dict.fromkeys(users)),
        group_ids=tuple(dict.fromkeys(groups)),
        reason=reason,
        principles=tuple(dict.fromkeys(tags)),
        kind=kind,
        channel_id=command.get("channel_id") or None,
        reply_url=command.get("response_url") or None,
    )


@dataclass(frozen=True, slots=True)
class SwitchKind:
    team: TeamRef
    user: str
    shoutout_id: int
    kind: Kind


def parse_switch_kind(body: Mapping) -> SwitchKind:
    """The kind switch button's payload: `<shoutout id>:<kind>` in the action value."""
    action = body["actions"][0]
    shoutout, _, kind = str(action["value"]).partition(":")
    return SwitchKind(
        team=team_of(body),
        user=body["user"]["id"],
        shoutout_id=int(shoutout),
        kind=Kind(kind),
    )


@dataclass(frozen=True, slots=True)
class BravoCommand:
    """`/bravo <action> ...`: action is help, set, settings, principles, principle-add,
    principle-on, principle-off, me, export or forget; `args` holds what follows."""

    action: str
    args: tuple[str, ...] = ()


def parse_bravo_command(text: str) -> BravoCommand:
    """Split `/bravo` text into an action and its arguments; unknown input asks for help."""
    words = (text or "").strip().split(None, 2)
    if not words or words[0].lower() in ("help", "?", "hulp"):
        return BravoCommand("help")
    head = words[0].lower()
    if head == "set" and len(words) == 3:
        return BravoCommand("set", (words[1].lower(), unescape(words[2])))
    if head == "set":
        return BravoCommand("set", tuple(w.lower() for w in words[1:]))
    if head in ("settings", "me", "principles"):
        return BravoCommand(head)
    if head == "export":
        return BravoCommand("export", tuple(words[1:]))
    if head == "forget":
        return BravoCommand("forget", tuple(words[1:2]))
    if head == "principle" and len(words) >= 2:
        sub, _, rest = (" ".join(words[1:])).partition(" ")
        sub = sub.lower()
        if sub == "add":
            title, sep, explanation = unescape(rest).partition("::")
            return BravoCommand(
                "principle-add", (title.strip(), explanation.strip()) if sep else ()
            )
        if sub in ("on", "off"):
            return BravoCommand(f"principle-{sub}", (rest.strip().lstrip("#").lower(),))
    return BravoCommand("unknown", (text.strip(),))


def parse_settings_submission(view: Mapping) -> dict[str, str]:
    """The settings modal's state as `/bravo set` values, keyed by setting."""
    values: dict[str, str] = {}
    for key, actions in view["state"]["values"].items():
        field = next(iter(actions.values()))
        kind = field.get("type")
        if kind == "conversations_select":
            channel = field.get("selected_conversation")
            values[key] = f"<#{channel}>" if channel else "off"
        elif kind == "timepicker":
            values[key] = field.get("selected_time") or ""
        elif kind == "checkboxes":
            values[key] = ",".join(o["value"] for o in field.get("selected_options") or [])
        elif kind in ("static_select", "radio_buttons"):
            values[key] = (field.get("selected_option") or {}).get("value", "")
        else:
            values[key] = field.get("value") or ""
    return values
