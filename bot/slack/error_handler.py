"""The one error handler: refusals become messages in the user's language, anything else is
logged with a reference the user is shown. A refused modal submission is answered inline
(`response_action: errors`): the modal stays open with the problem under the field."""

from __future__ import annotations

import json
import logging
import uuid

from slack_bolt import BoltContext, BoltResponse, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.deps import Deps
from bot.domain.errors import BravoError
from bot.domain.model import WorkspaceDefaults
from bot.domain.workspaces import language_of
from bot.i18n import translator
from bot.slack.directory import SlackDirectory
from bot.slack.views.errors import build_error
from bot.slack.views.modal_errors import (
    build_generic_modal_error,
    build_modal_errors,
    people_in,
)

log = logging.getLogger(__name__)
JSON = {"content-type": "application/json;charset=utf-8"}


def handle_errors(
    error: Exception,
    body: dict,
    context: BoltContext,
    respond: Respond | None = None,
    client: WebClient | None = None,
) -> BoltResponse | None:
    """Registered with `app.error`: answers where the user asked (command, modal, message)."""
    team = body.get("team_id") or (body.get("team") or {}).get("id")
    language = language_for(team, context.get("deps"))
    if isinstance(error, BravoError):
        message = build_error(error, language)
    else:
        ref = uuid.uuid4().hex[:8]
        log.error("unhandled error ref=%s", ref, exc_info=error)
        message = translator(language)("error.generic", ref=ref)
    if body.get("type") == "view_submission":  # shown in the modal, under the field
        return modal_errors_response(error, body["view"], language, message, client)
    if "command" in body:
        return BoltResponse(
            status=200,
            body=json.dumps({"response_type": "ephemeral", "text": message}),
            headers=JSON,
        )
    if respond is not None and body.get("response_url"):
        respond(text=message, response_type="ephemeral", replace_original=False)
    return None


def language_for(team: str | None, deps: Deps | None) -> str:
    """The workspace's language; the operator's default when the database cannot say, so that
    the user still hears that something went wrong."""
    if deps is None:  # the failure came before the middleware that provides deps
        return WorkspaceDefaults().language
    try:
        return language_of(team, uow=deps.uow(), defaults=deps.defaults)
    except Exception:  # noqa: BLE001 - any failure here must not hide the original error
        log.warning("workspace language unavailable; using the default", exc_info=True)
        return deps.defaults.language


def modal_errors_response(
    error: Exception, view: dict, language: str, message: str, client: WebClient | None
) -> BoltResponse:
    """`message` is what to show for an unexpected failure (it carries the log reference)."""
    if isinstance(error, BravoError):
        errors = build_modal_errors(error, view, language, names(client, people_in(error)))
    else:
        errors = build_generic_modal_error(view, message)
    return BoltResponse(
        status=200, body=json.dumps({"response_action": "errors", "errors": errors}), headers=JSON
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
