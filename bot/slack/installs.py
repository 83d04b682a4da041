"""slack_sdk's InstallationStore and OAuthStateStore, backed by Bravo's database through the
domain services (`bot.domain.installs`): tokens sealed at rest, state shared by every process
and single-use. Also the two middlewares of OAuth mode: refusing teams without an installation,
and forgetting a workspace's tokens when it uninstalls Bravo or revokes them."""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore

from bot.domain import installs
from bot.domain.deps import Deps
from bot.domain.tokens import Install
from bot.i18n import translator
from bot.slack.ids import Event

log = logging.getLogger(__name__)
JSON = {"content-type": "application/json;charset=utf-8"}
STATE_TTL = timedelta(minutes=10)


def _at(epoch: int | float | None) -> datetime | None:
    return datetime.fromtimestamp(epoch, UTC) if epoch else None


def _epoch(moment: datetime | None) -> int | None:
    return int(moment.timestamp()) if moment else None


def to_install(installation: Installation | Bot, installer: str | None = None) -> Install:
    scopes = installation.bot_scopes
    return Install(
        team_id=installation.team_id,
        enterprise_id=installation.enterprise_id,
        bot_token=installation.bot_token or "",
        installed_at=_at(installation.installed_at) or datetime.now(UTC),
        is_enterprise_install=bool(installation.is_enterprise_install),
        team_name=installation.team_name,
        enterprise_name=installation.enterprise_name,
        app_id=installation.app_id,
        bot_id=installation.bot_id,
        bot_user_id=installation.bot_user_id,
        bot_scopes=",".join(scopes) if isinstance(scopes, list | tuple) else scopes or "",
        bot_refresh_token=installation.bot_refresh_token,
        bot_token_expires_at=_at(installation.bot_token_expires_at),
        installer_user_id=installer,
    )


def _installation(install: Install) -> Installation:
    return Installation(
        app_id=install.app_id,
        enterprise_id=install.enterprise_id,
        enterprise_name=install.enterprise_name,
        team_id=install.team_id,
        team_name=install.team_name,
        bot_token=install.bot_token,
        bot_id=install.bot_id,
        bot_user_id=install.bot_user_id,
        bot_scopes=install.bot_scopes,
        bot_refresh_token=install.bot_refresh_token,
        bot_token_expires_at=_epoch(install.bot_token_expires_at),
        user_id=install.installer_user_id or "",
        is_enterprise_install=install.is_enterprise_install,
        token_type="bot",
        installed_at=install.installed_at.timestamp(),
    )


class BravoInstallationStore(InstallationStore):
    """Bot installations only (Bravo asks for no user scopes), one per workspace or org."""

    def __init__(self, deps: Deps) -> None:
        if deps.cipher is None:
            raise ValueError("an installation store needs a cipher (BRAVO_ENCRYPTION_KEY)")
        self.deps, self.cipher = deps, deps.cipher

    @property
    def logger(self) -> logging.Logger:
        return log

    def save(self, installation: Installation) -> None:
        install = to_install(installation, installer=installation.user_id)
        installs.save_install(install, uow=self.deps.uow(), cipher=self.cipher)

    def save_bot(self, bot: Bot) -> None:
        found = self._find(bot.enterprise_id, bot.team_id, bot.is_enterprise_install)
        install = to_install(bot, installer=found.installer_user_id if found else None)
        installs.save_install(install, uow=self.deps.uow(), cipher=self.cipher)

    def _find(self, enterprise_id, team_id, org_wide) -> Install | None:
        return installs.find_install(
            team_id,
            enterprise_id,
            org_wide=bool(org_wide),
            uow=self.deps.uow(),
            cipher=self.cipher,
        )

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        found = self._find(enterprise_id, team_id, is_enterprise_install)
        if found is None or (user_id is not None and user_id != found.installer_user_id):
            return None  # no user tokens are kept: only the installer's installation exists
        return _installation(found)

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        found = self._find(enterprise_id, team_id, is_enterprise_install)
        return _installation(found).to_bot() if found else None

    def delete_installation(self, *, enterprise_id, team_id, user_id=None) -> None:
        if user_id is None:
            self.delete_all(enterprise_id=enterprise_id, team_id=team_id)

    def delete_bot(self, *, enterprise_id, team_id) -> None:
        self.delete_all(enterprise_id=enterprise_id, team_id=team_id)

    def delete_all(self, *, enterprise_id, team_id) -> None:
        installs.delete_install(team_id, enterprise_id, uow=self.deps.uow())


class BravoStateStore(OAuthStateStore):
    """OAuth states in the database: any web process may issue one and any consume it, once."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    @property
    def logger(self) -> logging.Logger:
        return log

    def issue(self, *args, **kwargs) -> str:
        state = secrets.token_urlsafe(32)
        installs.issue_state(state, self.deps.clock.now(), STATE_TTL, uow=self.deps.uow())
        return state

    def consume(self, state: str) -> bool:
        if not state:
            return False
        return installs.consume_state(state, self.deps.clock.now(), uow=self.deps.uow())


def only_installed(deps: Deps) -> Callable[..., BoltResponse | None]:
    """`before_authorize` in OAuth mode: a team (or organisation) without an installation is
    answered politely and goes no further, so nothing is stored for it."""

    def serve_only_installed(
        request: BoltRequest, context: BoltContext, next_: Callable[[], None]
    ) -> BoltResponse | None:
        event = (request.body.get("event") or {}).get("type")
        if (
            request.body.get("type") in ("url_verification", "ssl_check")
            or event in (Event.APP_UNINSTALLED, Event.TOKENS_REVOKED)
            or installs.is_installed(
                context.team_id,
                context.enterprise_id,
                org_wide=bool(context.is_enterprise_install),
                uow=deps.uow(),
            )
        ):
            next_()
            return None
        log.warning(
            "refused a request from team %s (enterprise %s): not installed",
            context.team_id,
            context.enterprise_id,
        )
        if "command" in request.body:
            text = translator(deps.defaults.language)("trust.not_installed")
            answer = json.dumps({"response_type": "ephemeral", "text": text})
            return BoltResponse(status=200, body=answer, headers=JSON)
        return BoltResponse(status=200, body="")

    return serve_only_installed


def forget_tokens(deps: Deps) -> Callable[..., None]:
    """On `app_uninstalled`, or `tokens_revoked` naming the bot, the installation's tokens are
    deleted before the lifecycle listener deactivates the workspace: nothing is ever sent with
    them again."""

    def forget_revoked_tokens(body: dict, context: BoltContext, next_: Callable[[], None]) -> None:
        event = body.get("event") or {}
        kind = event.get("type")
        revoked_bot = kind == Event.TOKENS_REVOKED and (event.get("tokens") or {}).get("bot")
        if body.get("type") == "event_callback" and (kind == Event.APP_UNINSTALLED or revoked_bot):
            installs.delete_install(
                context.team_id,
                context.enterprise_id,
                org_wide=bool(context.is_enterprise_install),
                uow=deps.uow(),
            )
        next_()

    return forget_revoked_tokens
