"""What many payloads share: the workspace, modal state and metadata, the button that opened a
modal. Pure functions."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime

from bot.domain.model import Kind, TeamRef
from bot.slack.ids import Action, Block


def team_of(body: Mapping) -> TeamRef:
    """The workspace a payload belongs to, found in the order Bolt's authorization finds it, so
    that data is always kept under the installation whose token served the request: a modal's
    `app_installed_team_id`, an interaction's `team`, an event's first authorization (in a
    channel shared with another organisation the envelope's `team_id` can name the other side),
    then a command's `team_id`."""
    view = body.get("view") if isinstance(body.get("view"), dict) else {}
    team = body.get("team") if isinstance(body.get("team"), dict) else {}
    authorization = (body.get("authorizations") or [None])[0]
    authorization = authorization if isinstance(authorization, dict) else {}
    team_id = (
        view.get("app_installed_team_id")
        or team.get("id")
        or authorization.get("team_id")
        or body.get("team_id")
        or (body.get("user") or {}).get("team_id")
    )
    enterprise = (
        team.get("enterprise_id") or authorization.get("enterprise_id") or body.get("enterprise_id")
    )
    if not enterprise and isinstance(body.get("enterprise"), dict):
        enterprise = body["enterprise"].get("id")
    return TeamRef(str(team_id) if team_id else "", enterprise or None)


def field_values(view: Mapping) -> Mapping[str, Mapping]:
    """A modal's state: block id -> the state of its one input (`Action.FIELD`)."""
    values = (view.get("state") or {}).get("values") or {}
    return {block: (actions or {}).get(Action.FIELD) or {} for block, actions in values.items()}


def view_metadata(view: Mapping) -> dict:
    """A modal's private_metadata (JSON); empty when missing or unreadable."""
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def origin_of(view: Mapping) -> str | None:
    """The channel a modal was opened from (kept in its private_metadata)."""
    return view_metadata(view).get("channel") or None


def selected_kind(field: Mapping) -> Kind | None:
    """The kind a radio button field holds, if it holds a known one."""
    option = field.get("selected_option") or {}
    value = option.get("value")
    return Kind(value) if value in {k.value for k in Kind} else None


def response_url_for(body: Mapping, block: Block) -> str | None:
    """The response_url Slack gave for a conversation select (`response_url_enabled`)."""
    for entry in body.get("response_urls") or []:
        if entry.get("block_id") == block:
            return entry.get("response_url")
    return None


def parse_open_button(body: Mapping) -> tuple[str | None, tuple[str, ...]]:
    """A Give kudos / Share a story button: the channel it was pressed in and the principle
    its value carries (the daily principle's button pre-tags the modal)."""
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    value = ((body.get("actions") or [{}])[0].get("value") or "").strip()
    return channel or None, ((value,) if value else ())


def press_of(body: Mapping) -> tuple[tuple[str, ...], datetime | None]:
    """Who pressed which button on which message, and when by Slack's clock (`action_ts`):
    what tells a double click from two presses."""
    action = (body.get("actions") or [{}])[0]
    container = body.get("container") or {}
    message = container.get("message_ts") or container.get("view_id") or ""
    who = ((body.get("user") or {}).get("id")) or ""
    try:
        at = datetime.fromtimestamp(float(action["action_ts"]), UTC)
    except (KeyError, TypeError, ValueError, OverflowError):
        at = None
    return (str(action.get("action_id") or ""), str(message), str(who)), at
