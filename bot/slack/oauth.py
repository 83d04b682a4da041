"""OAuth mode: Bolt's own install flow (`/slack/install`, `/slack/oauth_redirect`), with
Bravo's database stores, Bravo's pages, and a welcome for each new installation.

Everything is passed explicitly, so Bolt never falls back to its default file store (tokens in
plaintext under `$HOME/.bolt-app-installation`) or to slack.com behind `SLACK_API_URL`.
"""

from __future__ import annotations

import logging

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.deps import Deps
from bot.domain.installs import welcome_workspace
from bot.domain.model import TeamRef
from bot.slack.ids import BOT_SCOPES
from bot.slack.installs import STATE_TTL, BravoInstallationStore, BravoStateStore
from bot.slack.views.install import (
    build_install_failure,
    build_install_page,
    build_install_success,
    build_welcome,
)

log = logging.getLogger(__name__)
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
HTML = {"Content-Type": "text/html; charset=utf-8"}


def page_language(request: BoltRequest, default: str) -> str:
    """The installer's browser language when Bravo speaks it (Dutch or English)."""
    accepted = (request.headers.get("accept-language") or [""])[0].lower()
    first = accepted.split(",")[0].strip().split("-")[0]
    return first if first in ("en", "nl") else default


class BravoOAuthFlow(OAuthFlow):
    """Bolt's flow with Bravo's install page."""

    default_language = "en"

    def build_install_page_html(self, url: str, request: BoltRequest) -> str:
        return build_install_page(page_language(request, self.default_language), url)


def build_oauth(
    *,
    client_id: str,
    client_secret: str,
    authorization_url: str,
    deps: Deps,
    client: WebClient,
    token_rotation_minutes: int = 120,
) -> tuple[BravoOAuthFlow, InstallationStoreAuthorize]:
    """The flow for `App(oauth_flow=...)` and the authorize for `App(authorize=...)`, both
    talking to Slack through `client` (so `SLACK_API_URL` drives oauth.v2.access, auth.test and
    token refreshes too)."""
    store = BravoInstallationStore(deps)
    welcome = InstallWelcome(deps, client)
    settings = OAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        redirect_uri=None,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        install_page_rendering_enabled=True,
        callback_options=CallbackOptions(success=welcome.success, failure=welcome.failure),
        authorization_url=authorization_url,
        installation_store=store,
        token_rotation_expiration_minutes=token_rotation_minutes,
        state_store=BravoStateStore(deps),
        state_expiration_seconds=int(STATE_TTL.total_seconds()),
        logger=logging.getLogger("bravo.oauth"),
    )
    flow = BravoOAuthFlow(client=client, settings=settings, logger=logging.getLogger("bravo.oauth"))
    flow.default_language = deps.defaults.language
    authorize = InstallationStoreAuthorize(
        logger=logging.getLogger("bravo.authorize"),
        installation_store=store,
        client_id=client_id,
        client_secret=client_secret,
        token_rotation_expiration_minutes=token_rotation_minutes,
        client=client,
        # The installation is still looked up on every request (an uninstalled workspace is
        # refused at once); only auth.test's answer for a token is kept, saving a call per ack.
        cache_enabled=True,
    )
    return flow, authorize


class InstallWelcome:
    """After an installation is stored: the workspace (in the installer's time zone and
    language), a welcome DM to the installer, and the success page; or the failure page."""

    def __init__(self, deps: Deps, client: WebClient) -> None:
        self.deps, self.client = deps, client

    def success(self, args: SuccessArgs) -> BoltResponse:
        installation = args.installation
        team_name = installation.team_name or installation.enterprise_name or ""
        language = page_language(args.request, self.deps.defaults.language)
        if installation.team_id:  # an org-wide install has no workspace of its own
            try:
                language = self._welcome(installation, team_name)
            except (SlackApiError, OSError) as exc:
                log.warning("welcome for %s failed: %s", installation.team_id, exc)
        return BoltResponse(
            status=200, body=build_install_success(language, team_name), headers=HTML
        )

    def _welcome(self, installation, team_name: str) -> str:
        token, installer = installation.bot_token, installation.user_id
        user = self.client.users_info(token=token, user=installer, include_locale=True)["user"]
        workspace = welcome_workspace(
            TeamRef(installation.team_id, installation.enterprise_id),
            timezone=user.get("tz"),
            locale=user.get("locale"),
            defaults=self.deps.defaults,
            uow=self.deps.uow(),
            now=self.deps.clock.now(),
        )
        text = build_welcome(workspace.language, team_name, workspace.timezone)
        self.client.chat_postMessage(token=token, channel=installer, text=text)
        return workspace.language

    def failure(self, args: FailureArgs) -> BoltResponse:
        log.warning("installation failed: %s", args.reason)
        language = page_language(args.request, self.deps.defaults.language)
        status = args.suggested_status_code if args.suggested_status_code >= 400 else 200
        body = build_install_failure(language, args.reason, INSTALL_PATH)
        return BoltResponse(status=status, body=body, headers=HTML)
