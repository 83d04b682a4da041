"""The composition root for the Bolt app: `create_app(settings, *, deps, client)`."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.domain.deps import Deps
from bot.settings import Settings
from bot.slack.acks import settle_acks
from bot.slack.error_handler import handle_errors
from bot.slack.listeners import register_listeners
from bot.slack.tenancy import home_team, only_home_team


def create_app(settings: Settings, *, deps: Deps, client: WebClient) -> App:
    """A Bolt app whose listeners get `deps`, talking to Slack (or a stand-in) through `client`."""
    secret = settings.slack_signing_secret
    app = App(
        client=client,
        signing_secret=secret.get_secret_value() if secret else None,
        request_verification_enabled=secret is not None,
        logger=logging.getLogger("bravo.bolt"),
    )

    app.use(settle_acks)
    if client.token and not settings.oauth_enabled:  # single-workspace mode: one team served
        home = home_team(client.auth_test().data)
        app.use(only_home_team(home, language=deps.defaults.language))

    @app.use
    def provide_deps(context: BoltContext, next_: Callable[[], None]) -> None:
        """Listeners declare `deps: Deps`; Bolt passes context items by name."""
        # Only the bundle, no session: in sync Bolt `next()` returns before the listener runs.
        context["deps"] = deps
        next_()

    register_listeners(app)
    app.error(handle_errors)
    return app
