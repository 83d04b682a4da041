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
from bot.domain.errors import BravoError, Busy
from bot.domain.model import WorkspaceDefaults
from bot.domain.workspaces import language_of
from bot.i18n import translator
from bot.slack.acks import acknowledged
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
    if isinstance(error, Busy) and body.get("command"):  # offer the command again, as typed
        error = Busy(command=body["command"], text=body.get("text") or "")
    language = language_for(team, context.get("deps"))
    message = describe(error, language)
    if body.get("type") == "event_callback":
        return None  # acked already; a refusal the user should hear, the listener sends itself
    if acknowledged(context):
        # Slack has had its answer (Bolt would drop a response now): tell the user another way.
        notify(message, body, respond, client)
        return None
    if body.get("type") == "view_submission":  # shown in the modal, under the field
        return modal_errors_response(error, body["view"], language, message, client)
    if "command" in body:
        return BoltResponse(
            status=200,
            body=json.dumps({"response_type": "ephemeral", "text": message}),
            headers=JSON,
        )
    notify(message, body, respond, client)
    return BoltResponse(status=200, body="")  # the ack the listener did not get to send


def describe(error: Exception, language: str) -> str:
    """What the user reads: the refusal, "could not open the form", or a logged reference."""
    _ = translator(language)
    if isinstance(error, BravoError):
        return build_error(error, language)
    if isinstance(error, SlackApiError) and called(error, "views.open"):
        log.warning("could not open a modal: views.open said %s", slack_error(error))
        return _("trust.form_unavailable")
    ref = uuid.uuid4().hex[:8]
    log.error("unhandled error ref=%s", ref, exc_info=error)
    return _("error.generic", ref=ref)


def notify(message: str, body: dict, respond: Respond | None, client: WebClient | None) -> None:
    """After the ack: the response_url when there is one, else an ephemeral in the channel, else
    a direct message (a global shortcut or a modal has no channel)."""
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id")
    try:
        if respond is not None:
            respond(text=message, response_type="ephemeral", replace_original=False)
        elif client is not None and user and channel:
            client.chat_postEphemeral(channel=channel, user=user, text=message)
        elif client is not None and user:
            client.chat_postMessage(channel=user, text=message)
    except Exception as exc:  # noqa: BLE001 - the error being reported matters more
        log.warning("could not tell %s about an error: %s", user, type(exc).__name__)


def called(error: SlackApiError, method: str) -> bool:
    return str(getattr(error.response, "api_url", "")).endswith("/" + method)


def slack_error(error: SlackApiError) -> str:
    data = getattr(error.response, "data", None)
    return str(data.get("error")) if isinstance(data, dict) else "an error"


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
