"""The composition root for the Bolt app: `create_app(settings, *, services, client)`."""

from __future__ import annotations

import json
import logging
import uuid

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient

from bot.domain.deps import Deps
from bot.domain.errors import BravoError
from bot.domain.workspaces import language_of
from bot.i18n import translator
from bot.settings import Settings
from bot.slack.listeners import ALL as LISTENERS
from bot.slack.modal_errors import modal_error_response
from bot.slack.views.errors import build_error

log = logging.getLogger(__name__)


def create_app(settings: Settings, *, services: Deps, client: WebClient) -> App:
    """A Bolt app wired to `services`, talking to Slack (or a stand-in) through `client`."""
    secret = settings.slack_signing_secret
    app = App(
        client=client,
        signing_secret=secret.get_secret_value() if secret else None,
        request_verification_enabled=secret is not None,
        logger=logging.getLogger("bravo.bolt"),
    )
    for module in LISTENERS:
        module.register(app, services)
    register_error_handler(app, services)
    return app


def register_error_handler(app: App, services: Deps) -> None:
    @app.error
    def handle_errors(
        error: Exception, body: dict, respond=None, client: WebClient | None = None
    ) -> BoltResponse | None:
        team = body.get("team_id") or (body.get("team") or {}).get("id")
        language = language_of(team, uow=services.uow(), defaults=services.defaults)
        if isinstance(error, BravoError):
            message = build_error(error, language)
        else:
            ref = uuid.uuid4().hex[:8]
            log.error("unhandled error ref=%s", ref, exc_info=error)
            message = translator(language)("error.generic", ref=ref)
        if body.get("type") == "view_submission":  # shown in the modal, under the field
            return modal_error_response(error, body["view"], language, message, client)
        if "command" in body:
            return BoltResponse(
                status=200,
                body=json.dumps({"response_type": "ephemeral", "text": message}),
                headers={"content-type": "application/json;charset=utf-8"},
            )
        if respond is not None and body.get("response_url"):
            respond(text=message, response_type="ephemeral", replace_original=False)
        return None
