"""A refused modal submission is answered inline (`response_action: errors`): the modal stays
open with the problem under the field, and nothing was stored."""

from __future__ import annotations

import json

from slack_bolt import BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.errors import BravoError
from bot.slack.directory import SlackDirectory
from bot.slack.views.modal_errors import (
    build_generic_modal_error,
    build_modal_errors,
    people_in,
)


def modal_error_response(
    error: Exception, view: dict, language: str, message: str, client: WebClient | None
) -> BoltResponse:
    """`message` is what to show for an unexpected failure (it carries the log reference)."""
    if isinstance(error, BravoError):
        errors = build_modal_errors(error, view, language, names(client, people_in(error)))
    else:
        errors = build_generic_modal_error(view, message)
    return BoltResponse(
        status=200,
        body=json.dumps({"response_action": "errors", "errors": errors}),
        headers={"content-type": "application/json;charset=utf-8"},
    )


def names(client: WebClient | None, user_ids: list[str]) -> dict[str, str]:
    """Inline errors are plain text, where mentions do not render: name people instead."""
    found: dict[str, str] = {}
    if client is None:
        return found
    directory = SlackDirectory(client)
    for user_id in dict.fromkeys(user_ids):
        try:
            person = directory.person(user_id)
        except SlackApiError:
            continue  # the id is shown instead; the refusal still reaches the user
        if person and person.name:
            found[user_id] = person.name
    return found
