"""One Web API client per workspace, for everything that acts outside a request: the clock's
posts, the outbox sender, the member sync, the CLI. Each workspace is served with its own bot
token, looked up in the installation store (refreshed first when Slack's token rotation is on
and it is about to expire); never one token for all. Tokens and clients are cached briefly."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.oauth.token_rotation import TokenRotator

from bot.domain.deps import Deps
from bot.domain.installs import workspace_by_id
from bot.domain.model import Workspace
from bot.slack.installs import BravoInstallationStore

TTL = 60.0  # seconds a looked-up token (and its client) is reused
ROTATE_BEFORE_MINUTES = 120


class WorkspaceClients:
    """`clients(workspace)` or `clients.by_id(workspace_id)`: a client with its bot token.

    A workspace with no installation gets a client without a token: Slack refuses its calls
    with `not_authed`, which the jobs record like any other refusal.
    """

    def __init__(
        self,
        deps: Deps,
        *,
        make_client: Callable[[str | None], WebClient],
        client_id: str,
        client_secret: str,
        ttl: float = TTL,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.deps, self.make_client, self.ttl, self.now = deps, make_client, ttl, now
        self.store = BravoInstallationStore(deps)
        self.rotator = TokenRotator(
            client_id=client_id, client_secret=client_secret, client=make_client(None)
        )
        self._tokens: dict[tuple[str, str | None], tuple[float, str | None]] = {}
        self._clients: dict[str | None, tuple[float, WebClient]] = {}
        self._lock = threading.Lock()
        # One lookup per workspace at a time: the posting pool's workers may ask for the same
        # workspace at once, and a token rotation must not run twice with one refresh token.
        self._lookups: dict[tuple[str, str | None], threading.Lock] = {}

    def __call__(self, workspace: Workspace) -> WebClient:
        token = self.token(workspace)
        with self._lock:
            cached = self._clients.get(token)
            if cached and self.now() - cached[0] < self.ttl:
                return cached[1]
            client = self.make_client(token)
            self._clients[token] = (self.now(), client)
            return client

    def by_id(self, workspace_id: int) -> WebClient:
        return self(workspace_by_id(workspace_id, uow=self.deps.uow()))

    def token(self, workspace: Workspace) -> str | None:
        key = (workspace.team_id, workspace.enterprise_id)
        with self._lock:
            lookup = self._lookups.setdefault(key, threading.Lock())
        with lookup:
            with self._lock:
                cached = self._tokens.get(key)
                if cached and self.now() - cached[0] < self.ttl:
                    return cached[1]
            token = self._lookup(workspace)
            with self._lock:
                self._tokens[key] = (self.now(), token)
            return token

    def _lookup(self, workspace: Workspace) -> str | None:
        bot = self.store.find_bot(enterprise_id=workspace.enterprise_id, team_id=workspace.team_id)
        if bot is None:
            return None
        if bot.bot_refresh_token:
            refreshed = self.rotator.perform_bot_token_rotation(
                bot=bot, minutes_before_expiration=ROTATE_BEFORE_MINUTES
            )
            if refreshed is not None:
                self.store.save_bot(refreshed)
                return refreshed.bot_token
        return bot.bot_token
