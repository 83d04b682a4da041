"""The composition root for the Bolt app: `create_app(settings, *, deps, client)`."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.domain.deps import Deps
from bot.settings import Settings, oauth_hidden_from_bolt
from bot.slack.acks import ListenerExecutor, settle_acks
from bot.slack.error_handler import handle_errors
from bot.slack.installs import forget_tokens, only_installed
from bot.slack.listeners import register_listeners
from bot.slack.oauth import build_oauth
from bot.slack.tenancy import home_team, only_home_team


def create_app(settings: Settings, *, deps: Deps, client: WebClient) -> App:
    """A Bolt app whose listeners get `deps`, talking to Slack (or a stand-in) through `client`."""
    secret = settings.slack_signing_secret
    common = dict(
        client=client,
        signing_secret=secret.get_secret_value() if secret else None,
        request_verification_enabled=secret is not None,
        logger=logging.getLogger("bravo.bolt"),
        listener_executor=ListenerExecutor(),
    )
    if settings.oauth_enabled:
        app = App(**common, **oauth_options(settings, deps=deps, client=client))
    else:
        with oauth_hidden_from_bolt():
            app = App(**common)

    app.use(settle_acks)
    if settings.oauth_enabled:
        app.use(forget_tokens(deps))
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


def oauth_options(settings: Settings, *, deps: Deps, client: WebClient) -> dict:
    """OAuth mode: Bolt's install flow and authorize, on Bravo's stores and `client`; teams
    without an installation are refused before authorize."""
    flow, authorize = build_oauth(
        client_id=settings.slack_client_id or "",
        client_secret=settings.slack_client_secret.get_secret_value()
        if settings.slack_client_secret
        else "",
        authorization_url=settings.slack_authorize_url,
        deps=deps,
        client=client,
    )
    return dict(
        oauth_flow=flow,
        authorize=authorize,
        before_authorize=only_installed(deps),
        token_verification_enabled=False,
    )
