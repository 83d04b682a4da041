"""The Slack app manifest Bravo needs, for HTTP mode or Socket Mode."""

from __future__ import annotations

from typing import Any

from bot.slack.ids import BOT_SCOPES, Command, Event, Shortcut

DESCRIPTIONS = {
    Command.KUDOS: (
        "Recognise a teammate for what they did for a customer",
        "@person what they did #principle",
    ),
    Command.STORY: ("Share a customer success story", "[what happened]"),
    Command.LEADERBOARD: ("See who is being recognised", "[month|week|quarter|all] [#channel]"),
    Command.BRAVO: ("Bravo help, settings and your own stats", "[help|me|settings]"),
}


def build_manifest(url: str | None = None, *, socket: bool = False) -> dict[str, Any]:
    """A manifest valid against Slack's schema; `url` is the public base URL (HTTP mode)."""
    base = (url or "https://bravo.example.com").rstrip("/")
    events_url = f"{base}/slack/events"
    commands = []
    for command, (description, hint) in DESCRIPTIONS.items():
        entry: dict[str, Any] = {
            "command": str(command),
            "description": description,
            "usage_hint": hint,
            "should_escape": True,
        }
        if not socket:
            entry["url"] = events_url
        commands.append(entry)
    interactivity: dict[str, Any] = {"is_enabled": True}
    event_subscriptions: dict[str, Any] = {"bot_events": [str(e) for e in Event]}
    settings: dict[str, Any] = {
        "interactivity": interactivity,
        "event_subscriptions": event_subscriptions,
        "org_deploy_enabled": False,
        "socket_mode_enabled": socket,
        "token_rotation_enabled": False,
    }
    oauth: dict[str, Any] = {"scopes": {"bot": list(BOT_SCOPES)}}
    if not socket:
        interactivity["request_url"] = events_url
        event_subscriptions["request_url"] = events_url
        oauth["redirect_urls"] = [f"{base}/slack/oauth_redirect"]
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": "Bravo",
            "description": "Recognise what goes well for customers",
            "long_description": (
                "Bravo helps customer-facing teams thank each other for what goes well for "
                "customers, not only for fixing what went wrong. Give kudos with /kudos, share "
                "customer success stories with /story, get a customer-service principle each "
                "day and a weekly digest, and see the balance between success and recovery "
                "recognition on the leaderboard."
            ),
            "background_color": "#1d6b57",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": True,
            },
            "bot_user": {"display_name": "Bravo", "always_online": True},
            "shortcuts": [
                {
                    "name": "Give kudos",
                    "type": "global",
                    "callback_id": str(Shortcut.GIVE_KUDOS),
                    "description": "Recognise a teammate",
                },
                {
                    "name": "Share a success story",
                    "type": "global",
                    "callback_id": str(Shortcut.SHARE_STORY),
                    "description": "Tell the team what went well for a customer",
                },
                {
                    "name": "Save as success story",
                    "type": "message",
                    "callback_id": str(Shortcut.STORY_FROM_MESSAGE),
                    "description": "Turn this message into a customer success story",
                },
            ],
            "slash_commands": commands,
        },
        "oauth_config": oauth,
        "settings": settings,
    }
