"""`/bravo` text and the settings modal in; an action with its arguments out. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.slack.parsing.tokens import unescape


@dataclass(frozen=True, slots=True)
class BravoCommand:
    """`/bravo <action> ...`: action is help, set, settings, principles, principle-add,
    principle-on, principle-off, me, me-export, export or forget; `args` holds what follows."""

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
    if head == "me" and len(words) > 1 and words[1].lower() == "export":
        return BravoCommand("me-export")
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
